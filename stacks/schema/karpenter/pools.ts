// NodePools as Karpenter gets them: presets filled in, and the spot overflow pools derived from on-demand baselines.
// Pure; the config contract runs it (PlatformConfig.karpenter.effectiveNodePools), the components read the result.
import { GPU_MANUFACTURER_LABEL, NVIDIA_GPU_TAINT } from "../../../lib/gpu";
import type { NodePoolConfig, POOL_PRESETS } from "./schema";

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
    /**
     * NVIDIA GPU nodes: the current single- and multi-GPU g families (lib/gpu.ts lists every NVIDIA family a pool may
     * name instead), on-demand (a reclaimed GPU node loses hours of work), tainted nvidia.com/gpu so only pods that
     * request GPUs land there, and required to have an NVIDIA GPU. The EC2NodeClass's al2023 alias needs nothing
     * more: for an instance type with a GPU Karpenter resolves the alias to the AL2023 NVIDIA AMI variant
     * (aws/karpenter-provider-aws v1.14.1 pkg/providers/amifamily/al2023.go: the nvidia variant's image carries the
     * requirement karpenter.k8s.aws/instance-gpu-count Exists, types.go Variant.Requirements).
     */
    gpu: {
        capacityTypes: ["on-demand"],
        architectures: ["amd64"],
        instanceFamilies: ["g5", "g6", "g6e"],
        taints: [{ ...NVIDIA_GPU_TAINT }],
        requirements: [{ key: GPU_MANUFACTURER_LABEL, operator: "In", values: ["nvidia"] }],
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
            // Every limit the baseline has, devices included, scaled to the spot share.
            limits: Object.fromEntries(
                Object.entries(pool.limits).map(([resource, q]) => [resource, scaleQuantity(String(q), share, 100 - share)]),
            ) as EffectiveNodePool["limits"],
            derivedFrom: { name: pool.name, index },
        });
    });
    return out;
}
