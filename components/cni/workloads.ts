// Where Calico's pods run, from the values and objects the Cni component passes: the tigera-operator chart's
// Deployment, and what the operator makes from the Installation and APIServer (tigera/operator v1.42.3, pkg/render:
// node.go, typha.go, kubecontrollers/kube-controllers.go, apiserver.go). The operator sets no resource requests
// unless the Installation asks (componentResources / *Deployment overrides), so those pods request nothing.
import type { Toleration } from "../lib/placement";
import { NO_REQUESTS, requestsOf, workload, type NodeSelectorRequirement, type Workload } from "../lib/workloads";
import { CALICO_NAMESPACE, CALICO_SYSTEM_NAMESPACE, type CalicoInstallation } from "./calico";

/** The operator's own tolerations (pkg/render/common/meta: TolerateAll; TolerateCriticalAddonsAndControlPlane). */
const TOLERATE_ALL: Toleration[] = [
    { key: "CriticalAddonsOnly", operator: "Exists" },
    { operator: "Exists", effect: "NoSchedule" },
    { operator: "Exists", effect: "NoExecute" },
];
const TOLERATE_CONTROL_PLANE: Toleration[] = [
    { key: "node-role.kubernetes.io/master", operator: "Exists", effect: "NoSchedule" },
    { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
];
/** calico-node's nodeAffinity on EKS (node.go: eks.amazonaws.com/compute-type NotIn [fargate]). */
const NOT_FARGATE: NodeSelectorRequirement[][] = [[{ key: "eks.amazonaws.com/compute-type", operator: "NotIn", values: ["fargate"] }]];
const SOURCE = "tigera/operator v1.42.3 pkg/render";

/**
 * Typha replicas for a cluster of `nodes` nodes (tigera/operator v1.42.3 pkg/common/autoscale.go
 * GetExpectedTyphaScale): one for up to 2 nodes, 2 for 3-4, at least 3 beyond, one more per 200 nodes.
 */
export function typhaReplicas(nodes: number): number {
    if (nodes <= 2) return 1;
    if (nodes <= 4) return 2;
    return Math.max(3, Math.floor(nodes / 200) + 2);
}

/** The tigera-operator chart's Deployment (one replica: the chart has no replica value). */
export function tigeraOperatorWorkloads(values: {
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    priorityClassName?: string;
    resources?: { requests?: { cpu?: string; memory?: string } };
}): Workload[] {
    return [
        workload({
            name: "calico/tigera-operator",
            namespace: CALICO_NAMESPACE,
            kind: "Deployment",
            replicas: 1,
            nodeSelector: values.nodeSelector,
            tolerations: values.tolerations,
            priorityClassName: values.priorityClassName,
            requests: requestsOf(values.resources),
        }),
    ];
}

interface InstallationPlacementSpec {
    controlPlaneNodeSelector?: Record<string, string>;
    controlPlaneTolerations?: Toleration[];
    controlPlaneReplicas?: number;
    typhaDeployment?: { spec?: { template?: { spec?: { nodeSelector?: Record<string, string> } } } };
}

/**
 * The pods the operator makes from an Installation (and the API server when an APIServer exists), with Typha
 * scaled for `nodes` nodes (the cluster's node count at the time: the system nodes on a first `up`).
 */
export function calicoWorkloads(installation: Pick<CalicoInstallation, "spec">, opts: { apiServer: boolean; nodes: number }): Workload[] {
    const spec = installation.spec as InstallationPlacementSpec;
    const selector = spec.controlPlaneNodeSelector ?? {};
    const tolerations = spec.controlPlaneTolerations ?? [];
    const replicas = spec.controlPlaneReplicas ?? 2;
    const out: Workload[] = [
        workload({
            name: "calico/calico-node",
            namespace: CALICO_SYSTEM_NAMESPACE,
            kind: "DaemonSet",
            replicas: 1,
            nodeSelector: { "kubernetes.io/os": "linux" },
            nodeAffinity: NOT_FARGATE,
            tolerations: TOLERATE_ALL,
            priorityClassName: "system-node-critical",
            requests: NO_REQUESTS,
            assumptions: [`calico-node: tolerations, EKS affinity and no requests from ${SOURCE}/node.go`],
        }),
        workload({
            name: "calico/calico-typha",
            namespace: CALICO_SYSTEM_NAMESPACE,
            kind: "Deployment",
            replicas: typhaReplicas(opts.nodes),
            nodeSelector: spec.typhaDeployment?.spec?.template?.spec?.nodeSelector ?? {},
            // controlPlaneTolerations replace TolerateAll when set (typha.go).
            tolerations: tolerations.length > 0 ? tolerations : TOLERATE_ALL,
            priorityClassName: "system-cluster-critical",
            requests: NO_REQUESTS,
            // Host network: two Typhas cannot share a node (port 5473).
            antiAffinity: ["kubernetes.io/hostname"],
            assumptions: [`calico-typha: replicas by node count, host network, no requests from ${SOURCE}/typha.go`],
        }),
        workload({
            name: "calico/calico-kube-controllers",
            namespace: CALICO_SYSTEM_NAMESPACE,
            kind: "Deployment",
            replicas: 1,
            nodeSelector: selector,
            tolerations: [...tolerations, ...TOLERATE_CONTROL_PLANE, { key: "CriticalAddonsOnly", operator: "Exists" }],
            priorityClassName: "system-cluster-critical",
            requests: NO_REQUESTS,
            assumptions: [`calico-kube-controllers: one replica, no requests from ${SOURCE}/kubecontrollers`],
        }),
    ];
    if (opts.apiServer) {
        out.push(
            workload({
                name: "calico/calico-apiserver",
                namespace: CALICO_SYSTEM_NAMESPACE,
                kind: "Deployment",
                replicas,
                nodeSelector: selector,
                tolerations: [...tolerations, ...TOLERATE_CONTROL_PLANE],
                requests: NO_REQUESTS,
                assumptions: [`calico-apiserver: controlPlaneReplicas, no requests from ${SOURCE}/apiserver.go`],
            }),
        );
    }
    return out;
}
