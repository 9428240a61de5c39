import { z } from "zod";
import { knownInstanceFamily } from "../catalog";
import { AZ_NAME_RULE, chartVersion, dnsLabel, labelKey, labelValue, quantity, type Environment } from "../common";
import { cpuMemoryLimitsSchema, limitsSchema, requirementSchema } from "./requirements";

// "reserved" (capacity reservations) is left out: it needs capacityReservationSelectorTerms, which no EC2NodeClass here sets.
export const CAPACITY_TYPES = ["spot", "on-demand"] as const;
export const NODE_ARCHITECTURES = ["amd64", "arm64"] as const;
/** Values of karpenter.k8s.aws/instance-category Karpenter's EC2 provider reports. */
export const INSTANCE_CATEGORIES = [
    "a",
    "c",
    "d",
    "f",
    "g",
    "hpc",
    "i",
    "im",
    "inf",
    "is",
    "m",
    "p",
    "r",
    "t",
    "trn",
    "u",
    "vt",
    "x",
    "z",
] as const;
export const POOL_PRESETS = ["general", "graviton", "on-demand-baseline", "team", "gpu"] as const;
export const CONSOLIDATION_POLICIES = ["WhenEmpty", "WhenEmptyOrUnderutilized"] as const;
export const DISRUPTION_REASONS = ["Underutilized", "Empty", "Drifted"] as const;
export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

/** Karpenter's duration (consolidateAfter, expireAfter): whole s/m/h units or Never (the v1 CRD's pattern). */
const karpenterDuration = (example: string) =>
    z.string().regex(/^(([0-9]+(s|m|h))+|Never)$/, `must be a duration in whole s, m or h such as ${example}, or Never`);

/** An EC2 instance family such as m7g, c7i-flex or r6id: one the instance-type catalogue lists (lib/catalog). */
export const instanceFamily = knownInstanceFamily;
export const instanceSize = z
    .string()
    .regex(/^(nano|micro|small|medium|large|metal|\d*xlarge|metal-\d+xl)$/, "must be an instance size such as large, 2xlarge or metal");

const enumOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(", ")}` });

export const budgetSchema = z
    .strictObject({
        nodes: z
            .string()
            .regex(/^((100|[0-9]{1,2})%|[0-9]+)$/, "must be a count such as 2 or a percentage from 0% to 100%")
            .describe('Nodes Karpenter may disrupt at once: a count ("2") or a percentage ("10%").'),
        schedule: z
            .string()
            .regex(
                /^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\s(.+)\s(.+)\s(.+)\s(.+))$/,
                "must be a cron schedule such as '0 9 * * mon-fri'",
            )
            .optional()
            .describe("A cron schedule (UTC) during which this budget applies; needs duration."),
        duration: z
            .string()
            .regex(/^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$/, "must be a duration in hours and minutes such as 8h, 30m or 1h30m")
            .optional()
            .describe("How long the schedule's window lasts, e.g. 10h."),
        reasons: z.array(enumOf(DISRUPTION_REASONS)).optional().describe("The disruption reasons the budget limits; all when absent."),
    })
    .refine((b) => (b.schedule === undefined) === (b.duration === undefined), {
        message: "schedule and duration go together: give both or neither",
    })
    .describe("A disruption budget.");

export const nodePoolSchema = z
    .strictObject({
        name: dnsLabel.describe("The NodePool's name."),
        preset: enumOf(POOL_PRESETS)
            .optional()
            .describe("A preset fills in the fields the pool does not set (general, graviton, on-demand-baseline, team, gpu)."),
        nodeClass: dnsLabel.describe("The EC2NodeClass (from nodeClasses) the pool launches with."),
        capacityTypes: z.array(enumOf(CAPACITY_TYPES)).min(1, "must list at least one capacity type").describe("spot and/or on-demand."),
        architectures: z.array(enumOf(NODE_ARCHITECTURES)).min(1, "must list at least one architecture").describe("amd64 and/or arm64."),
        instanceCategories: z
            .array(enumOf(INSTANCE_CATEGORIES))
            .optional()
            .describe("karpenter.k8s.aws/instance-category values (c, m, r, ...)."),
        instanceFamilies: z
            .array(instanceFamily)
            .optional()
            .describe(
                "Only these instance families (m7g, c7i, ...): each one the instance-type catalogue lists (with did-you-mean), and each able to match the pool's architectures, instanceCategories and minGeneration (Karpenter ANDs the requirements).",
            ),
        excludeInstanceFamilies: z
            .array(instanceFamily)
            .optional()
            .describe("Never these instance families: each one the instance-type catalogue lists (with did-you-mean)."),
        instanceSizes: z.array(instanceSize).optional().describe("Only these sizes (large, 2xlarge, ...)."),
        excludeInstanceSizes: z.array(instanceSize).optional().describe("Never these sizes."),
        minGeneration: z
            .number()
            .int()
            .min(1, "must be between 1 and 9")
            .max(9, "must be between 1 and 9")
            .optional()
            .describe("Only instance generations greater than or equal to this (karpenter.k8s.aws/instance-generation)."),
        zones: z
            .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, AZ_NAME_RULE))
            .optional()
            .describe(
                "Only these zones: availability zones of aws:region, among eks-platform:network.availabilityZones (which must then be set).",
            ),
        taints: z
            .array(
                z
                    .strictObject({
                        key: labelKey.describe("Taint key."),
                        value: labelValue.optional().describe("Taint value."),
                        effect: enumOf(TAINT_EFFECTS).describe("NoSchedule, PreferNoSchedule or NoExecute."),
                    })
                    .describe("A taint."),
            )
            .describe("Taints of the pool's nodes (a team pool gets its team taint)."),
        labels: z.record(labelKey, labelValue).describe("Labels of the pool's nodes."),
        weight: z
            .number()
            .int()
            .min(1, "must be between 1 and 100")
            .max(100, "must be between 1 and 100")
            .optional()
            .describe("Priority among pools: Karpenter tries higher weights first."),
        limits: limitsSchema,
        requirements: z
            .array(requirementSchema)
            .optional()
            .describe(
                "Raw Karpenter requirements on well-known labels the fields above do not cover (instance-gpu-count, instance-cpu, zone-id, ...), ANDed with them.",
            ),
        disruption: z
            .strictObject({
                consolidationPolicy: enumOf(CONSOLIDATION_POLICIES).describe("WhenEmpty or WhenEmptyOrUnderutilized."),
                consolidateAfter: karpenterDuration("1m").describe(
                    "How long a node stays empty/underutilized before Karpenter consolidates it.",
                ),
                budgets: z.array(budgetSchema).min(1, "must hold at least one disruption budget").describe("Disruption budgets."),
            })
            .describe("How Karpenter may disrupt the pool's nodes."),
        expireAfter: karpenterDuration("720h").describe("Node lifetime before Karpenter replaces it (or Never)."),
        spotOverflow: z
            .strictObject({
                spotShare: z
                    .number()
                    .int("must be a whole percentage")
                    .min(1, "must be between 1 and 99")
                    .max(99, "must be between 1 and 99")
                    .describe("Spot percentage of the pair's combined limits."),
                weight: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 100")
                    .max(100, "must be between 1 and 100")
                    .optional()
                    .describe("The spot pool's weight (default 10)."),
                name: dnsLabel.optional().describe("The spot pool's name (default <name>-spot)."),
            })
            .optional()
            .describe(
                "on-demand-baseline: derive a spot pool that takes over once this pool's limits are reached; its limits are this pool's x spotShare / (100 - spotShare).",
            ),
    })
    .describe("A Karpenter NodePool.");
export type NodePoolConfig = z.infer<typeof nodePoolSchema>;

/** The AMI families Karpenter's aliases name (EC2NodeClass amiSelectorTerms alias: <family>@<version>). */
const OTHER_ALIAS_FAMILIES: Readonly<Record<string, string>> = {
    bottlerocket:
        "Bottlerocket is not supported: every node gets nodeadm user data (AL2023's NodeConfig, components/lib/nodeadm.ts), which Bottlerocket ignores (it reads TOML settings), and the version table pins AL2023 AMI releases only",
    al2: "AL2 is not supported: EKS published no AL2 AMI for Kubernetes 1.33 or later and stopped publishing AL2 AMIs on 2025-11-26 (awslabs/amazon-eks-ami#2545), and nodes get nodeadm (AL2023) user data",
    windows2019: "Windows nodes are not supported: nodes get nodeadm (AL2023) user data",
    windows2022: "Windows nodes are not supported: nodes get nodeadm (AL2023) user data",
    windows2025: "Windows nodes are not supported: nodes get nodeadm (AL2023) user data",
};

/**
 * An EC2NodeClass AMI alias: AL2023 only, because the user data every node gets is nodeadm's NodeConfig. Bottlerocket
 * (TOML settings) would need its own user data, its own container-runtime settings and its own pinned releases in
 * the version table; refused with that reason rather than accepted and booted with user data it ignores.
 */
export const amiAlias = z
    .string()
    .superRefine((alias, ctx) => {
        const family = alias.split("@")[0] ?? "";
        const other = OTHER_ALIAS_FAMILIES[family];
        if (other && alias.includes("@"))
            ctx.addIssue({
                code: "custom",
                message: `${other}: use al2023@vYYYYMMDD (the version table's release for the cluster's minor by default)`,
            });
        else if (!/^al2023@(latest|v\d{8})$/.test(alias))
            ctx.addIssue({ code: "custom", message: "must be an AMI alias such as al2023@v20251120 (or al2023@latest outside prod)" });
    })
    .describe(
        "An EC2NodeClass AMI alias: al2023@vYYYYMMDD (al2023@latest outside prod); other families (bottlerocket, al2, windows) are refused.",
    );

export const nodeClassSchema = z
    .strictObject({
        name: dnsLabel.describe("The EC2NodeClass's name."),
        amiAlias: amiAlias
            .optional()
            .describe("The AMI alias (al2023@vYYYYMMDD; other families refused); overrides karpenter.amiAlias. Not with amiSelector."),
        amiSelector: z
            .strictObject({
                id: z
                    .string()
                    .regex(/^ami-[0-9a-f]{8,17}$/, "must be an AMI id such as ami-0123456789abcdef0")
                    .optional()
                    .describe("An AMI id."),
                name: z.string().min(1).optional().describe("An AMI name (wildcards as EC2 allows)."),
                owner: z
                    .string()
                    .regex(/^(\d{12}|self|amazon)$/, "must be an account id, self or amazon")
                    .optional()
                    .describe("The AMI owner: an account id, self or amazon."),
                tags: z.record(z.string(), z.string()).optional().describe("AMI tags to match."),
            })
            .refine((s) => [s.id, s.name, s.tags].filter((x) => x !== undefined).length === 1, {
                message: "must select the AMI by exactly one of id, name or tags",
            })
            .optional()
            .describe("A custom AL2023-based AMI instead of an alias: by id, name (with owner) or tags."),
        volumeSizeGiB: z
            .number()
            .int()
            .min(20, "must be between 20 and 16384")
            .max(16384, "must be between 20 and 16384")
            .describe("Encrypted gp3 root volume size."),
        volumeIops: z
            .number()
            .int()
            .min(3000, "must be between 3000 and 16000")
            .max(16000, "must be between 3000 and 16000")
            .optional()
            .describe("gp3 IOPS (default 3000)."),
        volumeThroughput: z
            .number()
            .int()
            .min(125, "must be between 125 and 1000")
            .max(1000, "must be between 125 and 1000")
            .optional()
            .describe("gp3 throughput in MiB/s (default 125)."),
        maxPods: z
            .number()
            .int()
            .min(8, "must be between 8 and 737")
            .max(737, "must be between 8 and 737")
            .optional()
            .describe("A static max pods (else derived from the CNI mode)."),
        podsPerCore: z
            .number()
            .int()
            .min(1, "must be between 1 and 110")
            .max(110, "must be between 1 and 110")
            .optional()
            .describe("Pods per vCPU instead of maxPods."),
        tags: z.record(z.string(), z.string()).optional().describe("Extra tags on the instances and volumes Karpenter launches."),
    })
    .refine((c) => !(c.amiAlias && c.amiSelector), { message: "must set amiAlias or amiSelector, not both" })
    .describe("A Karpenter EC2NodeClass.");
export type NodeClassConfig = z.infer<typeof nodeClassSchema>;

/** Requests (= limits, so the controller's QoS class is Guaranteed) of one Karpenter controller pod. */
export const controllerResourcesSchema = z
    .strictObject({
        cpu: quantity.describe("CPU of each controller (request = limit)."),
        memory: quantity.describe("Memory of each controller (request = limit; Karpenter's GC soft limit is 90% of it)."),
    })
    .describe(
        "Karpenter controller resources, requests = limits (QoS Guaranteed). Karpenter's getting-started guide (v1.14, step08) sets 1 CPU / 1Gi.",
    );

/**
 * The platform's own NodePool (named `platform`, made by the Karpenter component): on-demand only, tainted and
 * labelled eks-platform/node-group=platform, for the platform's stateful and monitoring workloads (Prometheus,
 * Alertmanager, Loki, Grafana). Every stack gets it, so those workloads never depend on a tenant pool's capacity types.
 */
export const platformNodePoolSchema = nodePoolSchema
    .pick({
        nodeClass: true,
        architectures: true,
        instanceCategories: true,
        minGeneration: true,
        disruption: true,
        expireAfter: true,
    })
    .extend({ limits: cpuMemoryLimitsSchema })
    .describe(
        "The platform NodePool (on-demand, tainted eks-platform/node-group=platform): where Prometheus, Alertmanager, Loki and Grafana run.",
    );
export type PlatformNodePoolConfig = z.infer<typeof platformNodePoolSchema>;

export const karpenterSchema = z
    .strictObject({
        chartVersion: chartVersion.describe("The karpenter and karpenter-crd chart version (public.ecr.aws/karpenter, OCI)."),
        namespace: dnsLabel.describe("Namespace of the controller."),
        serviceAccount: dnsLabel.describe("The controller's service account (its Pod Identity role is bound to it)."),
        replicas: z
            .number()
            .int()
            .min(1, "must be between 1 and 5")
            .max(5, "must be between 1 and 5")
            .describe("Controller replicas (leader-elected)."),
        controllerResources: controllerResourcesSchema,
        amiAlias: amiAlias.describe(
            "The default AMI alias of every EC2NodeClass, pinned per stack (al2023@vYYYYMMDD; @latest refused in prod; bottlerocket@, al2@ and windows*@ refused: nodes get nodeadm user data).",
        ),
        nodeClasses: z.array(nodeClassSchema).min(1, "must declare at least one EC2NodeClass").describe("EC2NodeClasses."),
        nodePools: z
            .array(nodePoolSchema)
            .min(1, "must declare at least one NodePool: workloads have nowhere else to run")
            .describe("NodePools (presets fill in what a pool leaves out)."),
        platformNodePool: platformNodePoolSchema,
    })
    .describe("Karpenter: chart, AMI alias, EC2NodeClasses and NodePools.");
export type KarpenterConfig = z.infer<typeof karpenterSchema>;

const common = { chartVersion: "1.14.1", namespace: "kube-system", serviceAccount: "karpenter" } as const;

/** Karpenter's getting-started sizing (website/content/en/v1.14/getting-started/.../step08-apply-helm-chart.sh). */
const DOCUMENTED_CONTROLLER = { cpu: "1", memory: "1Gi" } as const;

/** The platform pool: memory-heavy monitoring on general-purpose or memory-optimized on-demand nodes. */
const platformPool = (cpu: string, memory: string, budgets: z.input<typeof platformNodePoolSchema>["disruption"]["budgets"]) => ({
    nodeClass: "default",
    architectures: ["arm64", "amd64"] as ("arm64" | "amd64")[],
    instanceCategories: ["m", "r"] as ("m" | "r")[],
    minGeneration: 6,
    limits: { cpu, memory },
    // Stateful pods move only when a node is empty or clearly underused, one node at a time.
    disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized" as const, consolidateAfter: "30m", budgets },
    expireAfter: "720h",
});

// amiAlias follows the cluster's Kubernetes minor (the version table's AMI release), unless the stack pins one.
export const karpenterDefaults: Record<Environment, Partial<z.input<typeof karpenterSchema>>> = {
    dev: {
        ...common,
        replicas: 1,
        // Half the documented CPU on dev's two small system nodes; memory as documented (the controller's caches).
        controllerResources: { cpu: "500m", memory: DOCUMENTED_CONTROLLER.memory },
        nodeClasses: [{ name: "default", volumeSizeGiB: 50 }],
        platformNodePool: platformPool("16", "64Gi", [{ nodes: "1" }]),
    },
    staging: {
        ...common,
        replicas: 2,
        controllerResources: { ...DOCUMENTED_CONTROLLER },
        nodeClasses: [{ name: "default", volumeSizeGiB: 80 }],
        platformNodePool: platformPool("32", "128Gi", [{ nodes: "1" }]),
    },
    prod: {
        ...common,
        replicas: 2,
        controllerResources: { ...DOCUMENTED_CONTROLLER },
        nodeClasses: [{ name: "default", volumeSizeGiB: 100 }],
        // No voluntary disruption in business hours (the prod rule for every pool).
        platformNodePool: platformPool("64", "256Gi", [
            { nodes: "1" },
            { nodes: "0", schedule: "0 8 * * mon-fri", duration: "10h", reasons: ["Underutilized", "Drifted"] },
        ]),
    },
};
