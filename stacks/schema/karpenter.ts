import { z } from "zod";
import { chartVersion, dnsLabel, goDuration, labelKey, labelValue, quantity, type Environment } from "./common";

export const CAPACITY_TYPES = ["spot", "on-demand", "reserved"] as const;
export const NODE_ARCHITECTURES = ["amd64", "arm64"] as const;
/** Values of karpenter.k8s.aws/instance-category Karpenter's EC2 provider reports. */
export const INSTANCE_CATEGORIES = ["a", "c", "d", "f", "g", "hpc", "i", "im", "inf", "is", "m", "p", "r", "t", "trn", "u", "vt", "x", "z"] as const;
export const POOL_PRESETS = ["general", "graviton", "on-demand-baseline", "team"] as const;
export const CONSOLIDATION_POLICIES = ["WhenEmpty", "WhenEmptyOrUnderutilized"] as const;
export const DISRUPTION_REASONS = ["Underutilized", "Empty", "Drifted"] as const;
export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

/** An EC2 instance family such as m7g, c7i-flex or r6id, whose category Karpenter knows. */
export const instanceFamily = z.string().superRefine((v, ctx) => {
    const m = /^([a-z]+?)(\d+)([a-z]*)(-flex)?$/.exec(v);
    const category = m?.[1];
    if (!m || !category || !(INSTANCE_CATEGORIES as readonly string[]).includes(category)) {
        ctx.addIssue({
            code: "custom",
            message: `must be an EC2 instance family such as m7g or c7i whose category is one of ${INSTANCE_CATEGORIES.join(", ")}`,
        });
    }
});
export const instanceSize = z
    .string()
    .regex(/^(nano|micro|small|medium|large|metal|\d*xlarge|metal-\d+xl)$/, "must be an instance size such as large, 2xlarge or metal");

const enumOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(", ")}` });

export const budgetSchema = z
    .strictObject({
        /** A node count ("2") or a percentage ("10%") Karpenter may disrupt at once. */
        nodes: z.string().regex(/^(\d+|\d+%)$/, "must be a count such as 2 or a percentage such as 10%"),
        /** A cron schedule (UTC) during which this budget applies; needs `duration`. */
        schedule: z.string().regex(/^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\s(.+)\s(.+)\s(.+)\s(.+))$/, "must be a cron schedule such as '0 9 * * mon-fri'").optional(),
        duration: z.string().regex(/^((\d+)(h|m))+$/, "must be a duration in hours and minutes such as 8h or 30m").optional(),
        reasons: z.array(enumOf(DISRUPTION_REASONS)).optional(),
    })
    .refine((b) => (b.schedule === undefined) === (b.duration === undefined), {
        message: "schedule and duration go together: give both or neither",
    });

export const nodePoolSchema = z.strictObject({
    name: dnsLabel,
    /** A preset fills in the fields the pool does not set; see the README's preset table. */
    preset: enumOf(POOL_PRESETS).optional(),
    /** The EC2NodeClass (from `nodeClasses`) the pool launches with. */
    nodeClass: dnsLabel,
    capacityTypes: z.array(enumOf(CAPACITY_TYPES)).min(1, "must list at least one capacity type"),
    architectures: z.array(enumOf(NODE_ARCHITECTURES)).min(1, "must list at least one architecture"),
    instanceCategories: z.array(enumOf(INSTANCE_CATEGORIES)).optional(),
    instanceFamilies: z.array(instanceFamily).optional(),
    excludeInstanceFamilies: z.array(instanceFamily).optional(),
    instanceSizes: z.array(instanceSize).optional(),
    excludeInstanceSizes: z.array(instanceSize).optional(),
    /** Only instance generations greater than or equal to this (karpenter.k8s.aws/instance-generation). */
    minGeneration: z.number().int().min(1, "must be between 1 and 9").max(9, "must be between 1 and 9").optional(),
    zones: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "must be an AZ name such as eu-west-1a")).optional(),
    taints: z.array(z.strictObject({ key: labelKey, value: labelValue.optional(), effect: enumOf(TAINT_EFFECTS) })),
    labels: z.record(labelKey, labelValue),
    weight: z.number().int().min(1, "must be between 1 and 100").max(100, "must be between 1 and 100").optional(),
    limits: z.strictObject(
        { cpu: quantity, memory: quantity },
        { message: "is required: every NodePool needs limits.cpu and limits.memory so a runaway scale-up has a ceiling" },
    ),
    disruption: z.strictObject({
        consolidationPolicy: enumOf(CONSOLIDATION_POLICIES),
        consolidateAfter: z.union([z.literal("Never"), goDuration], { message: "must be a duration such as 1m or Never" }),
        budgets: z.array(budgetSchema).min(1, "must hold at least one disruption budget"),
    }),
    expireAfter: z.union([z.literal("Never"), goDuration], { message: "must be a duration such as 720h or Never" }),
});
export type NodePoolConfig = z.infer<typeof nodePoolSchema>;

export const amiAlias = z
    .string()
    .regex(/^(al2023|bottlerocket)@(latest|v\d{8}|v\d+\.\d+\.\d+)$/, "must be an AMI alias such as al2023@v20251117 (or al2023@latest outside prod)");

export const nodeClassSchema = z
    .strictObject({
        name: dnsLabel,
        /** The AMI alias; overrides karpenter.amiAlias. Mutually exclusive with amiSelector. */
        amiAlias: amiAlias.optional(),
        /** A custom AMI instead of an alias, by id, name or tags (AL2023-based, nodeadm user data). */
        amiSelector: z
            .strictObject({
                id: z.string().regex(/^ami-[0-9a-f]{8,17}$/, "must be an AMI id such as ami-0123456789abcdef0").optional(),
                name: z.string().min(1).optional(),
                owner: z.string().regex(/^(\d{12}|self|amazon)$/, "must be an account id, self or amazon").optional(),
                tags: z.record(z.string(), z.string()).optional(),
            })
            .refine((s) => [s.id, s.name, s.tags].filter((x) => x !== undefined).length === 1, {
                message: "must select the AMI by exactly one of id, name or tags",
            })
            .optional(),
        volumeSizeGiB: z.number().int().min(20, "must be between 20 and 16384").max(16384, "must be between 20 and 16384"),
        volumeIops: z.number().int().min(3000, "must be between 3000 and 16000").max(16000, "must be between 3000 and 16000").optional(),
        volumeThroughput: z.number().int().min(125, "must be between 125 and 1000").max(1000, "must be between 125 and 1000").optional(),
        /** Pod density: a static max pods, or pods per core; derived from the CNI mode when neither is set. */
        maxPods: z.number().int().min(8, "must be between 8 and 737").max(737, "must be between 8 and 737").optional(),
        podsPerCore: z.number().int().min(1, "must be between 1 and 110").max(110, "must be between 1 and 110").optional(),
        tags: z.record(z.string(), z.string()).optional(),
    })
    .refine((c) => !(c.amiAlias && c.amiSelector), { message: "must set amiAlias or amiSelector, not both" });
export type NodeClassConfig = z.infer<typeof nodeClassSchema>;

export const karpenterSchema = z.strictObject({
    chartVersion,
    namespace: dnsLabel,
    serviceAccount: dnsLabel,
    replicas: z.number().int().min(1, "must be between 1 and 5").max(5, "must be between 1 and 5"),
    /** The default AMI alias of every EC2NodeClass, pinned per stack. */
    amiAlias,
    nodeClasses: z.array(nodeClassSchema).min(1, "must declare at least one EC2NodeClass"),
    nodePools: z.array(nodePoolSchema).min(1, "must declare at least one NodePool: workloads have nowhere else to run"),
});
export type KarpenterConfig = z.infer<typeof karpenterSchema>;

const common = { chartVersion: "1.14.1", namespace: "kube-system", serviceAccount: "karpenter" } as const;

export const karpenterDefaults: Record<Environment, Partial<z.input<typeof karpenterSchema>>> = {
    dev: { ...common, replicas: 1, amiAlias: "al2023@v20251117", nodeClasses: [{ name: "default", volumeSizeGiB: 50 }] },
    staging: { ...common, replicas: 2, amiAlias: "al2023@v20251117", nodeClasses: [{ name: "default", volumeSizeGiB: 80 }] },
    prod: { ...common, replicas: 2, amiAlias: "al2023@v20251117", nodeClasses: [{ name: "default", volumeSizeGiB: 100 }] },
};

/** What every pool gets unless it (or its preset) says otherwise. */
const poolDefaults = {
    nodeClass: "default",
    taints: [],
    labels: {},
    disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m", budgets: [{ nodes: "10%" }] },
    expireAfter: "720h",
} as const;

/** Ready-made pools a stack names with `preset`; the pool's own fields win. */
export const POOL_PRESET_DEFAULTS: Record<(typeof POOL_PRESETS)[number], Record<string, unknown>> = {
    general: { capacityTypes: ["spot", "on-demand"], architectures: ["amd64", "arm64"], instanceCategories: ["c", "m", "r"], minGeneration: 5 },
    graviton: { capacityTypes: ["spot", "on-demand"], architectures: ["arm64"], instanceCategories: ["c", "m", "r"], minGeneration: 6 },
    "on-demand-baseline": { capacityTypes: ["on-demand"], architectures: ["amd64", "arm64"], instanceCategories: ["c", "m", "r"], minGeneration: 5, weight: 100 },
    team: { capacityTypes: ["spot", "on-demand"], architectures: ["amd64", "arm64"], instanceCategories: ["c", "m", "r"], minGeneration: 5 },
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Fills each raw pool from its preset and the pool defaults; leaves anything it cannot read for the schema to reject. */
export function expandNodePools(raw: unknown): unknown {
    if (!Array.isArray(raw)) return raw;
    return raw.map((pool) => {
        if (!isRecord(pool)) return pool;
        const preset = typeof pool.preset === "string" ? POOL_PRESET_DEFAULTS[pool.preset as (typeof POOL_PRESETS)[number]] : undefined;
        const merged: Record<string, unknown> = { ...poolDefaults, ...(preset ?? {}), ...pool };
        if (pool.preset === "team" && typeof pool.name === "string") {
            // A team pool is tainted and labelled with its team so only that team's pods (which tolerate it) land there.
            merged.labels = { "eks-platform/team": pool.name, ...(isRecord(pool.labels) ? pool.labels : {}) };
            merged.taints = pool.taints ?? [{ key: "eks-platform/team", value: pool.name, effect: "NoSchedule" }];
        }
        return merged;
    });
}
