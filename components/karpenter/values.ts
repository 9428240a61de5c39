// Helm values of the karpenter chart (charts/karpenter/values.yaml of the pinned version), built from plain values.
// Only what this platform decides is set; everything else stays at the chart's default.
import type { MetricsEndpoint } from "../lib/contracts";
import { SYSTEM_PLACEMENT, type Placement, type Toleration } from "../lib/placement";
import { requestsOf, requiredAntiAffinity, requiredNodeAffinity, spreadOf, workload, type Workload } from "../lib/workloads";

/** The chart and its CRD chart, both on Karpenter's public ECR (OCI). */
export const KARPENTER_CHART = "oci://public.ecr.aws/karpenter/karpenter";
export const KARPENTER_CRD_CHART = "oci://public.ecr.aws/karpenter/karpenter-crd";

/** Label Karpenter puts on every node it launches: the controller must never run on one of its own nodes. */
export const NODEPOOL_LABEL = "karpenter.sh/nodepool";

export interface KarpenterValuesInput {
    clusterName: string;
    /** The API server endpoint (saves Karpenter an eks:DescribeCluster at start). */
    clusterEndpoint?: string;
    interruptionQueueName: string;
    serviceAccount: string;
    replicas: number;
    /** CPU and memory of each controller: requests and limits both, so the pod is Guaranteed (never BestEffort). */
    resources: { cpu: string; memory: string };
    /** The system nodes the controller runs on (selected and tolerated). */
    system?: Placement;
}

/** The subset of the chart's values this platform sets (names as in the chart's values.yaml). */
export interface KarpenterValues {
    replicas: number;
    serviceAccount: { create: true; name: string; annotations: Record<string, string> };
    podDisruptionBudget: { name: string; maxUnavailable: number };
    priorityClassName: "system-cluster-critical";
    nodeSelector: Record<string, string>;
    affinity: {
        nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: { matchExpressions: { key: string; operator: "DoesNotExist" | "In" | "NotIn"; values?: string[] }[] }[];
            };
        };
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { topologyKey: string }[] };
    };
    topologySpreadConstraints: { maxSkew: number; topologyKey: string; whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway" }[];
    tolerations: Toleration[];
    controller: { resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } } };
    settings: { clusterName: string; clusterEndpoint?: string; interruptionQueue: string };
}

/**
 * The karpenter release's values: the cluster and its interruption queue, `replicas` controllers with a PDB, on the
 * system nodes (tolerating their taints) and never on a node Karpenter launched (so the controller never drains
 * the node it runs on). With EKS Pod Identity the service account needs no role annotation.
 */
export function karpenterValues(input: KarpenterValuesInput): KarpenterValues {
    const system = input.system ?? SYSTEM_PLACEMENT;
    const tolerations: Toleration[] = system.tolerations.map((t) => ({ ...t }));
    const settings: KarpenterValues["settings"] = { clusterName: input.clusterName, interruptionQueue: input.interruptionQueueName };
    if (input.clusterEndpoint !== undefined) settings.clusterEndpoint = input.clusterEndpoint;
    return {
        replicas: input.replicas,
        serviceAccount: { create: true, name: input.serviceAccount, annotations: {} },
        // One controller may be evicted at a time; with a single replica (dev) a drain may take it (it restarts elsewhere).
        podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
        priorityClassName: "system-cluster-critical",
        nodeSelector: { "kubernetes.io/os": "linux", ...system.nodeSelector },
        affinity: {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [{ matchExpressions: [{ key: NODEPOOL_LABEL, operator: "DoesNotExist" }] }],
                },
            },
            podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname" }] },
        },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }],
        tolerations,
        // The chart default (resources: {}) makes the controller BestEffort: the first pod evicted under memory
        // pressure, whatever its priority class. requests = limits makes it Guaranteed; the chart derives the Go
        // runtime's limits from them (CPU_REQUESTS, MEMORY_LIMIT: settings.md).
        controller: {
            resources: {
                requests: { cpu: input.resources.cpu, memory: input.resources.memory },
                limits: { cpu: input.resources.cpu, memory: input.resources.memory },
            },
        },
        settings,
    };
}

/** The chart's metrics Service (templates/service.yaml): `<release>` labelled app.kubernetes.io/name=karpenter, port http-metrics. */
export function karpenterMetrics(namespace: string): MetricsEndpoint {
    return { kind: "service", namespace, selector: { "app.kubernetes.io/name": "karpenter" }, port: "http-metrics", path: "/metrics" };
}

/** The controller Deployment the values make (the chart's templates/deployment.yaml reads each of these keys). */
export function karpenterWorkloads(values: KarpenterValues, namespace: string): Workload[] {
    return [
        workload({
            name: "karpenter/controller",
            namespace,
            kind: "Deployment",
            replicas: values.replicas,
            nodeSelector: values.nodeSelector,
            nodeAffinity: requiredNodeAffinity(values.affinity),
            antiAffinity: requiredAntiAffinity(values.affinity),
            spread: spreadOf(values.topologySpreadConstraints),
            tolerations: values.tolerations,
            priorityClassName: values.priorityClassName,
            // Recorded values of an older plan may lack a key: the chart's default (none) applies then.
            requests: requestsOf(values.controller?.resources),
        }),
    ];
}
