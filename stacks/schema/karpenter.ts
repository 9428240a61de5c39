import { z } from "zod";
import { chartVersion, dnsLabel, labelKey, labelValue, quantity, type Environment } from "./common";

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
export const POOL_PRESETS = ["general", "graviton", "on-demand-baseline", "team"] as const;
export const CONSOLIDATION_POLICIES = ["WhenEmpty", "WhenEmptyOrUnderutilized"] as const;
export const DISRUPTION_REASONS = ["Underutilized", "Empty", "Drifted"] as const;
export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

/** Karpenter's duration (consolidateAfter, expireAfter): whole s/m/h units or Never (the v1 CRD's pattern). */
const karpenterDuration = (example: string) =>
    z.string().regex(/^(([0-9]+(s|m|h))+|Never)$/, `must be a duration in whole s, m or h such as ${example}, or Never`);

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
        nodes: z.string().regex(/^((100|[0-9]{1,2})%|[0-9]+)$/, "must be a count such as 2 or a percentage from 0% to 100%"),
        /** A cron schedule (UTC) during which this budget applies; needs `duration`. */
        schedule: z
            .string()
            .regex(
                /^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\s(.+)\s(.+)\s(.+)\s(.+))$/,
                "must be a cron schedule such as '0 9 * * mon-fri'",
            )
            .optional(),
        duration: z
            .string()
            .regex(/^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$/, "must be a duration in hours and minutes such as 8h, 30m or 1h30m")
            .optional(),
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
        consolidateAfter: karpenterDuration("1m"),
        budgets: z.array(budgetSchema).min(1, "must hold at least one disruption budget"),
    }),
    expireAfter: karpenterDuration("720h"),
    /**
     * on-demand-baseline only: derive a spot pool (`<name>-spot`) that takes over once this pool's limits are reached.
     * `spotShare` is the spot percentage of the pair's combined limits: the spot pool's limits are this pool's
     * limits x spotShare / (100 - spotShare). Its weight is lower, so Karpenter fills the on-demand baseline first.
     */
    spotOverflow: z
        .strictObject({
            spotShare: z.number().int("must be a whole percentage").min(1, "must be between 1 and 99").max(99, "must be between 1 and 99"),
            weight: z.number().int().min(1, "must be between 1 and 100").max(100, "must be between 1 and 100").optional(),
            name: dnsLabel.optional(),
        })
        .optional(),
});
export type NodePoolConfig = z.infer<typeof nodePoolSchema>;

export const amiAlias = z
    .string()
    .regex(
        /^(al2023|bottlerocket)@(latest|v\d{8}|v\d+\.\d+\.\d+)$/,
        "must be an AMI alias such as al2023@v20251120 (or al2023@latest outside prod)",
    );

export const nodeClassSchema = z
    .strictObject({
        name: dnsLabel,
        /** The AMI alias; overrides karpenter.amiAlias. Mutually exclusive with amiSelector. */
        amiAlias: amiAlias.optional(),
        /** A custom AMI instead of an alias, by id, name or tags (AL2023-based, nodeadm user data). */
        amiSelector: z
            .strictObject({
                id: z
                    .string()
                    .regex(/^ami-[0-9a-f]{8,17}$/, "must be an AMI id such as ami-0123456789abcdef0")
                    .optional(),
                name: z.string().min(1).optional(),
                owner: z
                    .string()
                    .regex(/^(\d{12}|self|amazon)$/, "must be an account id, self or amazon")
                    .optional(),
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
    dev: { ...common, replicas: 1, amiAlias: "al2023@v20251120", nodeClasses: [{ name: "default", volumeSizeGiB: 50 }] },
    staging: { ...common, replicas: 2, amiAlias: "al2023@v20251120", nodeClasses: [{ name: "default", volumeSizeGiB: 80 }] },
    prod: { ...common, replicas: 2, amiAlias: "al2023@v20251120", nodeClasses: [{ name: "default", volumeSizeGiB: 100 }] },
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
    general: {
        capacityTypes: ["spot", "on-demand"],
        architectures: ["amd64", "arm64"],
        instanceCategories: ["c", "m", "r"],
        minGeneration: 5,
    },
    graviton: { capacityTypes: ["spot", "on-demand"], architectures: ["arm64"], instanceCategories: ["c", "m", "r"], minGeneration: 6 },
    "on-demand-baseline": {
        capacityTypes: ["on-demand"],
        architectures: ["amd64", "arm64"],
        instanceCategories: ["c", "m", "r"],
        minGeneration: 5,
        weight: 100,
        spotOverflow: { spotShare: 50 },
    },
    team: {
        capacityTypes: ["spot", "on-demand"],
        architectures: ["amd64", "arm64"],
        instanceCategories: ["c", "m", "r"],
        minGeneration: 5,
    },
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
            merged.labels = { [TEAM_LABEL]: pool.name, ...(isRecord(pool.labels) ? pool.labels : {}) };
            merged.taints = pool.taints ?? [{ key: TEAM_LABEL, value: pool.name, effect: "NoSchedule" }];
        }
        return merged;
    });
}

/** Label keys every team pool carries (value: the pool name), and its taint key. */
export const TEAM_LABEL = "eks-platform/team";
/** Label on both pools of an on-demand-baseline split; the value is the baseline pool's name. */
export const CAPACITY_SPLIT_LABEL = "eks-platform/capacity-split";
/** Weight of a derived spot overflow pool unless `spotOverflow.weight` says otherwise. */
export const DEFAULT_OVERFLOW_WEIGHT = 10;

type DeepReadonly<T> = T extends (infer E)[]
    ? readonly DeepReadonly<E>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;
export type ReadonlyNodePool = DeepReadonly<NodePoolConfig>;

/** A pool as Karpenter gets it: a declared pool, or the spot overflow derived from an on-demand baseline. */
export type EffectiveNodePool = ReadonlyNodePool & {
    /** The declared pool this one was derived from (spot overflow), and its index in nodePools. */
    derivedFrom?: { name: string; index: number };
};

/**
 * Scales a Kubernetes quantity ("400", "1600Gi", "500m") by num/den, rounding up in the same unit so the result
 * stays a whole number of that unit.
 */
export function scaleQuantity(quantity: string, num: number, den: number): string {
    const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(quantity);
    if (!m || m[1] === undefined) throw new Error(`cannot scale quantity ${JSON.stringify(quantity)}`);
    // Integer arithmetic where possible so 400 x 60 / 40 is exactly 600.
    const value = Number(m[1]);
    const scaled = Number.isInteger(value) ? Math.ceil((value * num) / den) : Math.ceil(Number(((value * num) / den).toFixed(6)));
    return `${scaled}${m[2] ?? ""}`;
}

/** The name of the spot pool derived from an on-demand-baseline pool. */
export const overflowPoolName = (pool: Pick<ReadonlyNodePool, "name" | "spotOverflow">): string =>
    pool.spotOverflow?.name ?? `${pool.name}-spot`;

/**
 * The NodePools Karpenter gets: every declared pool, and after each pool with `spotOverflow` its derived spot pool
 * (same requirements, disruption and node class; spot only; a lower weight; limits scaled by the spot share). Both
 * carry the capacity-split label so a workload can spread across the pair with a topology spread constraint on
 * karpenter.sh/capacity-type.
 */
export function effectiveNodePools(pools: readonly ReadonlyNodePool[]): EffectiveNodePool[] {
    const out: EffectiveNodePool[] = [];
    pools.forEach((pool, index) => {
        const overflow = pool.spotOverflow;
        if (!overflow) {
            out.push(pool);
            return;
        }
        const labels = { ...pool.labels, [CAPACITY_SPLIT_LABEL]: pool.name };
        const { spotOverflow: _omit, ...rest } = pool;
        void _omit;
        out.push({ ...rest, labels });
        const share = overflow.spotShare;
        out.push({
            ...rest,
            name: overflowPoolName(pool),
            labels,
            capacityTypes: ["spot"],
            weight: overflow.weight ?? DEFAULT_OVERFLOW_WEIGHT,
            limits: {
                cpu: scaleQuantity(pool.limits.cpu, share, 100 - share),
                memory: scaleQuantity(pool.limits.memory, share, 100 - share),
            },
            derivedFrom: { name: pool.name, index },
        });
    });
    return out;
}
