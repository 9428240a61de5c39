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
import { defineRule, problems, type Rule } from "./rule";
import { KUBERNETES_MINORS } from "../versions/model";
import { supportFindings } from "../versions/support";

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

/** Kubernetes minor versions the version table pins everything for (stacks/versions/table.ts). */
export const SUPPORTED_KUBERNETES_VERSIONS = KUBERNETES_MINORS;
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
/** The log types every stack keeps (CIS EKS 2.1.1 asks for audit; api and authenticator explain access). */
export const REQUIRED_LOG_TYPES = ["api", "audit", "authenticator"] as const;
/** The EKS access policies an access entry can be given, by short name (admin, edit, view: AmazonEKS<Name>Policy). */
export const ACCESS_POLICY_NAMES = ["cluster-admin", "admin", "edit", "view"] as const;
export const ARCHITECTURES = ["amd64", "arm64"] as const;

const reserved = z
    .strictObject({
        cpu: quantity.optional().describe("CPU reserved, e.g. 100m."),
        memory: quantity.optional().describe("Memory reserved, e.g. 256Mi."),
        "ephemeral-storage": quantity.optional().describe("Ephemeral storage reserved, e.g. 1Gi."),
    })
    .describe("Resources the kubelet keeps back from pods.");

/** containerd and kubelet settings shared by the system node group and every Karpenter EC2NodeClass. */
export const nodeSettingsSchema = z
    .strictObject({
        containerLogMaxSize: z
            .string()
            .regex(/^\d+(Ki|Mi|Gi)$/, "must be a size such as 10Mi")
            .describe("Container log file size before the kubelet rotates it."),
        containerLogMaxFiles: z
            .number()
            .int()
            .min(2, "must be between 2 and 20")
            .max(20, "must be between 2 and 20")
            .describe("Rotated container log files the kubelet keeps per container."),
        imageGcHighThresholdPercent: z
            .number()
            .int()
            .min(1, "must be between 1 and 100")
            .max(100, "must be between 1 and 100")
            .describe("Disk usage (%) at which the kubelet starts deleting unused images."),
        imageGcLowThresholdPercent: z
            .number()
            .int()
            .min(1, "must be between 1 and 100")
            .max(100, "must be between 1 and 100")
            .describe("Disk usage (%) image garbage collection frees down to (below the high threshold)."),
        systemReserved: reserved.describe("kubelet systemReserved: for the OS daemons."),
        kubeReserved: reserved.describe("kubelet kubeReserved: for the kubelet and containerd."),
        maxPods: z
            .number()
            .int()
            .min(8, "must be between 8 and 737")
            .max(737, "must be between 8 and 737")
            .optional()
            .describe("Explicit max pods; unset: derived from the CNI mode (110 with prefix delegation) or nodeadm's ENI-based value."),
        containerd: z
            .strictObject({
                maxConcurrentDownloads: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 20")
                    .max(20, "must be between 1 and 20")
                    .describe("Image layers containerd pulls at once (transfer service)."),
                registryMirrors: z
                    .record(
                        z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, "must be a registry host such as docker.io"),
                        z
                            .array(z.url({ message: "must be an https URL", protocol: /^https$/ }))
                            .min(1, "must list at least one mirror URL"),
                    )
                    .describe("Registry host -> mirror URLs (containerd hosts.toml), e.g. docker.io: [https://mirror.example.com]."),
            })
            .describe("containerd (AL2023 nodeadm drop-in, config version 3)."),
    })
    .refine((s) => s.imageGcLowThresholdPercent < s.imageGcHighThresholdPercent, {
        path: ["imageGcLowThresholdPercent"],
        message: "must be lower than imageGcHighThresholdPercent",
    })
    .describe("containerd and kubelet settings of every node (system node group and Karpenter EC2NodeClasses).");
export type NodeSettings = z.infer<typeof nodeSettingsSchema>;

export const clusterSchema = z
    .strictObject({
        name: z
            .string()
            .regex(/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/, "must start with a letter and hold only letters, digits and '-' (100 chars)")
            .optional()
            .describe(
                "The EKS cluster name, also the value of every discovery and ownership tag. Default: eks-platform-<stack>. A change replaces the cluster.",
            ),
        kubernetesVersion: z
            .enum(SUPPORTED_KUBERNETES_VERSIONS, {
                message: `must be a supported Kubernetes version: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")} (quote it in YAML: "1.34")`,
            })
            .describe(
                "The Kubernetes minor version of the control plane (quoted in YAML). The add-on builds and the node AMI release follow it (stacks/versions/table.ts) unless set.",
            ),
        upgradePolicy: z
            .strictObject({
                supportType: z
                    .enum(["STANDARD", "EXTENDED"], { message: "must be STANDARD or EXTENDED" })
                    .describe(
                        "STANDARD: EKS upgrades the control plane at the end of standard support. EXTENDED: it stays, at the extended-support price.",
                    ),
            })
            .describe("The EKS upgrade policy."),
        acceptExtendedSupport: z
            .boolean()
            .describe("Accept a version past EKS standard support ($0.60 instead of $0.10 per cluster-hour); prod refuses one without it."),
        endpoint: z
            .strictObject({
                privateAccess: z
                    .literal(true, { message: "must be true: nodes reach the API server inside the VPC" })
                    .describe("The private API endpoint (always on)."),
                publicAccess: z.boolean().describe("The public API endpoint."),
                publicAccessCidrs: z.array(cidr()).describe("Networks allowed to reach the public endpoint (required when it is on)."),
            })
            .describe("Where the Kubernetes API endpoint can be reached from."),
        accessEntries: z
            .array(
                z
                    .strictObject({
                        principalArn: iamPrincipalArn.describe("The IAM role or user ARN."),
                        accessPolicy: z
                            .enum(ACCESS_POLICY_NAMES, { message: `must be one of ${ACCESS_POLICY_NAMES.join(", ")}` })
                            .describe("cluster-admin, admin, edit or view (the EKS access policies)."),
                        namespaces: z
                            .array(dnsLabel)
                            .optional()
                            .describe("Limit the policy to these namespaces; cluster-wide when absent."),
                    })
                    .describe("An access entry."),
            )
            .describe("Who gets cluster access (EKS access entries; no aws-auth ConfigMap)."),
        bootstrapClusterCreatorAdminPermissions: z
            .literal(true, {
                message:
                    "must be true: @pulumi/eks always grants the deploying identity cluster-admin and the program's Kubernetes provider needs it",
            })
            .describe(
                "The identity running `pulumi up` gets cluster-admin. Always true: @pulumi/eks 4.x hard-codes it whenever authenticationMode is set, and the program's Kubernetes provider signs in as that identity.",
            ),
        serviceCidr: cidrWithPrefix(12, 24)
            .refine((v) => SERVICE_CIDR_RANGES.some((range) => cidrInside(v, range)), {
                message: "must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (EKS rule for the service CIDR)",
            })
            .describe("Kubernetes service CIDR (kubernetesServiceIpAddressRange): RFC 1918, /12 to /24; fixed at creation."),
        logTypes: z
            .array(z.enum(CONTROL_PLANE_LOG_TYPES, { message: `must be one of ${CONTROL_PLANE_LOG_TYPES.join(", ")}` }))
            .refine((types) => REQUIRED_LOG_TYPES.every((t) => types.includes(t)), {
                message: `must include ${REQUIRED_LOG_TYPES.join(", ")}`,
            })
            .describe("Control-plane log types sent to CloudWatch Logs (api, audit and authenticator always)."),
        logRetentionDays: logRetentionDays.describe("Days the control-plane log group keeps its events."),
        kmsKeyDeletionWindowDays: z
            .number()
            .int()
            .min(7, "must be between 7 and 30")
            .max(30, "must be between 7 and 30")
            .describe("Deletion window of the secrets-encryption KMS key."),
        protect: z
            .boolean()
            .describe("`protect` the stateful resources (cluster, KMS key, buckets): a destroy then needs an explicit unprotect."),
        systemNodeGroup: z
            .strictObject({
                instanceTypes: z
                    .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an instance type such as m7g.large"))
                    .min(1, "must list at least one instance type")
                    .describe("Instance types of the system nodes (all of the group's architecture)."),
                architecture: z.enum(ARCHITECTURES, { message: "must be amd64 or arm64" }).describe("amd64 or arm64 (AL2023 AMI type)."),
                capacityType: z.enum(["ON_DEMAND", "SPOT"], { message: "must be ON_DEMAND or SPOT" }).describe("ON_DEMAND or SPOT."),
                minSize: z.number().int().min(1, "must be at least 1").describe("Fewest nodes."),
                desiredSize: z
                    .number()
                    .int()
                    .min(1, "must be at least 1")
                    .describe("Nodes at creation (the group then keeps its own count)."),
                maxSize: z
                    .number()
                    .int()
                    .min(1, "must be at least 1")
                    .max(20, "must be at most 20: the system group only runs add-ons")
                    .describe("Most nodes."),
                diskSizeGiB: z
                    .number()
                    .int()
                    .min(20, "must be between 20 and 1000")
                    .max(1000, "must be between 20 and 1000")
                    .describe("Encrypted gp3 root volume size."),
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
            })
            .describe("The managed node group for the platform's controllers (tainted CriticalAddonsOnly)."),
        nodeSettings: nodeSettingsSchema,
        addons: z
            .strictObject({
                vpcCni: addonVersion.describe("vpc-cni add-on version."),
                coredns: addonVersion.describe("coredns add-on version."),
                kubeProxy: addonVersion.describe("kube-proxy add-on version (its minor must equal kubernetesVersion)."),
                podIdentityAgent: addonVersion.describe("eks-pod-identity-agent add-on version."),
                ebsCsiDriver: addonVersion.describe("aws-ebs-csi-driver add-on version."),
                metricsServer: addonVersion.describe("metrics-server add-on version."),
            })
            .describe("EKS add-on versions, pinned."),
    })
    .describe("The EKS cluster: version, endpoint, access, logs, KMS, protect, the system node group, node settings, add-ons.");

const cluster = (...path: (string | number)[]) => ["eks-platform:cluster", ...path];
type ClusterView = { environment: Environment; cluster: z.infer<typeof clusterSchema> };

export const clusterRules: readonly Rule<ClusterView>[] = [
    defineRule({
        needs: ["cluster.addons", "cluster.kubernetesVersion"],
        summary: "kube-proxy's minor version equals kubernetesVersion",
        reports: ["eks-platform:cluster.addons.kubeProxy"],
        check: ({ cluster: c }) => {
            const p = problems();
            const proxyMinor = /^v(\d+\.\d+)\./.exec(c.addons.kubeProxy)?.[1];
            if (proxyMinor && proxyMinor !== c.kubernetesVersion)
                p.add(cluster("addons", "kubeProxy"), `must match the cluster's Kubernetes minor version ${c.kubernetesVersion}`);
            return p.list;
        },
    }),
    defineRule({
        needs: ["environment", "cluster.kubernetesVersion", "cluster.upgradePolicy", "cluster.acceptExtendedSupport"],
        summary:
            "judged against the version table's as-of date: past standard support is refused in prod unless acceptExtendedSupport and supportType EXTENDED, warned elsewhere; a warning within 60 days of the end of standard support",
        reports: ["eks-platform:cluster.kubernetesVersion", "eks-platform:cluster.upgradePolicy.supportType"],
        check: ({ environment, cluster: c }) =>
            supportFindings({
                environment,
                kubernetesVersion: c.kubernetesVersion,
                supportType: c.upgradePolicy.supportType,
                acceptExtendedSupport: c.acceptExtendedSupport,
            }).map((f) => ({
                pathParts: [...f.pathParts],
                rule: f.rule,
                ...(f.severity === "warning" ? { severity: "warning" as const } : {}),
            })),
    }),
    defineRule({
        needs: ["environment", "cluster.endpoint"],
        summary: "a public endpoint lists its networks; in prod never 0.0.0.0/0",
        reports: ["eks-platform:cluster.endpoint.publicAccessCidrs"],
        check: ({ environment, cluster: c }) => {
            const p = problems();
            if (c.endpoint.publicAccess && c.endpoint.publicAccessCidrs.length === 0)
                p.add(
                    cluster("endpoint", "publicAccessCidrs"),
                    "must list the networks allowed to reach the public endpoint (EKS opens it to 0.0.0.0/0 when empty)",
                );
            if (environment === "prod" && c.endpoint.publicAccess)
                c.endpoint.publicAccessCidrs.forEach((cidr, i) => {
                    if (cidr === "0.0.0.0/0")
                        p.add(
                            cluster("endpoint", "publicAccessCidrs", i),
                            "must not open the public API endpoint to the whole internet in prod (CIS EKS 5.4.2): list your networks",
                        );
                });
            return p.list;
        },
    }),
    defineRule({
        needs: ["environment", "cluster.systemNodeGroup"],
        summary: "prod: at least 2 system nodes",
        reports: ["eks-platform:cluster.systemNodeGroup.minSize"],
        check: ({ environment, cluster: c }) => {
            const p = problems();
            if (environment === "prod" && c.systemNodeGroup.minSize < 2)
                p.add(cluster("systemNodeGroup", "minSize"), "must be at least 2 in prod so system add-ons survive the loss of a node");
            return p.list;
        },
    }),
    defineRule({
        needs: ["environment", "cluster.protect"],
        summary: "prod: protect is true",
        reports: ["eks-platform:cluster.protect"],
        check: ({ environment, cluster: c }) => {
            const p = problems();
            if (environment === "prod" && !c.protect)
                p.add(cluster("protect"), "must be true in prod: the cluster, its KMS key and the log buckets are protected from deletion");
            return p.list;
        },
    }),
];

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

// The add-on builds are not defaults here: they follow kubernetesVersion through the version table
// (stacks/versions/table.ts, filled in by the section's prepare in stacks/sections.ts); a stack may pin one.
const common = {
    kubernetesVersion: "1.35" as const,
    upgradePolicy: { supportType: "STANDARD" as const },
    acceptExtendedSupport: false,
    accessEntries: [],
    bootstrapClusterCreatorAdminPermissions: true as const,
    serviceCidr: "172.20.0.0/16",
    nodeSettings,
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
