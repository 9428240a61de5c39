import { z } from "zod";
import {
    addonVersion,
    cidr,
    cidrWithPrefix,
    dnsLabel,
    iamPrincipalArn,
    logRetentionDays,
    parseCidr,
    quantity,
    type Environment,
} from "./common";

const SERVICE_CIDR_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;
function cidrInside(inner: string, outer: string): boolean {
    const a = parseCidr(inner);
    const b = parseCidr(outer);
    return a !== undefined && b !== undefined && a.address.isInSubnet(b.address);
}

/**
 * Whether an instance type is Graviton (arm64): its family carries a "g" after the generation digit
 * (m7g, c7gn, r8g, x2gd, im4gn, is4gen, g5g), unlike x86 families such as g5, g6e or m7i.
 */
export function isArm64InstanceType(instanceType: string): boolean {
    const family = instanceType.split(".")[0] ?? "";
    const suffix = /^[a-z]+\d+([a-z-]*)$/.exec(family)?.[1] ?? "";
    return suffix.includes("g");
}

/**
 * An EKS-optimized AMI release version as managed node groups take it (`releaseVersion`, EKS CreateNodegroup API):
 * `<Kubernetes major.minor.patch>-<build date YYYYMMDD>`, e.g. 1.34.2-20251120. The current one for a version and
 * architecture: `aws ssm get-parameter --name /aws/service/eks/optimized-ami/<minor>/amazon-linux-2023/<x86_64|arm64>/standard/recommended/release_version`.
 */
export const AMI_RELEASE_VERSION = /^(\d+)\.(\d+)\.(\d+)-20\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

/** Kubernetes minor versions this platform is tested with on EKS (standard support). */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.32", "1.33", "1.34", "1.35"] as const;
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
/** The log types every stack keeps (CIS EKS 2.1.1 asks for audit; api and authenticator explain access). */
export const REQUIRED_LOG_TYPES = ["api", "audit", "authenticator"] as const;
/** The EKS access policies an access entry can be given, by short name (admin, edit, view: AmazonEKS<Name>Policy). */
export const ACCESS_POLICY_NAMES = ["cluster-admin", "admin", "edit", "view"] as const;
export const ARCHITECTURES = ["amd64", "arm64"] as const;

const reserved = z.strictObject({
    cpu: quantity.optional(),
    memory: quantity.optional(),
    "ephemeral-storage": quantity.optional(),
});

/** containerd and kubelet settings shared by the system node group and every Karpenter EC2NodeClass. */
export const nodeSettingsSchema = z
    .strictObject({
        containerLogMaxSize: z.string().regex(/^\d+(Ki|Mi|Gi)$/, "must be a size such as 10Mi"),
        containerLogMaxFiles: z.number().int().min(2, "must be between 2 and 20").max(20, "must be between 2 and 20"),
        imageGcHighThresholdPercent: z.number().int().min(1, "must be between 1 and 100").max(100, "must be between 1 and 100"),
        imageGcLowThresholdPercent: z.number().int().min(1, "must be between 1 and 100").max(100, "must be between 1 and 100"),
        systemReserved: reserved,
        kubeReserved: reserved,
        /** Explicit max pods; leave unset to let nodeadm derive it from the instance type and the CNI mode. */
        maxPods: z.number().int().min(8, "must be between 8 and 737").max(737, "must be between 8 and 737").optional(),
        containerd: z.strictObject({
            maxConcurrentDownloads: z.number().int().min(1, "must be between 1 and 20").max(20, "must be between 1 and 20"),
            /** Registry host -> mirror endpoints, e.g. { "docker.io": ["https://mirror.example.com"] }. */
            registryMirrors: z.record(
                z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, "must be a registry host such as docker.io"),
                z.array(z.url({ message: "must be an https URL", protocol: /^https$/ })).min(1, "must list at least one mirror URL"),
            ),
        }),
    })
    .refine((s) => s.imageGcLowThresholdPercent < s.imageGcHighThresholdPercent, {
        path: ["imageGcLowThresholdPercent"],
        message: "must be lower than imageGcHighThresholdPercent",
    });
export type NodeSettings = z.infer<typeof nodeSettingsSchema>;

export const clusterSchema = z
    .strictObject({
        /** The EKS cluster name; also the value of every discovery and ownership tag. Default: eks-platform-<stack>. */
        name: z
            .string()
            .regex(/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/, "must start with a letter and hold only letters, digits and '-' (100 chars)")
            .optional(),
        kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_VERSIONS, {
            message: `must be a supported Kubernetes version: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")} (quote it in YAML: "1.34")`,
        }),
        endpoint: z.strictObject({
            privateAccess: z.literal(true, { message: "must be true: nodes reach the API server inside the VPC" }),
            publicAccess: z.boolean(),
            publicAccessCidrs: z.array(cidr()),
        }),
        accessEntries: z.array(
            z.strictObject({
                principalArn: iamPrincipalArn,
                accessPolicy: z.enum(ACCESS_POLICY_NAMES, {
                    message: `must be one of ${ACCESS_POLICY_NAMES.join(", ")}`,
                }),
                /** Limit the policy to these namespaces; cluster-wide when absent. */
                namespaces: z.array(dnsLabel).optional(),
            }),
        ),
        /**
         * The identity running `pulumi up` gets cluster-admin. Always true, deliberately: @pulumi/eks 4.x hard-codes
         * `accessConfig.bootstrapClusterCreatorAdminPermissions: true` whenever authenticationMode is set (it deploys to
         * the cluster itself), and this program's Kubernetes provider authenticates as that same identity. Human and
         * CI admins come from accessEntries.
         */
        bootstrapClusterCreatorAdminPermissions: z.literal(true, {
            message:
                "must be true: @pulumi/eks always grants the deploying identity cluster-admin and the program's Kubernetes provider needs it",
        }),
        /** Kubernetes service CIDR (kubernetesServiceIpAddressRange): RFC 1918, /12 to /24; fixed at creation. */
        serviceCidr: cidrWithPrefix(12, 24).refine((v) => SERVICE_CIDR_RANGES.some((range) => cidrInside(v, range)), {
            message: "must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (EKS rule for the service CIDR)",
        }),
        logTypes: z
            .array(z.enum(CONTROL_PLANE_LOG_TYPES, { message: `must be one of ${CONTROL_PLANE_LOG_TYPES.join(", ")}` }))
            .refine((types) => REQUIRED_LOG_TYPES.every((t) => types.includes(t)), {
                message: `must include ${REQUIRED_LOG_TYPES.join(", ")}`,
            }),
        logRetentionDays: logRetentionDays,
        /** Deletion window of the secrets-encryption KMS key. */
        kmsKeyDeletionWindowDays: z.number().int().min(7, "must be between 7 and 30").max(30, "must be between 7 and 30"),
        /** `protect` the stateful resources (cluster, KMS key, log buckets): a destroy then needs an explicit unprotect. */
        protect: z.boolean(),
        systemNodeGroup: z
            .strictObject({
                instanceTypes: z
                    .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an instance type such as m7g.large"))
                    .min(1, "must list at least one instance type"),
                architecture: z.enum(ARCHITECTURES, { message: "must be amd64 or arm64" }),
                capacityType: z.enum(["ON_DEMAND", "SPOT"], { message: "must be ON_DEMAND or SPOT" }),
                minSize: z.number().int().min(1, "must be at least 1"),
                desiredSize: z.number().int().min(1, "must be at least 1"),
                maxSize: z.number().int().min(1, "must be at least 1").max(20, "must be at most 20: the system group only runs add-ons"),
                diskSizeGiB: z.number().int().min(20, "must be between 20 and 1000").max(1000, "must be between 20 and 1000"),
                /** Pins the nodes' AMI release; EKS picks the latest for `kubernetesVersion` at creation when unset. */
                releaseVersion: z
                    .string()
                    .regex(AMI_RELEASE_VERSION, "must be an EKS AMI release version <major.minor.patch>-<YYYYMMDD> such as 1.34.2-20251120")
                    .optional(),
            })
            .superRefine((g, ctx) => {
                g.instanceTypes.forEach((type, i) => {
                    if (isArm64InstanceType(type) !== (g.architecture === "arm64")) {
                        ctx.addIssue({
                            code: "custom",
                            path: ["instanceTypes", i],
                            message: `must be an ${g.architecture} instance type to match architecture`,
                        });
                    }
                });
                if (g.minSize > g.desiredSize)
                    ctx.addIssue({ code: "custom", path: ["desiredSize"], message: `must be at least minSize (${g.minSize})` });
                if (g.desiredSize > g.maxSize)
                    ctx.addIssue({ code: "custom", path: ["desiredSize"], message: `must be at most maxSize (${g.maxSize})` });
            }),
        nodeSettings: nodeSettingsSchema,
        addons: z.strictObject({
            vpcCni: addonVersion,
            coredns: addonVersion,
            kubeProxy: addonVersion,
            podIdentityAgent: addonVersion,
            ebsCsiDriver: addonVersion,
            metricsServer: addonVersion,
        }),
    })
    .superRefine((c, ctx) => {
        const proxyMinor = /^v(\d+\.\d+)\./.exec(c.addons.kubeProxy)?.[1];
        if (proxyMinor && proxyMinor !== c.kubernetesVersion) {
            ctx.addIssue({
                code: "custom",
                path: ["addons", "kubeProxy"],
                message: `must match the cluster's Kubernetes minor version ${c.kubernetesVersion}`,
            });
        }
        const release = c.systemNodeGroup.releaseVersion && AMI_RELEASE_VERSION.exec(c.systemNodeGroup.releaseVersion);
        if (release && `${release[1]}.${release[2]}` !== c.kubernetesVersion) {
            ctx.addIssue({
                code: "custom",
                path: ["systemNodeGroup", "releaseVersion"],
                message: `must be a release of the cluster's Kubernetes minor version ${c.kubernetesVersion}`,
            });
        }
        if (c.endpoint.publicAccess && c.endpoint.publicAccessCidrs.length === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["endpoint", "publicAccessCidrs"],
                message: "must list the networks allowed to reach the public endpoint (EKS opens it to 0.0.0.0/0 when empty)",
            });
        }
    });

export type ClusterConfig = z.infer<typeof clusterSchema>;

const nodeSettings: z.input<typeof nodeSettingsSchema> = {
    containerLogMaxSize: "50Mi",
    containerLogMaxFiles: 5,
    imageGcHighThresholdPercent: 85,
    imageGcLowThresholdPercent: 75,
    systemReserved: { cpu: "100m", memory: "256Mi", "ephemeral-storage": "1Gi" },
    kubeReserved: { cpu: "100m", memory: "512Mi", "ephemeral-storage": "1Gi" },
    containerd: { maxConcurrentDownloads: 3, registryMirrors: {} },
};

// EKS add-on versions for Kubernetes 1.34, from the EKS user guide's "latest version" tables (coredns,
// kube-proxy) and `aws eks describe-addon-versions` as of the AL2023 AMI pinned in the stacks (v20251117).
// kube-proxy must follow the cluster's minor version (checked above).
const addons: ClusterConfig["addons"] = {
    vpcCni: "v1.20.4-eksbuild.1",
    coredns: "v1.12.4-eksbuild.1",
    kubeProxy: "v1.34.1-eksbuild.2",
    podIdentityAgent: "v1.3.8-eksbuild.2",
    ebsCsiDriver: "v1.50.1-eksbuild.1",
    metricsServer: "v0.8.0-eksbuild.2",
};

const common = {
    kubernetesVersion: "1.34" as const,
    accessEntries: [],
    bootstrapClusterCreatorAdminPermissions: true as const,
    serviceCidr: "172.20.0.0/16",
    nodeSettings,
    addons,
};

export const clusterDefaults: Record<Environment, Partial<z.input<typeof clusterSchema>>> = {
    dev: {
        ...common,
        endpoint: { privateAccess: true, publicAccess: true, publicAccessCidrs: [] },
        logTypes: ["api", "audit", "authenticator"],
        logRetentionDays: 7,
        kmsKeyDeletionWindowDays: 7,
        protect: false,
        systemNodeGroup: {
            instanceTypes: ["t4g.large"],
            architecture: "arm64",
            capacityType: "ON_DEMAND",
            minSize: 1,
            desiredSize: 2,
            maxSize: 3,
            diskSizeGiB: 50,
        },
    },
    staging: {
        ...common,
        endpoint: { privateAccess: true, publicAccess: true, publicAccessCidrs: [] },
        logTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
        logRetentionDays: 30,
        kmsKeyDeletionWindowDays: 14,
        protect: false,
        systemNodeGroup: {
            instanceTypes: ["m7g.large"],
            architecture: "arm64",
            capacityType: "ON_DEMAND",
            minSize: 2,
            desiredSize: 2,
            maxSize: 4,
            diskSizeGiB: 50,
        },
    },
    prod: {
        ...common,
        endpoint: { privateAccess: true, publicAccess: false, publicAccessCidrs: [] },
        logTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
        logRetentionDays: 365,
        kmsKeyDeletionWindowDays: 30,
        protect: true,
        systemNodeGroup: {
            instanceTypes: ["m7g.large", "m6g.large"],
            architecture: "arm64",
            capacityType: "ON_DEMAND",
            minSize: 3,
            desiredSize: 3,
            maxSize: 6,
            diskSizeGiB: 80,
        },
    },
};
