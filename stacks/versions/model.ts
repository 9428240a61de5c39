// The shape of the version table: what one Kubernetes minor brings with it on EKS (add-on builds, the node AMI
// release, its support dates), each fact with where it came from and whether it was confirmed. Pure data types.

/** The Kubernetes minors the table has an entry for, oldest first. */
export const KUBERNETES_MINORS = ["1.32", "1.33", "1.34", "1.35", "1.36"] as const;
export type KubernetesMinor = (typeof KUBERNETES_MINORS)[number];

/**
 * The EKS add-ons the platform pins, by their EKS add-on name (what DescribeAddonVersions and CreateAddon take).
 * metrics-server, cert-manager and external-dns are EKS community add-ons (owner "community": AWS validates
 * version compatibility only; EKS user guide, "Community add-ons"); the others are AWS add-ons.
 */
export const ADDON_NAMES = [
    "vpc-cni",
    "coredns",
    "kube-proxy",
    "eks-pod-identity-agent",
    "aws-ebs-csi-driver",
    "aws-efs-csi-driver",
    "metrics-server",
    "amazon-cloudwatch-observability",
    "adot",
    "cert-manager",
    "external-dns",
] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

/** A calendar day, YYYY-MM-DD, in UTC (the EKS release calendar's time zone). */
export type IsoDate = string;

/** Where a fact came from. `verified` is false where the exact value could not be confirmed offline. */
export interface Provenance {
    /** The document and section, command, or record the value was read from. */
    source: string;
    /** The day the source was read. */
    asOf: IsoDate;
    /** The day the source itself describes, when it says (a release date, a dated API read). */
    published?: IsoDate;
    verified: boolean;
    note?: string;
}

export interface PinnedAddon extends Provenance {
    /** As DescribeAddonVersions lists it: v<upstream>-eksbuild.<n>. */
    version: string;
}

/** One EKS-optimized Amazon Linux 2023 AMI release, as both the managed node group and Karpenter name it. */
export interface NodeAmiRelease extends Provenance {
    /** The amazon-eks-ami release tag, vYYYYMMDD. */
    release: string;
    /** A managed node group's `releaseVersion`: <kubernetes patch>-<YYYYMMDD>. */
    releaseVersion: string;
    /** The EC2NodeClass amiSelectorTerms alias of the same release: al2023@vYYYYMMDD. */
    karpenterAlias: string;
}

/** The minor's dates on the EKS release calendar; each is the first UTC day of the next phase. */
export interface SupportCalendar extends Provenance {
    upstreamRelease?: IsoDate;
    eksRelease: IsoDate;
    /** Extended support (and its billing) starts at the beginning of this day. */
    endOfStandardSupport: IsoDate;
    /** From this day the version is unsupported: no new clusters, existing control planes are upgraded by EKS. */
    endOfExtendedSupport: IsoDate;
}

export interface MinorVersions {
    kubernetes: KubernetesMinor;
    support: SupportCalendar;
    ami: NodeAmiRelease;
    addons: Record<AddonName, PinnedAddon>;
}

/** An entry being assembled (by `npm run versions`): an add-on EKS does not offer for the minor is absent. */
export type MinorVersionsDraft = Omit<MinorVersions, "addons" | "kubernetes"> & {
    kubernetes: string;
    addons: Partial<Record<AddonName, PinnedAddon>>;
};

export interface VersionTable {
    /** The day the table was checked; support status is judged against it, never against the wall clock. */
    asOf: IsoDate;
    minors: Record<KubernetesMinor, MinorVersions>;
}

export const ADDON_VERSION = /^v(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const AMI_RELEASE = /^v(\d{8})$/;

export function isKubernetesMinor(value: string): value is KubernetesMinor {
    return (KUBERNETES_MINORS as readonly string[]).includes(value);
}
