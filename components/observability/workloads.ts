// Where the observability releases' pods run, from the values the component passes (kube-prometheus-stack 88.5.3,
// loki 18.11.0, fluent-bit 0.58.1). Sidecars the values leave at the chart's default request nothing (Grafana's
// dashboard and datasource sidecars, Prometheus' config reloader, Loki's rules sidecar: rendered with our values).
// A key the recorded values lack (an older plan) falls back to the chart's default: no selector, no toleration.
import { EVERY_NODE_TOLERATIONS } from "../lib/placement";
import { NO_REQUESTS, requestsOf, spreadOf, workload, type NodeSelectorRequirement, type Workload } from "../lib/workloads";
import type { FluentBitValues, LokiValues } from "./log-values";
import { MONITORING_NAMESPACE, type KubePrometheusStackValues } from "./values";

/** The node-exporter chart's default affinity (prometheus-node-exporter 4.56.1, rendered): no Fargate, no virtual kubelet. */
const NODE_EXPORTER_AFFINITY: NodeSelectorRequirement[][] = [
    [
        { key: "eks.amazonaws.com/compute-type", operator: "NotIn", values: ["fargate"] },
        { key: "type", operator: "NotIn", values: ["virtual-kubelet"] },
    ],
];

export function kubePrometheusStackWorkloads(values: KubePrometheusStackValues, namespace = MONITORING_NAMESPACE): Workload[] {
    const op = values.prometheusOperator;
    const prom = values.prometheus.prometheusSpec;
    const ksm = values["kube-state-metrics"];
    const out: Workload[] = [
        workload({
            name: "kube-prometheus-stack/operator",
            namespace,
            kind: "Deployment",
            replicas: 1,
            nodeSelector: op.nodeSelector ?? {},
            tolerations: op.tolerations ?? [],
            requests: requestsOf(op.resources),
        }),
        workload({
            name: "kube-prometheus-stack/admission-jobs",
            namespace,
            kind: "Job",
            replicas: 1,
            nodeSelector: op.admissionWebhooks?.patch?.nodeSelector ?? {},
            tolerations: op.admissionWebhooks?.patch?.tolerations ?? [],
            requests: NO_REQUESTS,
        }),
        workload({
            name: "kube-prometheus-stack/kube-state-metrics",
            namespace,
            kind: "Deployment",
            replicas: 1,
            nodeSelector: ksm.nodeSelector ?? {},
            tolerations: ksm.tolerations ?? [],
            requests: requestsOf(ksm.resources),
        }),
        workload({
            name: "kube-prometheus-stack/prometheus",
            namespace,
            kind: "StatefulSet",
            replicas: prom.replicas,
            nodeSelector: prom.nodeSelector ?? {},
            tolerations: prom.tolerations ?? [],
            spread: spreadOf(prom.topologySpreadConstraints),
            requests: requestsOf(prom.resources),
            zonalVolume: true,
        }),
    ];
    if (values.nodeExporter.enabled) {
        out.push(
            workload({
                name: "kube-prometheus-stack/node-exporter",
                namespace,
                kind: "DaemonSet",
                replicas: 1,
                nodeSelector: { "kubernetes.io/os": "linux" },
                nodeAffinity: NODE_EXPORTER_AFFINITY,
                tolerations: values["prometheus-node-exporter"].tolerations,
                requests: requestsOf(values["prometheus-node-exporter"].resources),
            }),
        );
    }
    const am = values.alertmanager.alertmanagerSpec;
    if (values.alertmanager.enabled && am) {
        out.push(
            workload({
                name: "kube-prometheus-stack/alertmanager",
                namespace,
                kind: "StatefulSet",
                replicas: am.replicas,
                nodeSelector: am.nodeSelector ?? {},
                tolerations: am.tolerations ?? [],
                spread: spreadOf(am.topologySpreadConstraints),
                requests: requestsOf(am.resources),
                zonalVolume: true,
            }),
        );
    }
    const grafana = values.grafana;
    if (grafana.enabled) {
        out.push(
            workload({
                name: "kube-prometheus-stack/grafana",
                namespace,
                kind: "Deployment",
                replicas: 1,
                nodeSelector: grafana.nodeSelector ?? {},
                tolerations: grafana.tolerations ?? [],
                requests: requestsOf(grafana.resources),
            }),
        );
    }
    return out;
}

/** Monolithic Loki: a StatefulSet with a volume each; the chart's default affinity keeps replicas on different nodes. */
export function lokiWorkloads(values: LokiValues, namespace = MONITORING_NAMESPACE): Workload[] {
    const sb = values.singleBinary;
    return [
        workload({
            name: "loki/single-binary",
            namespace,
            kind: "StatefulSet",
            replicas: sb.replicas,
            nodeSelector: sb.nodeSelector ?? {},
            tolerations: sb.tolerations ?? [],
            spread: spreadOf(sb.topologySpreadConstraints),
            antiAffinity: ["kubernetes.io/hostname"],
            requests: requestsOf(sb.resources),
            zonalVolume: sb.persistence.enabled,
            assumptions: ["loki/single-binary: required hostname anti-affinity is the chart's default singleBinary.affinity"],
        }),
    ];
}

export function fluentBitWorkloads(values: FluentBitValues, namespace = MONITORING_NAMESPACE): Workload[] {
    return [
        workload({
            name: "fluent-bit/fluent-bit",
            namespace,
            kind: "DaemonSet",
            replicas: 1,
            nodeSelector: {},
            tolerations: values.tolerations ?? EVERY_NODE_TOLERATIONS,
            priorityClassName: values.priorityClassName,
            requests: requestsOf(values.resources),
        }),
    ];
}
