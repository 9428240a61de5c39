// Helm values of NVIDIA's device plugin (chart nvidia-device-plugin 0.20.0, NVIDIA/k8s-device-plugin
// deployments/helm/nvidia-device-plugin/values.yaml at v0.20.0, 1b826acc) and where its pods run: only on GPU nodes.
import { GPU_MANUFACTURER_LABEL, NVIDIA_GPU_TAINT } from "../../lib/gpu";
import type { Toleration } from "../lib/placement";
import { requestsOf, requiredNodeAffinity, workload, type Workload } from "../lib/workloads";

export const DEVICE_PLUGIN_CHART = "nvidia-device-plugin";
export const DEVICE_PLUGIN_REPOSITORY = "https://nvidia.github.io/k8s-device-plugin";
/** Its pods use system-node-critical, which the API server admits in kube-system. */
export const DEVICE_PLUGIN_NAMESPACE = "kube-system";
export const DEVICE_PLUGIN_RELEASE = "nvidia-device-plugin";

/**
 * The chart's default affinity matches labels of Node Feature Discovery (not installed here: `nfd.enabled` stays
 * off) or `nvidia.com/gpu.present=true`. GPU nodes from Karpenter carry its well-known label of the GPU maker, so
 * that is the first term; the chart's own label stays as the second, for GPU nodes labelled by hand.
 */
export const GPU_NODE_AFFINITY = {
    nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
                { matchExpressions: [{ key: GPU_MANUFACTURER_LABEL, operator: "In", values: ["nvidia"] }] },
                { matchExpressions: [{ key: "nvidia.com/gpu.present", operator: "In", values: ["true"] }] },
            ],
        },
    },
} as const;

export interface DevicePluginValues {
    affinity: typeof GPU_NODE_AFFINITY;
    tolerations: Toleration[];
    priorityClassName: "system-node-critical";
    resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
    devicePlugin: { enabled: true };
    gfd: { enabled: false };
}

/**
 * The GPU nodes' taint (nvidia.com/gpu, the gpu preset's) is the only one tolerated: the plugin has no business on
 * other nodes, and a GPU node with another taint is a finding of the placement check, not something to paper over.
 */
export function devicePluginValues(): DevicePluginValues {
    return {
        affinity: GPU_NODE_AFFINITY,
        tolerations: [{ key: NVIDIA_GPU_TAINT.key, operator: "Exists", effect: NVIDIA_GPU_TAINT.effect }],
        priorityClassName: "system-node-critical",
        resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
        devicePlugin: { enabled: true },
        gfd: { enabled: false },
    };
}

/** One DaemonSet, on the GPU nodes only (its affinity): elsewhere it is not missing, it is not meant to run. */
export function devicePluginWorkloads(values: DevicePluginValues, namespace = DEVICE_PLUGIN_NAMESPACE): Workload[] {
    return [
        workload({
            name: `${DEVICE_PLUGIN_RELEASE}/device-plugin`,
            namespace,
            kind: "DaemonSet",
            replicas: 1,
            nodeSelector: {},
            nodeAffinity: requiredNodeAffinity(values.affinity),
            tolerations: values.tolerations,
            priorityClassName: values.priorityClassName,
            requests: requestsOf(values.resources),
            onlyWhereSelected: true,
            assumptions: ["nvidia-device-plugin: nvcr.io/nvidia/k8s-device-plugin:v0.20.0 is published for amd64 and arm64"],
        }),
    ];
}
