// Helm values for the observability releases, as typed pure functions of plain inputs. Key paths follow the pinned
// charts' default values (kube-prometheus-stack 88.5.3, loki 18.11.0 from grafana-community, fluent-bit 0.58.1); a
// conformance test checks every path set here against those files.
import type { LogDestination } from "../../stacks/schema/observability";
import { EVERY_NODE_TOLERATIONS, SYSTEM_TOLERATION, type Toleration } from "../lib/placement";

export { EVERY_NODE_TOLERATIONS } from "../lib/placement";

export const MONITORING_NAMESPACE = "monitoring";

/** Chart repositories, by release. Loki moved to the grafana-community repository (chart 13+). */
export const CHART_REPOSITORIES = {
    kubePrometheusStack: { repo: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack" },
    loki: { repo: "https://grafana-community.github.io/helm-charts", chart: "loki" },
    fluentBit: { repo: "https://fluent.github.io/helm-charts", chart: "fluent-bit" },
} as const;

/** Names fixed here so IAM (Pod Identity), datasources and Fluent Bit's output agree with what the charts make. */
export const NAMES = {
    kubePrometheusStackRelease: "kube-prometheus-stack",
    lokiRelease: "loki",
    /** Monolithic Loki's Service (the chart's fullname) and service account. */
    lokiService: "loki",
    lokiServiceAccount: "loki",
    fluentBitRelease: "fluent-bit",
    fluentBitServiceAccount: "fluent-bit",
    grafanaAdminSecret: "grafana-admin",
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
 * Platform workloads (operator, Grafana, kube-state-metrics, Prometheus, Alertmanager, Loki) tolerate the system
 * node group's CriticalAddonsOnly taint without requiring it: they may run on system nodes, so metrics and logs stay
 * up when Karpenter itself is what is broken, and spill over to Karpenter nodes when system nodes are full.
 */
export const SYSTEM_TOLERATIONS: readonly Toleration[] = [SYSTEM_TOLERATION];
// DaemonSets (node-exporter, Fluent Bit) tolerate every taint (EVERY_NODE_TOLERATIONS): every node's metrics and logs.

/** Requests, and a memory limit equal to the request (no CPU limit: throttling a collector loses data). */
export const resources = (cpu: string, memory: string): Resources => ({ requests: { cpu, memory }, limits: { memory } });

// ---------------------------------------------------------------------------------------------------------------
// kube-prometheus-stack

export interface KubePrometheusStackInput {
    storageClassName: string;
    prometheus: { retention: string; storageGiB: number; replicas: number; requests: { cpu: string; memory: string } };
    alertmanager: { enabled: boolean; replicas: number };
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
    crds: { enabled: true };
    defaultRules: { rules: Record<string, boolean> };
    kubeControllerManager: { enabled: false };
    kubeScheduler: { enabled: false };
    kubeEtcd: { enabled: false };
    kubeProxy: { enabled: boolean };
    coreDns: { enabled: true };
    kubelet: { enabled: true };
    nodeExporter: { enabled: true };
    "prometheus-node-exporter": { tolerations: readonly Toleration[]; resources: Resources };
    "kube-state-metrics": { tolerations: readonly Toleration[]; resources: Resources };
    prometheusOperator: {
        tolerations: readonly Toleration[];
        resources: Resources;
        admissionWebhooks: { patch: { tolerations: readonly Toleration[] } };
    };
    prometheus: {
        prometheusSpec: {
            retention: string;
            replicas: number;
            resources: Resources;
            tolerations: readonly Toleration[];
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
        alertmanagerSpec?: {
            replicas: number;
            resources: Resources;
            tolerations: readonly Toleration[];
            storage: { volumeClaimTemplate: VolumeClaimTemplate };
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
export function kubePrometheusStackValues(input: KubePrometheusStackInput): KubePrometheusStackValues {
    const { prometheus, alertmanager, grafana, storageClassName } = input;
    const values: KubePrometheusStackValues = {
        fullnameOverride: NAMES.kubePrometheusStackRelease,
        crds: { enabled: true },
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
        "kube-state-metrics": { tolerations: SYSTEM_TOLERATIONS, resources: resources("50m", "128Mi") },
        prometheusOperator: {
            tolerations: SYSTEM_TOLERATIONS,
            resources: resources("100m", "128Mi"),
            admissionWebhooks: { patch: { tolerations: SYSTEM_TOLERATIONS } },
        },
        prometheus: {
            prometheusSpec: {
                retention: prometheus.retention,
                replicas: prometheus.replicas,
                resources: resources(prometheus.requests.cpu, prometheus.requests.memory),
                tolerations: SYSTEM_TOLERATIONS,
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
                  alertmanagerSpec: {
                      replicas: alertmanager.replicas,
                      resources: resources("50m", "128Mi"),
                      tolerations: SYSTEM_TOLERATIONS,
                      storage: { volumeClaimTemplate: claim(storageClassName, ALERTMANAGER_STORAGE_GIB) },
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
            tolerations: SYSTEM_TOLERATIONS,
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

// ---------------------------------------------------------------------------------------------------------------
// Loki

export interface LokiInput {
    region: string;
    buckets: { chunks: string; ruler: string };
    replicas: number;
    retentionDays: number;
    requests: { cpu: string; memory: string };
    storageClassName: string;
    /** Create ServiceMonitor, rules and dashboards (needs the Prometheus operator's CRDs). */
    selfMonitoring: boolean;
    grafanaDashboards: boolean;
}

/** Loki's local volume holds the WAL and the TSDB index being built, not the logs: S3 does. */
export const LOKI_VOLUME_GIB = 10;

export interface LokiValues {
    deploymentMode: "Monolithic";
    loki: {
        auth_enabled: false;
        commonConfig: { replication_factor: number };
        schemaConfig: {
            configs: { from: string; store: "tsdb"; object_store: "s3"; schema: "v13"; index: { prefix: string; period: "24h" } }[];
        };
        storage: { type: "s3"; bucketNames: { chunks: string; ruler: string }; s3: { region: string } };
        limits_config: { retention_period: string };
        compactor: { retention_enabled: true; delete_request_store: "s3"; working_directory: string };
    };
    serviceAccount: { create: true; name: string };
    singleBinary: {
        replicas: number;
        resources: Resources;
        tolerations: readonly Toleration[];
        persistence: { enabled: true; storageClass: string; size: string };
    };
    read: { replicas: 0 };
    write: { replicas: 0 };
    backend: { replicas: 0 };
    gateway: { enabled: false };
    chunksCache: { enabled: false };
    resultsCache: { enabled: false };
    lokiCanary: { enabled: false };
    test: { enabled: false };
    monitoring: {
        serviceMonitor: { enabled: boolean };
        rules: { enabled: boolean };
        dashboards: { enabled: boolean };
    };
}

/**
 * Monolithic Loki (one binary, `replicas` pods) storing chunks and rules in S3 through the pod's Pod Identity
 * credentials (no keys in values). Retention is Loki's compactor's job; the bucket lifecycle is the backstop.
 * No gateway, canary or memcached: Fluent Bit and Grafana talk to the `loki` Service directly.
 */
export function lokiValues(input: LokiInput): LokiValues {
    return {
        deploymentMode: "Monolithic",
        loki: {
            // One tenant ("fake"): the cluster's logs; no X-Scope-OrgID needed by Fluent Bit or Grafana.
            auth_enabled: false,
            // Replication needs a quorum: with fewer than 3 replicas each write goes to one ingester.
            commonConfig: { replication_factor: input.replicas >= 3 ? 3 : 1 },
            schemaConfig: {
                configs: [
                    {
                        from: "2024-04-01",
                        store: "tsdb",
                        object_store: "s3",
                        schema: "v13",
                        index: { prefix: "loki_index_", period: "24h" },
                    },
                ],
            },
            storage: { type: "s3", bucketNames: { ...input.buckets }, s3: { region: input.region } },
            limits_config: { retention_period: `${input.retentionDays * 24}h` },
            compactor: { retention_enabled: true, delete_request_store: "s3", working_directory: "/var/loki/compactor" },
        },
        serviceAccount: { create: true, name: NAMES.lokiServiceAccount },
        singleBinary: {
            replicas: input.replicas,
            resources: resources(input.requests.cpu, input.requests.memory),
            tolerations: SYSTEM_TOLERATIONS,
            persistence: { enabled: true, storageClass: input.storageClassName, size: `${LOKI_VOLUME_GIB}Gi` },
        },
        // The chart refuses replicas on both monolithic and scalable targets: zero the scalable ones.
        read: { replicas: 0 },
        write: { replicas: 0 },
        backend: { replicas: 0 },
        gateway: { enabled: false },
        chunksCache: { enabled: false },
        resultsCache: { enabled: false },
        // The chart's Helm test needs the canary; neither runs here.
        lokiCanary: { enabled: false },
        test: { enabled: false },
        monitoring: {
            serviceMonitor: { enabled: input.selfMonitoring },
            rules: { enabled: input.selfMonitoring },
            dashboards: { enabled: input.grafanaDashboards },
        },
    };
}

// ---------------------------------------------------------------------------------------------------------------
// Fluent Bit

export type FluentBitOutput = { kind: "loki"; url: string } | { kind: "cloudwatch"; region: string; logGroupName: string };

export interface FluentBitValues {
    kind: "DaemonSet";
    serviceAccount: { create: true; name: string };
    tolerations: readonly Toleration[];
    resources: Resources;
    priorityClassName: "system-node-critical";
    testFramework: { enabled: false };
    serviceMonitor: { enabled: boolean };
    config: { inputs: string; filters: string; outputs: string };
}

/** Where the output section sends logs; fails on a Loki URL without host or port. */
export function fluentBitOutputs(output: FluentBitOutput): string {
    if (output.kind === "loki") {
        const url = new URL(output.url);
        if (!url.hostname || !url.port) throw new Error(`fluentBitOutputs: the Loki URL needs a host and a port, got ${output.url}`);
        return [
            "[OUTPUT]",
            "    Name loki",
            "    Match kube.*",
            `    Host ${url.hostname}`,
            `    Port ${url.port}`,
            "    Labels job=fluent-bit",
            "    Label_Keys $kubernetes['namespace_name'],$kubernetes['pod_name'],$kubernetes['container_name']",
            "    Line_Format json",
            "    Auto_Kubernetes_Labels Off",
            "    Retry_Limit 10",
            "",
        ].join("\n");
    }
    return [
        "[OUTPUT]",
        "    Name cloudwatch_logs",
        "    Match kube.*",
        `    region ${output.region}`,
        `    log_group_name ${output.logGroupName}`,
        // The log group is Pulumi's (with its retention); Fluent Bit only makes streams in it.
        "    auto_create_group Off",
        "    log_stream_prefix from-fluent-bit-",
        "    log_key log",
        "    Retry_Limit 10",
        "",
    ].join("\n");
}

const FLUENT_BIT_INPUTS = [
    "[INPUT]",
    "    Name tail",
    "    Path /var/log/containers/*.log",
    "    Exclude_Path /var/log/containers/fluent-bit-*",
    "    multiline.parser docker, cri",
    "    Tag kube.*",
    "    DB /var/log/flb_kube.db",
    "    Mem_Buf_Limit 10MB",
    "    Skip_Long_Lines On",
    "",
].join("\n");

const FLUENT_BIT_FILTERS = [
    "[FILTER]",
    "    Name kubernetes",
    "    Match kube.*",
    "    Merge_Log On",
    "    Keep_Log Off",
    "    K8S-Logging.Parser On",
    "    K8S-Logging.Exclude On",
    "",
].join("\n");

/** Fluent Bit as a DaemonSet on every node, shipping container logs to Loki or CloudWatch Logs. */
export function fluentBitValues(output: FluentBitOutput, serviceMonitor: boolean): FluentBitValues {
    return {
        kind: "DaemonSet",
        serviceAccount: { create: true, name: NAMES.fluentBitServiceAccount },
        tolerations: EVERY_NODE_TOLERATIONS,
        resources: resources("50m", "128Mi"),
        // Log shipping must not be the pod evicted first when a node runs short of memory.
        priorityClassName: "system-node-critical",
        testFramework: { enabled: false },
        serviceMonitor: { enabled: serviceMonitor },
        config: { inputs: FLUENT_BIT_INPUTS, filters: FLUENT_BIT_FILTERS, outputs: fluentBitOutputs(output) },
    };
}

/** The CloudWatch Logs group Fluent Bit writes to when logs: cloudwatch. */
export const containerLogGroupName = (clusterName: string) => `/aws/eks/${clusterName}/containers`;

/** Which log pipeline parts exist for a destination. */
export function logParts(destination: LogDestination): { loki: boolean; fluentBit: boolean; logGroup: boolean } {
    return { loki: destination === "loki", fluentBit: destination !== "none", logGroup: destination === "cloudwatch" };
}
