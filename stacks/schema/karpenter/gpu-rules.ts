// Rules over GPU pools (preset gpu, or any pool that caps nvidia.com/gpu): they can launch NVIDIA GPU instances at
// all, only those, keep the taint that keeps other pods off, and cap GPUs, the resource a runaway scale-up costs.
import { typesOfFamily } from "../../../lib/catalog";
import { GPU_MANUFACTURER_LABEL, isNvidiaGpuFamily, NVIDIA_GPU_FAMILIES, NVIDIA_GPU_RESOURCE, NVIDIA_GPU_TAINT } from "../../../lib/gpu";
import { defineRule, problems, type Rule } from "../rule";
import type { ReadonlyNodePool } from "./pools";
import type { KarpenterConfig } from "./schema";

type Pool = Pick<
    ReadonlyNodePool,
    | "preset"
    | "limits"
    | "architectures"
    | "instanceCategories"
    | "instanceFamilies"
    | "excludeInstanceFamilies"
    | "instanceSizes"
    | "excludeInstanceSizes"
    | "minGeneration"
    | "requirements"
>;

/** A pool meant for GPU workloads: preset gpu, or one whose limits cap NVIDIA GPUs. */
export const isGpuPool = (pool: { readonly preset?: string; readonly limits: Readonly<Record<string, string | undefined>> }): boolean =>
    pool.preset === "gpu" || pool.limits[NVIDIA_GPU_RESOURCE] !== undefined;

/**
 * The NVIDIA GPU instance types (by the instance-type catalogue) the pool's own fields allow: its families (or every
 * NVIDIA family), less its exclusions, of its architectures, categories, sizes and minimum generation.
 */
export function nvidiaTypesOfPool(pool: Pool): string[] {
    const families = (pool.instanceFamilies ?? NVIDIA_GPU_FAMILIES).filter(
        (f) => isNvidiaGpuFamily(f) && !(pool.excludeInstanceFamilies ?? []).includes(f),
    );
    const makers = (pool.requirements ?? []).filter((r) => r.key === GPU_MANUFACTURER_LABEL);
    if (makers.some((r) => (r.operator === "In" && !(r.values ?? []).includes("nvidia")) || r.operator === "DoesNotExist")) return [];
    return families.flatMap((family) =>
        typesOfFamily(family)
            .filter(
                (t) =>
                    pool.architectures.includes(t.architecture) &&
                    (!pool.instanceCategories || (pool.instanceCategories as readonly string[]).includes(t.series)) &&
                    (pool.minGeneration === undefined || t.generation === undefined || t.generation >= pool.minGeneration) &&
                    (!pool.instanceSizes || (pool.instanceSizes as readonly string[]).includes(t.size)) &&
                    !(pool.excludeInstanceSizes ?? []).includes(t.size),
            )
            .map((t) => t.name),
    );
}

const at = (...path: (string | number)[]) => ["eks-platform:karpenter", ...path];
const FAMILIES_HINT = `NVIDIA GPU families: ${NVIDIA_GPU_FAMILIES.join(", ")} (lib/gpu.ts, from Karpenter's instance-type reference)`;

export const karpenterGpuRules: readonly Rule<{ karpenter: KarpenterConfig }>[] = [
    defineRule({
        needs: ["karpenter.nodePools"],
        summary:
            "a GPU pool (preset gpu, or limits.nvidia.com/gpu) names only NVIDIA GPU families and can launch at least one NVIDIA GPU instance type, keeps the nvidia.com/gpu NoSchedule taint, and caps limits.nvidia.com/gpu",
        reports: ["eks-platform:karpenter.nodePools"],
        check: ({ karpenter }) => {
            const p = problems();
            karpenter.nodePools.forEach((pool, i) => {
                if (!isGpuPool(pool)) return;
                const here = (...rest: (string | number)[]) => at("nodePools", i, ...rest);
                pool.instanceFamilies?.forEach((family, f) => {
                    if (!isNvidiaGpuFamily(family))
                        p.add(
                            here("instanceFamilies", f),
                            `has no NVIDIA GPU: a GPU pool's nodes are tainted nvidia.com/gpu and only GPU pods tolerate it, so a ${family} node would sit idle; ${FAMILIES_HINT}`,
                        );
                });
                if (nvidiaTypesOfPool(pool).length === 0)
                    p.add(
                        pool.instanceFamilies ? here("instanceFamilies") : here("architectures"),
                        `leaves the GPU pool no NVIDIA GPU instance type (with its architectures ${pool.architectures.join(", ")}${pool.instanceCategories ? `, instanceCategories ${pool.instanceCategories.join(", ")}` : ""}${pool.minGeneration !== undefined ? `, minGeneration ${pool.minGeneration}` : ""}): pods requesting nvidia.com/gpu would never be scheduled; ${FAMILIES_HINT}`,
                    );
                if (!pool.taints.some((t) => t.key === NVIDIA_GPU_TAINT.key && t.effect === NVIDIA_GPU_TAINT.effect))
                    p.add(
                        here("taints"),
                        `must keep the taint ${NVIDIA_GPU_TAINT.key}=${NVIDIA_GPU_TAINT.value}:${NVIDIA_GPU_TAINT.effect} (the gpu preset's): without it any pod may fill a GPU node; pods requesting nvidia.com/gpu tolerate it by themselves (EKS's ExtendedResourceToleration admission plugin)`,
                    );
                if (pool.limits[NVIDIA_GPU_RESOURCE] === undefined)
                    p.add(
                        here("limits"),
                        `must set "nvidia.com/gpu" for a GPU pool: the number of GPUs its nodes may add up to, the ceiling of what a runaway scale-up costs`,
                    );
            });
            return p.list;
        },
    }),
];
