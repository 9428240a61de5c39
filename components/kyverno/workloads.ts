// Where Kyverno's pods run, from the values the component passes (kyverno chart 3.9.0): its four controllers, each a
// Deployment placed by `global` (nodeSelector, tolerations), with the chart's default requests (values.yaml:
// admissionController.container.resources 100m/128Mi; backgroundController, cleanupController, reportsController
// resources 100m/64Mi) and its preferred (soft) anti-affinity, which the check does not count.
import { workload, type Workload } from "../lib/workloads";
import type { Toleration } from "../lib/placement";
import { KYVERNO_NAMESPACE } from "./values";

interface KyvernoPlacementValues {
    global: { nodeSelector: Record<string, string>; tolerations: Toleration[] };
    admissionController: { replicas: number };
    backgroundController: { replicas: number };
    cleanupController: { replicas: number };
    reportsController: { replicas: number };
}

const CHART_DEFAULT_REQUESTS = {
    admissionController: { cpuMillis: 100, memoryMiB: 128 },
    backgroundController: { cpuMillis: 100, memoryMiB: 64 },
    cleanupController: { cpuMillis: 100, memoryMiB: 64 },
    reportsController: { cpuMillis: 100, memoryMiB: 64 },
} as const;

export function kyvernoWorkloads(values: KyvernoPlacementValues): Workload[] {
    return (Object.keys(CHART_DEFAULT_REQUESTS) as (keyof typeof CHART_DEFAULT_REQUESTS)[]).map((controller) =>
        workload({
            name: `kyverno/${controller}`,
            namespace: KYVERNO_NAMESPACE,
            kind: "Deployment",
            replicas: values[controller].replicas,
            nodeSelector: values.global.nodeSelector,
            tolerations: values.global.tolerations,
            requests: CHART_DEFAULT_REQUESTS[controller],
            assumptions: [`requests are the chart's defaults (kyverno 3.9.0 values.yaml ${controller})`],
        }),
    );
}
