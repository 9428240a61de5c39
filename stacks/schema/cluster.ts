import { z } from "zod";
import { architectureOf } from "../../lib/catalog";
import { iamPrincipalArn, knownInstanceType } from "./catalog";
import { addonVersion, cidr, cidrWithPrefix, dnsLabel, logRetentionDays, parseCidr, type Environment } from "./common";
import { describeCoverage, describeLimit, ENDPOINT_GUARDRAILS, publicEndpointFindings } from "./endpoint";
import { nodeSettingsDefaults, nodeSettingsSchema } from "./node-settings";
import { defineRule, problems, type Rule } from "./rule";
import { KUBERNETES_MINORS } from "../versions/model";
import { supportFindings } from "../versions/support";

const SERVICE_CIDR_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;
function cidrInside(inner: string, outer: string): boolean {
    const a = parseCidr(inner);
    const b = parseCidr(outer);
    return a !== undefined && b !== undefined && a.address.isInSubnet(b.address);
}

export { nodeSettingsSchema, type NodeSettings } from "./node-settings";

/** Whether a catalogued instance type is Graviton (arm64), by the instance-type catalogue (lib/catalog); false for an unknown one. */
export function isArm64InstanceType(instanceType: string): boolean {
    return architectureOf(instanceType) === "arm64";
}

/**
 * An EKS-optimized AMI release version as managed node groups take it (`releaseVersion`, EKS CreateNodegroup API):
 * `<Kubernetes major.minor.patch>-<build date YYYYMMDD>`, e.g. 1.34.2-20251120. The current one for a version and
 * architecture: `aws ssm get-parameter --name /aws/service/eks/optimized-ami/<minor>/amazon-linux-2023/<x86_64|arm64>/standard/recommended/release_version`.
 */
export const AMI_RELEASE_VERSION = /^(\d+)\.(\d+)\.(\d+)-20\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

/** Kubernetes minor versions the version table pins everything for (stacks/versions/table.ts). */
export const SUPPORTED_KUBERNETES_VERSIONS = KUBERNETES_MINORS;
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
/** The log types every stack keeps (CIS EKS 2.1.1 asks for audit; api and authenticator explain access). */
export const REQUIRED_LOG_TYPES = ["api", "audit", "authenticator"] as const;
/** The EKS access policies an access entry can be given, by short name (admin, edit, view: AmazonEKS<Name>Policy). */
export const ACCESS_POLICY_NAMES = ["cluster-admin", "admin", "edit", "view"] as const;
export const ARCHITECTURES = ["amd64", "arm64"] as const;

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
                publicAccessCidrs: z
                    .array(cidr())
                    .describe(
                        "Networks allowed to reach the public endpoint: required when it is on, refused when it is off (they would open it unreviewed when publicAccess flips). Judged by the addresses they cover together, not their spelling: dev warns above a /8's worth, staging refuses above a /16's worth (stacks/schema/endpoint.ts, the same rule as the policy pack's eks-endpoint-not-public).",
                    ),
            })
            .describe(
                "Where the Kubernetes API endpoint can be reached from. prod: private only (publicAccess true is refused, as the policy pack refuses it).",
            ),
        accessEntries: z
            .array(
                z
                    .strictObject({
                        principalArn: iamPrincipalArn.describe(
                            "The IAM role or user ARN, of the partition of aws:region (arn:aws-cn:... in China). STS session ARNs (assumed-role, federated-user), groups and root are refused; a session ARN's message names the role ARN to use. Unique across entries.",
                        ),
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
                    .array(knownInstanceType)
                    .min(1, "must list at least one instance type")
                    .describe(
                        "Instance types of the system nodes: each one the instance-type catalogue lists (lib/catalog, with did-you-mean), of the group's architecture by the catalogue.",
                    ),
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
                releaseVersion: z
                    .string()
                    .regex(AMI_RELEASE_VERSION, "must be an EKS AMI release version <major.minor.patch>-<YYYYMMDD> such as 1.35.6-20260714")
                    .optional()
                    .describe(
                        "The nodes' AMI release (EKS releaseVersion); follows kubernetesVersion through the version table unless pinned. Raising it rolls the system nodes.",
                    ),
            })
            .superRefine((g, ctx) => {
                g.instanceTypes.forEach((type, i) => {
                    const architecture = architectureOf(type);
                    if (architecture !== undefined && architecture !== g.architecture) {
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
                efsCsiDriver: addonVersion.describe(
                    "aws-efs-csi-driver add-on version (installed with eks-platform:storage.efs.csiDriver).",
                ),
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
        summary:
            "a public endpoint lists its networks and a private one lists none; prod: private only; the networks together cover at most a /16's worth in staging (a /8's worth in dev, warned): the policy pack's eks-endpoint-not-public, from one definition (stacks/schema/endpoint.ts)",
        reports: ["eks-platform:cluster.endpoint.publicAccess", "eks-platform:cluster.endpoint.publicAccessCidrs"],
        check: ({ environment, cluster: c }) => {
            const p = problems();
            const { publicAccess, publicAccessCidrs } = c.endpoint;
            if (!publicAccess && publicAccessCidrs.length > 0)
                p.add(
                    cluster("endpoint", "publicAccessCidrs"),
                    "must be empty while publicAccess is false: the networks have no effect on a private endpoint, and kept for later they would open it unreviewed the day publicAccess flips",
                );
            if (publicAccess && publicAccessCidrs.length === 0)
                p.add(
                    cluster("endpoint", "publicAccessCidrs"),
                    "must list the networks allowed to reach the public endpoint (EKS opens it to 0.0.0.0/0 when empty)",
                );
            const guardrail = ENDPOINT_GUARDRAILS[environment];
            const report = guardrail.level === "mandatory" ? p.add : p.warn;
            for (const finding of publicEndpointFindings(c.endpoint, guardrail)) {
                if (finding.kind === "private-only")
                    report(
                        cluster("endpoint", "publicAccess"),
                        `must be false in ${environment}: the API endpoint is private only there (CIS EKS 5.4.1/5.4.2; the policy pack's eks-endpoint-not-public refuses it too), reach it over VPN or Direct Connect`,
                    );
                else if (publicAccessCidrs.length > 0)
                    report(
                        cluster("endpoint", "publicAccessCidrs"),
                        `must not open the public API endpoint this wide in ${environment}: together they cover ${describeCoverage(finding.covered)}, more than the ${describeLimit(finding.limit)} allowed there (stacks/schema/endpoint.ts): list your own networks`,
                    );
            }
            return p.list;
        },
    }),
    defineRule({
        needs: ["cluster.accessEntries"],
        summary: "each IAM principal has one access entry",
        reports: ["eks-platform:cluster.accessEntries"],
        check: ({ cluster: c }) => {
            const p = problems();
            const seen = new Map<string, number>();
            c.accessEntries.forEach((entry, i) => {
                const first = seen.get(entry.principalArn);
                if (first !== undefined)
                    p.add(
                        cluster("accessEntries", i, "principalArn"),
                        `must be unique: accessEntries[${first}] already names this principal, and EKS allows one access entry per principal`,
                    );
                else seen.set(entry.principalArn, i);
            });
            return p.list;
        },
    }),
    defineRule({
        needs: ["cluster.systemNodeGroup", "cluster.kubernetesVersion"],
        summary: "the system nodes' AMI release is of kubernetesVersion's minor",
        reports: ["eks-platform:cluster.systemNodeGroup.releaseVersion"],
        check: ({ cluster: c }) => {
            const p = problems();
            const release = c.systemNodeGroup.releaseVersion && AMI_RELEASE_VERSION.exec(c.systemNodeGroup.releaseVersion);
            if (release && `${release[1]}.${release[2]}` !== c.kubernetesVersion)
                p.add(
                    cluster("systemNodeGroup", "releaseVersion"),
                    `must be a release of the cluster's Kubernetes minor version ${c.kubernetesVersion}`,
                );
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

// The add-on builds are not defaults here: they follow kubernetesVersion through the version table
// (stacks/versions/table.ts, filled in by the section's prepare in stacks/sections.ts); a stack may pin one.
const common = {
    kubernetesVersion: "1.35" as const,
    upgradePolicy: { supportType: "STANDARD" as const },
    acceptExtendedSupport: false,
    accessEntries: [],
    bootstrapClusterCreatorAdminPermissions: true as const,
    serviceCidr: "172.20.0.0/16",
    nodeSettings: nodeSettingsDefaults,
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
            minSize: 2,
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
            minSize: 3,
            desiredSize: 3,
            maxSize: 5,
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
