// GPU facts the config contract and the offline plan share: which EC2 families carry which GPU maker's cards (what
// Karpenter labels karpenter.k8s.aws/instance-gpu-manufacturer), the extended resource NVIDIA's device plugin
// advertises, and the taint GPU nodes carry. Pure data.

/**
 * karpenter.k8s.aws/instance-gpu-manufacturer of every family Karpenter's instance-type reference lists with one
 * (aws/karpenter-provider-aws website/content/en/v1.14/reference/instance-types.md at 1d927085dd81, read
 * 2026-12-02). Families absent here have no GPU, or one the reference does not list; lib/catalog has their GPU count.
 */
export const GPU_MANUFACTURER_BY_FAMILY: Readonly<Record<string, "nvidia" | "amd">> = {
    g4ad: "amd",
    g4dn: "nvidia",
    g5: "nvidia",
    g5g: "nvidia",
    g6: "nvidia",
    g6e: "nvidia",
    g6f: "nvidia",
    g7: "nvidia",
    g7e: "nvidia",
    gr6: "nvidia",
    gr6f: "nvidia",
    p3dn: "nvidia",
    p4d: "nvidia",
    p4de: "nvidia",
    p5: "nvidia",
    p5e: "nvidia",
    p5en: "nvidia",
    "p6-b200": "nvidia",
    "p6-b300": "nvidia",
};

/** The families of NVIDIA GPU instances, as the reference above lists them. */
export const NVIDIA_GPU_FAMILIES: readonly string[] = Object.entries(GPU_MANUFACTURER_BY_FAMILY)
    .filter(([, maker]) => maker === "nvidia")
    .map(([family]) => family);

export const isNvidiaGpuFamily = (family: string): boolean => GPU_MANUFACTURER_BY_FAMILY[family] === "nvidia";

/**
 * The extended resource NVIDIA's device plugin advertises, and the key of the taint GPU nodes carry. They are the
 * same on purpose: EKS runs the ExtendedResourceToleration admission plugin (EKS user guide, platform-versions.adoc:
 * "admission controllers enabled"), which gives every pod requesting `nvidia.com/gpu` a toleration of a taint with
 * that key, so GPU pods need no toleration of their own and every other pod stays off the GPU nodes.
 */
export const NVIDIA_GPU_RESOURCE = "nvidia.com/gpu";
export const NVIDIA_GPU_TAINT = { key: NVIDIA_GPU_RESOURCE, value: "true", effect: "NoSchedule" } as const;

/** Karpenter's well-known label of the GPU maker (aws/karpenter-provider-aws v1.14.1 pkg/apis/v1/labels.go). */
export const GPU_MANUFACTURER_LABEL = "karpenter.k8s.aws/instance-gpu-manufacturer";
/** Karpenter's well-known label of the GPU count (same file); absent on instances without GPUs. */
export const GPU_COUNT_LABEL = "karpenter.k8s.aws/instance-gpu-count";
