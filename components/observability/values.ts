// Helm values for the metrics releases (prometheus-operator-crds, kube-prometheus-stack), the names and shapes the
// log releases share (log-values.ts), and where each part runs. Key paths follow the pinned charts' default values
// (kube-prometheus-stack 88.5.3, loki 18.11.0 from grafana-community, fluent-bit 0.58.1); a conformance test checks
// every path set here against those files.
import type { LogDestination } from "../../stacks/schema/observability";
import type { AlertmanagerConfig } from "./alerting";
import { EVERY_NODE_TOLERATIONS, PLATFORM_POOL_PLACEMENT, SYSTEM_PLACEMENT, type Placement, type Toleration } from "../lib/placement";

export { EVERY_NODE_TOLERATIONS } from "../lib/placement";

export const MONITORING_NAMESPACE = "monitoring";

/** Chart repositories, by release. Loki moved to the grafana-community repository (chart 13+). */
export const CHART_REPOSITORIES = {
    /**
     * The monitoring.coreos.com CRDs alone (prometheus-community/helm-charts charts/prometheus-operator-crds): the
     * releases whose objects need them (Loki's ServiceMonitor and rules, Fluent Bit's ServiceMonitor, the platform's
     * monitors) wait for this short release instead of the whole kube-prometheus-stack.
     */
    prometheusOperatorCrds: { repo: "https://prometheus-community.github.io/helm-charts", chart: "prometheus-operator-crds" },
    kubePrometheusStack: { repo: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack" },
    loki: { repo: "https://grafana-community.github.io/helm-charts", chart: "loki" },
    fluentBit: { repo: "https://fluent.github.io/helm-charts", chart: "fluent-bit" },
} as const;

/** Names fixed here so IAM (Pod Identity), datasources and Fluent Bit's output agree with what the charts make. */
export const NAMES = {
    prometheusOperatorCrdsRelease: "prometheus-operator-crds",
    kubePrometheusStackRelease: "kube-prometheus-stack",
    lokiRelease: "loki",
    /** Monolithic Loki's Service (the chart's fullname) and service account. */
    lokiService: "loki",
    lokiServiceAccount: "loki",
    fluentBitRelease: "fluent-bit",
    fluentBitServiceAccount: "fluent-bit",
    grafanaAdminSecret: "grafana-admin",
    /** Alertmanager's service account, named so its Pod Identity association (SNS) finds it. */
    alertmanagerServiceAccount: "kube-prometheus-stack-alertmanager",
    grafanaService: "kube-prometheus-stack-grafana",
} as const;

export const LOKI_HTTP_PORT = 3100;
export const lokiUrl = (namespace = MONITORING_NAMESPACE) => `http://${NAMES.lokiService}.${namespace}.svc.cluster.local:${LOKI_HTTP_PORT}`;

// ---------------------------------------------------------------------------------------------------------------
// Shared shapes

export interface Resources {
    requests: { cpu: string; memory: string };
    limits?: { memory: string };
}

/**
 * Where each part runs. The system nodes hold what the cluster needs to come up, so nothing here lands on them but
 * the chart's short-lived admission hook Jobs (they run before any other node may exist). Prometheus, Alertmanager
 * and Loki keep a zonal EBS volume each: they run on the platform NodePool's on-demand nodes (a spot reclaim would
 * not move them faster, and the pool exists in every stack), spread over zones; Grafana, the operator and
 * kube-state-metrics go with them. DaemonSets (node-exporter, Fluent Bit) tolerate every taint
 * (EVERY_NODE_TOLERATIONS): every node's metrics and logs.
 */
export interface MonitoringPlacement {
    /** Prometheus, Alertmanager, Loki, Grafana, the operator, kube-state-metrics. */
    platform: Placement;
    /** The admission webhook's certificate Jobs (Helm hooks). */
    system: Placement;
}

export const MONITORING_PLACEMENT: MonitoringPlacement = { platform: PLATFORM_POOL_PLACEMENT, system: SYSTEM_PLACEMENT };

/** Plain copies for a chart's nodeSelector and tolerations. */
export const placedOn = (p: Placement): { nodeSelector: Record<string, string>; tolerations: Toleration[] } => ({
    nodeSelector: { ...p.nodeSelector },
    tolerations: p.tolerations.map((t) => ({ ...t })),
});

export interface TopologySpread {
    maxSkew: 1;
    topologyKey: "topology.kubernetes.io/zone";
    whenUnsatisfiable: "DoNotSchedule";
    labelSelector: { matchLabels: Record<string, string> };
}

/**
 * Replicas in different zones (hard): with a volume each, the zone a replica is first placed in is the zone it stays
 * in, so the first placement decides whether a zone outage takes every replica.
 */
export const zoneSpread = (matchLabels: Record<string, string>): TopologySpread[] => [
    { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels } },
];

/**
 * Labels of the Prometheus and Alertmanager pods, as the chart's own anti-affinity selects them (rendered
 * kube-prometheus-stack 88.5.3: prometheus.prometheusSpec.podAntiAffinity "soft", alertmanagerSpec likewise).
 */
export const PROMETHEUS_POD_LABELS = {
    "app.kubernetes.io/name": "prometheus",
    "app.kubernetes.io/instance": "kube-prometheus-stack-prometheus",
};
export const ALERTMANAGER_POD_LABELS = { "app.kubernetes.io/name": "alertmanager", alertmanager: "kube-prometheus-stack-alertmanager" };

/** Requests, and a memory limit equal to the request (no CPU limit: throttling a collector loses data). */
export const resources = (cpu: string, memory: string): Resources => ({ requests: { cpu, memory }, limits: { memory } });

// ---------------------------------------------------------------------------------------------------------------
// kube-prometheus-stack

export interface KubePrometheusStackInput {
    storageClassName: string;
    prometheus: { retention: string; storageGiB: number; replicas: number; requests: { cpu: string; memory: string } };
    alertmanager: {
        enabled: boolean;
        replicas: number;
        /** Receivers, routes and inhibition (./alerting); the chart's example configuration when absent. */
        config?: AlertmanagerConfig;
        /** A Secret of the namespace mounted into Alertmanager (the receivers' keys, read from files). */
        secretName?: string;
    };
    grafana: {
        enabled: boolean;
        /** Name of the Secret holding admin-user and admin-password (created by the component, not the chart). */
        adminSecretName: string;
        /**
         * The host Grafana is served on through a shared Gateway (its HTTPRoute is a separate object, ./grafana-route):
         * sets root_url; `instanceTargets` makes its Service a NodePort (the load balancer then targets the nodes).
         */
        gatewayRoute?: { host: string; instanceTargets: boolean };
        /** Add Loki as a Grafana datasource (logs: loki). */
        lokiUrl?: string;
    };
}

interface GrafanaDatasource {
    name: string;
    uid: string;
    type: "loki";
    access: "proxy";
    url: string;
    isDefault: false;
    jsonData: { maxLines: number };
}

interface VolumeClaimTemplate {
    spec: { storageClassName: string; accessModes: ["ReadWriteOnce"]; resources: { requests: { storage: string } } };
}

export interface KubePrometheusStackValues {
    fullnameOverride: string;
    /** The CRDs belong to the prometheus-operator-crds release (upgraded with it; Helm never upgrades crds/). */
    crds: { enabled: false };
    defaultRules: { rules: Record<string, boolean> };
    kubeControllerManager: { enabled: false };
    kubeScheduler: { enabled: false };
    kubeEtcd: { enabled: false };
    kubeProxy: { enabled: boolean };
    coreDns: { enabled: true };
    kubelet: { enabled: true };
    nodeExporter: { enabled: true };
    "prometheus-node-exporter": { tolerations: readonly Toleration[]; resources: Resources };
    "kube-state-metrics": { nodeSelector: Record<string, string>; tolerations: readonly Toleration[]; resources: Resources };
    prometheusOperator: {
        nodeSelector: Record<string, string>;
        tolerations: readonly Toleration[];
        resources: Resources;
        admissionWebhooks: { patch: { nodeSelector: Record<string, string>; tolerations: readonly Toleration[] } };
    };
    prometheus: {
        prometheusSpec: {
            retention: string;
            replicas: number;
            resources: Resources;
            nodeSelector: Record<string, string>;
            tolerations: readonly Toleration[];
            topologySpreadConstraints: TopologySpread[];
            storageSpec: { volumeClaimTemplate: VolumeClaimTemplate };
            serviceMonitorSelectorNilUsesHelmValues: false;
            podMonitorSelectorNilUsesHelmValues: false;
            ruleSelectorNilUsesHelmValues: false;
            probeSelectorNilUsesHelmValues: false;
            scrapeConfigSelectorNilUsesHelmValues: false;
            serviceMonitorNamespaceSelector: Record<string, never>;
            podMonitorNamespaceSelector: Record<string, never>;
            ruleNamespaceSelector: Record<string, never>;
        };
    };
    alertmanager: {
        enabled: boolean;
        serviceAccount?: { create: true; name: string };
        config?: AlertmanagerConfig;
        alertmanagerSpec?: {
            replicas: number;
            resources: Resources;
            nodeSelector: Record<string, string>;
            tolerations: readonly Toleration[];
            topologySpreadConstraints: TopologySpread[];
            storage: { volumeClaimTemplate: VolumeClaimTemplate };
            secrets?: string[];
        };
    };
    grafana: {
        enabled: boolean;
        admin?: { existingSecret: string; userKey: "admin-user"; passwordKey: "admin-password" };
        defaultDashboardsEnabled?: true;
        sidecar?: {
            dashboards: { enabled: true; searchNamespace: "ALL" };
            datasources: { enabled: true; defaultDatasourceEnabled: true; alertmanager: { enabled: boolean } };
        };
        additionalDataSources?: GrafanaDatasource[];
        nodeSelector?: Record<string, string>;
        tolerations?: readonly Toleration[];
        resources?: Resources;
        testFramework?: { enabled: false };
        /** Off: Grafana is reached through an HTTPRoute on a shared Gateway, never the chart's Ingress. */
        ingress?: { enabled: false };
        service?: { type: "NodePort" };
        "grafana.ini"?: { server: { root_url: string } };
    };
}

const claim = (storageClassName: string, gib: number): VolumeClaimTemplate => ({
    spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${gib}Gi` } } },
});

/** Alertmanager's silences and notification log are small; a fixed volume is enough. */
export const ALERTMANAGER_STORAGE_GIB = 2;

/**
 * Values for kube-prometheus-stack. What EKS runs for us (controller manager, scheduler, etcd) cannot be scraped,
 * so those jobs and their rules are off; kube-proxy binds its metrics to 127.0.0.1 on EKS, so it is off too.
 * ServiceMonitors, PodMonitors, rules and probes are selected in every namespace, whatever their labels.
 */
export function kubePrometheusStackValues(
    input: KubePrometheusStackInput,
    placement: MonitoringPlacement = MONITORING_PLACEMENT,
): KubePrometheusStackValues {
    const { prometheus, alertmanager, grafana, storageClassName } = input;
    const platform = () => placedOn(placement.platform);
    const values: KubePrometheusStackValues = {
        fullnameOverride: NAMES.kubePrometheusStackRelease,
        crds: { enabled: false },
        defaultRules: {
            rules: {
                etcd: false,
                kubeControllerManager: false,
                kubeSchedulerAlerting: false,
                kubeSchedulerRecording: false,
                kubeProxy: false,
                windows: false,
                alertmanager: alertmanager.enabled,
            },
        },
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeEtcd: { enabled: false },
        kubeProxy: { enabled: false },
        coreDns: { enabled: true },
        kubelet: { enabled: true },
        nodeExporter: { enabled: true },
        "prometheus-node-exporter": { tolerations: EVERY_NODE_TOLERATIONS, resources: resources("50m", "64Mi") },
        "kube-state-metrics": { ...platform(), resources: resources("50m", "128Mi") },
        prometheusOperator: {
            ...platform(),
            resources: resources("100m", "128Mi"),
            // Helm hooks: they run before any node but the system nodes may exist.
            admissionWebhooks: { patch: placedOn(placement.system) },
        },
        prometheus: {
            prometheusSpec: {
                retention: prometheus.retention,
                replicas: prometheus.replicas,
                resources: resources(prometheus.requests.cpu, prometheus.requests.memory),
                ...platform(),
                topologySpreadConstraints: zoneSpread(PROMETHEUS_POD_LABELS),
                storageSpec: { volumeClaimTemplate: claim(storageClassName, prometheus.storageGiB) },
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
                probeSelectorNilUsesHelmValues: false,
                scrapeConfigSelectorNilUsesHelmValues: false,
                serviceMonitorNamespaceSelector: {},
                podMonitorNamespaceSelector: {},
                ruleNamespaceSelector: {},
            },
        },
        alertmanager: alertmanager.enabled
            ? {
                  enabled: true,
                  serviceAccount: { create: true, name: NAMES.alertmanagerServiceAccount },
                  ...(alertmanager.config ? { config: alertmanager.config } : {}),
                  alertmanagerSpec: {
                      replicas: alertmanager.replicas,
                      resources: resources("50m", "128Mi"),
                      ...platform(),
                      topologySpreadConstraints: zoneSpread(ALERTMANAGER_POD_LABELS),
                      storage: { volumeClaimTemplate: claim(storageClassName, ALERTMANAGER_STORAGE_GIB) },
                      ...(alertmanager.secretName ? { secrets: [alertmanager.secretName] } : {}),
                  },
              }
            : { enabled: false },
        grafana: { enabled: false },
    };
    if (grafana.enabled) {
        values.grafana = {
            enabled: true,
            // The password never enters the values: the chart reads both keys from a Secret the program made.
            admin: { existingSecret: grafana.adminSecretName, userKey: "admin-user", passwordKey: "admin-password" },
            defaultDashboardsEnabled: true,
            sidecar: {
                // Our dashboards (Karpenter, load balancer controller) and Loki's are ConfigMaps labelled grafana_dashboard=1.
                dashboards: { enabled: true, searchNamespace: "ALL" },
                datasources: { enabled: true, defaultDatasourceEnabled: true, alertmanager: { enabled: alertmanager.enabled } },
            },
            additionalDataSources: grafana.lokiUrl
                ? [
                      {
                          name: "Loki",
                          uid: "loki",
                          type: "loki",
                          access: "proxy",
                          url: grafana.lokiUrl,
                          isDefault: false,
                          jsonData: { maxLines: 1000 },
                      },
                  ]
                : [],
            ...platform(),
            resources: resources("100m", "256Mi"),
            testFramework: { enabled: false },
            ingress: { enabled: false },
        };
        if (grafana.gatewayRoute) {
            values.grafana["grafana.ini"] = { server: { root_url: `https://${grafana.gatewayRoute.host}` } };
            if (grafana.gatewayRoute.instanceTargets) values.grafana.service = { type: "NodePort" };
        }
    }
    return values;
}

/** Which log pipeline parts exist for a destination. */
export function logParts(destination: LogDestination): { loki: boolean; fluentBit: boolean; logGroup: boolean } {
    return { loki: destination === "loki", fluentBit: destination !== "none", logGroup: destination === "cloudwatch" };
}
