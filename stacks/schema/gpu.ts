// The eks-platform:gpu section: what GPU nodes need beyond their NodePool. NVIDIA's device plugin advertises the GPUs
// as the nvidia.com/gpu resource; without it a pod requesting one never schedules, whatever nodes exist.
import { z } from "zod";
import { chartVersion, type DeepPartial, type Environment } from "./common";
import { effectiveNodePools, isGpuPool, type KarpenterConfig, type ReadonlyNodePool } from "./karpenter";
import { defineRule, problems, type Rule } from "./rule";

export const gpuSchema = z
    .strictObject({
        devicePlugin: z
            .strictObject({
                enabled: z
                    .boolean()
                    .describe(
                        "Install NVIDIA's device plugin (a DaemonSet on GPU nodes only) when the stack has a GPU NodePool; off only where another one (the GPU Operator) runs.",
                    ),
                chartVersion: chartVersion.describe(
                    "The nvidia-device-plugin chart (https://nvidia.github.io/k8s-device-plugin); 0.20.0 is device plugin v0.20.0.",
                ),
            })
            .describe("NVIDIA's Kubernetes device plugin (NVIDIA/k8s-device-plugin)."),
    })
    .describe("GPU nodes: the device plugin.");
export type GpuConfig = z.infer<typeof gpuSchema>;

/** NVIDIA/k8s-device-plugin v0.20.0 (1b826acc, 2026-08-19), its chart deployments/helm/nvidia-device-plugin. */
export const DEVICE_PLUGIN_CHART_VERSION = "0.20.0";

const gpu: DeepPartial<z.input<typeof gpuSchema>> = { devicePlugin: { enabled: true, chartVersion: DEVICE_PLUGIN_CHART_VERSION } };
export const gpuDefaults: Record<Environment, DeepPartial<z.input<typeof gpuSchema>>> = { dev: gpu, staging: gpu, prod: gpu };

/** Whether the device plugin is installed: switched on, and a GPU NodePool exists for it to run on. */
export const devicePluginInstalled = (
    g: { readonly devicePlugin: { readonly enabled: boolean } },
    karpenter: { readonly nodePools: readonly ReadonlyNodePool[] },
): boolean => g.devicePlugin.enabled && effectiveNodePools(karpenter.nodePools).some(isGpuPool);

export const gpuRules: readonly Rule<{ gpu: GpuConfig; karpenter: KarpenterConfig }>[] = [
    defineRule({
        needs: ["gpu.devicePlugin", "karpenter.nodePools"],
        summary: "a GPU NodePool without the device plugin is warned about (pods requesting nvidia.com/gpu would stay Pending)",
        reports: ["eks-platform:gpu.devicePlugin.enabled"],
        check: ({ gpu: g, karpenter }) => {
            const p = problems();
            const pools = karpenter.nodePools.filter(isGpuPool).map((pool) => pool.name);
            if (!g.devicePlugin.enabled && pools.length > 0)
                p.warn(
                    ["eks-platform:gpu", "devicePlugin", "enabled"],
                    `is false while GPU NodePools exist (${pools.join(", ")}): unless another device plugin (NVIDIA's GPU Operator) runs, no node advertises nvidia.com/gpu and every pod requesting it stays Pending`,
                );
            return p.list;
        },
    }),
];
