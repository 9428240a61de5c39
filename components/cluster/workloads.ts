// Where the EKS add-ons' pods run: the add-on's own defaults (from the upstream chart the add-on is built from, at the
// add-on's version), overridden by the configuration values the Cluster passes (addonPlan). EKS publishes the
// add-ons' configuration schema but not their manifests, so every default here is marked as an assumption with its
// source; `kubectl -n kube-system get deploy,ds -o yaml` on a cluster shows the real ones.
import type { Toleration } from "../lib/placement";
import { requestsOf, sumRequests, workload, type NodeSelectorRequirement, type PodRequests, type Workload } from "../lib/workloads";

const EVERYWHERE: Toleration[] = [{ operator: "Exists" }];
const NOT_FARGATE_HYBRID: NodeSelectorRequirement[][] = [
    [{ key: "eks.amazonaws.com/compute-type", operator: "NotIn", values: ["fargate", "hybrid", "auto"] }],
];
const req = (cpu: string, memory?: string): PodRequests => requestsOf({ requests: { cpu, memory } });

interface AddonValues {
    tolerations?: Toleration[];
    nodeSelector?: Record<string, string>;
    replicaCount?: number;
    controller?: { tolerations?: Toleration[]; nodeSelector?: Record<string, string>; replicaCount?: number };
}

/** The pods of one add-on, by its EKS name, with the configuration values it is given. Unknown add-ons: none. */
export function addonWorkloads(addonName: string, values: AddonValues = {}): Workload[] {
    const ns = "kube-system";
    switch (addonName) {
        case "vpc-cni":
            return [
                workload({
                    name: "vpc-cni/aws-node",
                    namespace: ns,
                    kind: "DaemonSet",
                    replicas: 1,
                    nodeSelector: {},
                    nodeAffinity: NOT_FARGATE_HYBRID,
                    tolerations: EVERYWHERE,
                    priorityClassName: "system-node-critical",
                    // aws-node 25m; the network policy agent container requests nothing.
                    requests: req("25m"),
                    assumptions: ["vpc-cni: aws/amazon-vpc-cni-k8s v1.20.4 charts/aws-vpc-cni/values.yaml (resources, tolerations)"],
                }),
            ];
        case "kube-proxy":
            return [
                workload({
                    name: "kube-proxy/kube-proxy",
                    namespace: ns,
                    kind: "DaemonSet",
                    replicas: 1,
                    nodeSelector: {},
                    nodeAffinity: NOT_FARGATE_HYBRID,
                    tolerations: EVERYWHERE,
                    priorityClassName: "system-node-critical",
                    requests: req("100m"),
                    assumptions: ["kube-proxy: 100m CPU request of the EKS kube-proxy DaemonSet (not published; check with kubectl)"],
                }),
            ];
        case "eks-pod-identity-agent":
            return [
                workload({
                    name: "eks-pod-identity-agent/agent",
                    namespace: ns,
                    kind: "DaemonSet",
                    replicas: 1,
                    nodeSelector: {},
                    nodeAffinity: NOT_FARGATE_HYBRID,
                    tolerations: EVERYWHERE,
                    priorityClassName: "system-node-critical",
                    requests: req("0"),
                    assumptions: [
                        "eks-pod-identity-agent: aws/eks-pod-identity-agent charts/eks-pod-identity-agent/values.yaml (resources {})",
                    ],
                }),
            ];
        case "coredns":
            return [
                workload({
                    name: "coredns/coredns",
                    namespace: ns,
                    kind: "Deployment",
                    replicas: values.replicaCount ?? 2,
                    nodeSelector: values.nodeSelector ?? {},
                    tolerations: values.tolerations ?? [{ key: "CriticalAddonsOnly", operator: "Exists" }],
                    priorityClassName: "system-cluster-critical",
                    requests: req("100m", "70Mi"),
                    assumptions: [
                        "coredns: 2 replicas (EKS user guide, CoreDNS add-on), 100m/70Mi (the Kubernetes coredns manifest EKS's is derived from)",
                    ],
                }),
            ];
        case "aws-ebs-csi-driver": {
            const c = values.controller ?? {};
            // Five containers of 10m/40Mi each (ebs-plugin, provisioner, attacher, resizer, liveness probe; the snapshotter
            // only with the snapshot CRDs, which this platform does not install), three on the node.
            const container = req("10m", "40Mi");
            return [
                workload({
                    name: "aws-ebs-csi-driver/controller",
                    namespace: ns,
                    kind: "Deployment",
                    replicas: c.replicaCount ?? 2,
                    nodeSelector: c.nodeSelector ?? {},
                    tolerations: c.tolerations ?? [
                        { key: "CriticalAddonsOnly", operator: "Exists" },
                        { operator: "Exists", effect: "NoExecute" },
                    ],
                    priorityClassName: "system-cluster-critical",
                    requests: sumRequests(container, container, container, container, container),
                    assumptions: [
                        "aws-ebs-csi-driver: kubernetes-sigs/aws-ebs-csi-driver v1.50.1 chart (controller, templates/controller.yaml)",
                    ],
                }),
                workload({
                    name: "aws-ebs-csi-driver/node",
                    namespace: ns,
                    kind: "DaemonSet",
                    replicas: 1,
                    nodeSelector: {},
                    nodeAffinity: NOT_FARGATE_HYBRID,
                    tolerations: EVERYWHERE,
                    priorityClassName: "system-node-critical",
                    requests: sumRequests(container, container, container),
                    assumptions: ["aws-ebs-csi-driver: v1.50.1 chart node (tolerateAllTaints, 3 containers)"],
                }),
            ];
        }
        case "aws-efs-csi-driver": {
            const c = values.controller ?? {};
            const chart = "aws-efs-csi-driver: kubernetes-sigs/aws-efs-csi-driver v3.3.0 chart 4.3.0 values.yaml";
            return [
                workload({
                    name: "aws-efs-csi-driver/controller",
                    namespace: ns,
                    kind: "Deployment",
                    replicas: c.replicaCount ?? 2,
                    nodeSelector: c.nodeSelector ?? {},
                    tolerations: c.tolerations ?? [
                        { key: "CriticalAddonsOnly", operator: "Exists" },
                        { key: "efs.csi.aws.com/agent-not-ready", operator: "Exists" },
                    ],
                    priorityClassName: "system-cluster-critical",
                    // The chart sets no resources (controller.resources: {}).
                    requests: req("0"),
                    assumptions: [`${chart} (controller: 2 replicas, no requests)`],
                }),
                workload({
                    name: "aws-efs-csi-driver/node",
                    namespace: ns,
                    kind: "DaemonSet",
                    replicas: 1,
                    nodeSelector: {},
                    nodeAffinity: NOT_FARGATE_HYBRID,
                    tolerations: EVERYWHERE,
                    priorityClassName: "system-node-critical",
                    requests: req("0"),
                    assumptions: [`${chart} (node: tolerates every taint, not on Fargate or hybrid nodes, no requests)`],
                }),
            ];
        }
        case "metrics-server":
            return [
                workload({
                    name: "metrics-server/metrics-server",
                    namespace: ns,
                    kind: "Deployment",
                    replicas: values.replicaCount ?? 2,
                    nodeSelector: values.nodeSelector ?? {},
                    tolerations: values.tolerations ?? [],
                    priorityClassName: "system-cluster-critical",
                    requests: req("100m", "200Mi"),
                    assumptions: [
                        "metrics-server: 100m/200Mi of the kubernetes-sigs/metrics-server chart; 2 replicas assumed for the EKS add-on (not published)",
                    ],
                }),
            ];
        default:
            return [];
    }
}
