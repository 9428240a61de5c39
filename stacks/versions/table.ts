// The version table: for each Kubernetes minor, the EKS add-on builds, the node AMI release and the EKS support
// dates, each with its source. Entries marked `verified: false` could not be confirmed in an AWS document offline:
// refresh them against a real account with `npm run versions -- --region <region> --kubernetes <minor>`, which
// prints the entry ready to paste (DescribeAddonVersions, DescribeClusterVersions and the AMI's SSM parameters).
import type { AddonName, KubernetesMinor, MinorVersions, NodeAmiRelease, PinnedAddon, SupportCalendar, VersionTable } from "./model";

/** The day every source below was read; also the day support status is judged on. */
const READ = "2026-12-02";
const REFRESH = "not in an AWS document readable offline: refresh with npm run versions";

const CALENDAR =
    "EKS user guide, 'Understand the Kubernetes version lifecycle on EKS' > 'Amazon EKS Kubernetes release calendar' " +
    "(awsdocs/amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc, commit 01385604)";
const CALENDAR_QUOTED =
    "The EKS release calendar row as quoted from docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html by " +
    "several public repositories (code corpus); endoflife.date/amazon-eks agrees for 1.35";

const calendar = (dates: Omit<SupportCalendar, "source" | "asOf" | "verified">, verified: boolean): SupportCalendar =>
    verified
        ? { ...dates, source: CALENDAR, asOf: READ, verified }
        : {
              ...dates,
              source: CALENDAR_QUOTED,
              asOf: READ,
              verified,
              note: `the user-guide copy readable offline ends at 1.34; ${REFRESH}`,
          };

// One AMI release for every minor: v20260714 is the newest release whose notes (AMI names, release versions) are in
// the repository snapshot; its tag v20260724 has no CHANGELOG entry there yet.
const AMI_RELEASE = "v20260714";
const ami = (releaseVersion: string): NodeAmiRelease => ({
    release: AMI_RELEASE,
    releaseVersion,
    karpenterAlias: `al2023@${AMI_RELEASE}`,
    source:
        "awslabs/amazon-eks-ami CHANGELOG.md, 'AMI Release v20260714' > AMI Details (commit 15822511): " +
        "amazon-eks-node-al2023-{arm64,x86_64}-standard-<minor>-v20260714 and their release version",
    asOf: READ,
    published: "2026-07-14",
    verified: true,
});

const COREDNS_TABLE =
    "EKS user guide, 'Manage CoreDNS' > 'CoreDNS versions', the latest EKS add-on build per Kubernetes version " +
    "(docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-coredns.md, the copy listing 1.30 to 1.36)";
const KUBE_PROXY_TABLE =
    "EKS user guide, 'Manage kube-proxy' > 'kube-proxy versions', the latest EKS add-on build per Kubernetes version " +
    "(docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md, the copy listing 1.31 to 1.36)";
const VPC_CNI_TABLE =
    "EKS user guide, 'Assign IPs to Pods with the Amazon VPC CNI' > 'Amazon VPC CNI versions' " +
    "(awsdocs/amazon-eks-user-guide latest/ug/networking/managing-vpc-cni.adoc, commit 057948d9: 1.27 to 1.33)";
const documented = (version: string, source: string, note?: string): PinnedAddon => ({
    version,
    source,
    asOf: READ,
    verified: true,
    ...(note ? { note } : {}),
});

/** Builds seen in public records of EKS (API reads, running clusters), not in an AWS document. */
const DEFAULTS_135 =
    "EKS default for 1.35 as recorded from `aws eks describe-addon-versions --kubernetes-version 1.35` " +
    "(ap-northeast-2, read 2026-08-04) in public IaC (code corpus); not an AWS document";
const observed = (version: string, source: string, published: string | undefined, note?: string): PinnedAddon => ({
    version,
    source,
    asOf: READ,
    ...(published ? { published } : {}),
    verified: false,
    note: note ? `${note}; ${REFRESH}` : REFRESH,
});

const VPC_CNI_OBSERVED = observed(
    "v1.22.4-eksbuild.3",
    "EKS default for 1.35 read from the API on 2026-08-27 (ap-northeast-2) and the build a 1.36 cluster resolved to, " +
        "both in public IaC and test records (code corpus)",
    "2026-08-27",
    "upstream v1.22.4 is tagged 2026-07-08 in aws/amazon-vpc-cni-k8s; the user guide's table readable offline stops at 1.33",
);

/** The add-ons whose build does not follow the Kubernetes minor: one pin for every minor. */
const minorIndependent: Omit<Record<AddonName, PinnedAddon>, "vpc-cni" | "coredns" | "kube-proxy"> = {
    "eks-pod-identity-agent": observed(
        "v1.3.10-eksbuild.3",
        `${DEFAULTS_135}; also what a 1.36 cluster resolved to`,
        "2026-08-04",
        "aws/eks-pod-identity-agent's tags (v0.1.x) do not name add-on builds",
    ),
    "aws-ebs-csi-driver": observed(
        "v1.63.1-eksbuild.1",
        `${DEFAULTS_135}; also pinned beside a 1.36 cluster`,
        "2026-08-04",
        "upstream v1.63.1 is tagged 2026-07-27 in kubernetes-sigs/aws-ebs-csi-driver (its CHANGELOG names no eksbuild)",
    ),
    "aws-efs-csi-driver": observed(
        "v3.3.0-eksbuild.1",
        "pinned beside a 1.36 cluster (created 2026-07-17) and in several public IaC files (code corpus)",
        "2026-07-17",
        "upstream v3.3.0 is a kubernetes-sigs/aws-efs-csi-driver tag",
    ),
    "metrics-server": observed("v0.9.0-eksbuild.5", DEFAULTS_135, "2026-08-04", "community add-on"),
    "amazon-cloudwatch-observability": observed(
        "v6.3.0-eksbuild.1",
        "pinned 'for k8s 1.35' in public IaC (code corpus)",
        "2026-06-22",
        "upstream chart v6.3.0 released 2026-06-22 (aws-observability/helm-charts RELEASE_NOTES)",
    ),
    adot: observed(
        "v0.131.0-eksbuild.1",
        "the platform's earlier pin; asserted as the latest compatible ADOT build by a public Terraform test (code corpus), " +
            "Kubernetes minor not recorded",
        undefined,
        "compatibility with each minor not confirmed",
    ),
    "cert-manager": observed("v1.21.0-eksbuild.3", DEFAULTS_135, "2026-08-04", "community add-on"),
    "external-dns": observed("v0.21.0-eksbuild.6", DEFAULTS_135, "2026-08-04", "community add-on"),
};

const entry = (
    kubernetes: KubernetesMinor,
    support: SupportCalendar,
    releaseVersion: string,
    addons: Pick<Record<AddonName, PinnedAddon>, "vpc-cni" | "coredns" | "kube-proxy">,
): MinorVersions => ({ kubernetes, support, ami: ami(releaseVersion), addons: { ...addons, ...minorIndependent } });

const VPC_CNI_133 = documented(
    "v1.20.1-eksbuild.3",
    VPC_CNI_TABLE,
    "the newest build an AWS table lists for this minor; newer builds exist (see 1.34)",
);

export const VERSION_TABLE: VersionTable = {
    asOf: READ,
    minors: {
        "1.32": entry(
            "1.32",
            calendar(
                {
                    upstreamRelease: "2024-12-11",
                    eksRelease: "2025-01-23",
                    endOfStandardSupport: "2026-03-23",
                    endOfExtendedSupport: "2027-03-23",
                },
                true,
            ),
            "1.32.13-20260714",
            {
                "vpc-cni": VPC_CNI_133,
                coredns: documented("v1.11.4-eksbuild.40", COREDNS_TABLE),
                "kube-proxy": documented("v1.32.13-eksbuild.16", KUBE_PROXY_TABLE),
            },
        ),
        "1.33": entry(
            "1.33",
            calendar(
                {
                    upstreamRelease: "2025-04-23",
                    eksRelease: "2025-05-29",
                    endOfStandardSupport: "2026-07-29",
                    endOfExtendedSupport: "2027-07-29",
                },
                true,
            ),
            "1.33.13-20260714",
            {
                "vpc-cni": VPC_CNI_133,
                coredns: documented("v1.12.4-eksbuild.18", COREDNS_TABLE),
                "kube-proxy": documented("v1.33.10-eksbuild.13", KUBE_PROXY_TABLE),
            },
        ),
        "1.34": entry(
            "1.34",
            calendar(
                {
                    upstreamRelease: "2025-08-27",
                    eksRelease: "2025-10-02",
                    endOfStandardSupport: "2026-12-02",
                    endOfExtendedSupport: "2027-12-02",
                },
                true,
            ),
            "1.34.9-20260714",
            {
                "vpc-cni": VPC_CNI_OBSERVED,
                coredns: documented("v1.13.2-eksbuild.11", COREDNS_TABLE),
                "kube-proxy": documented("v1.34.6-eksbuild.13", KUBE_PROXY_TABLE),
            },
        ),
        "1.35": entry(
            "1.35",
            calendar(
                {
                    upstreamRelease: "2025-12-17",
                    eksRelease: "2026-01-27",
                    endOfStandardSupport: "2027-03-27",
                    endOfExtendedSupport: "2028-03-27",
                },
                false,
            ),
            "1.35.6-20260714",
            {
                "vpc-cni": VPC_CNI_OBSERVED,
                coredns: documented(
                    "v1.14.3-eksbuild.3",
                    COREDNS_TABLE,
                    "EKS's default build for 1.35 was v1.13.2-eksbuild.11 on 2026-08-04 (public IaC record)",
                ),
                "kube-proxy": documented("v1.35.3-eksbuild.13", KUBE_PROXY_TABLE),
            },
        ),
        "1.36": entry(
            "1.36",
            calendar(
                {
                    upstreamRelease: "2026-04-22",
                    eksRelease: "2026-06-02",
                    endOfStandardSupport: "2027-08-02",
                    endOfExtendedSupport: "2028-08-02",
                },
                false,
            ),
            "1.36.2-20260714",
            {
                "vpc-cni": VPC_CNI_OBSERVED,
                coredns: documented("v1.14.3-eksbuild.3", COREDNS_TABLE),
                "kube-proxy": documented("v1.36.0-eksbuild.14", KUBE_PROXY_TABLE),
            },
        ),
    },
};
