// Helm values of the log releases: monolithic Loki on S3 and Fluent Bit on every node, as typed pure functions of
// plain inputs. Key paths follow the pinned charts' default values (loki 18.11.0 from grafana-community, fluent-bit
// 0.58.1); a conformance test checks every path set here against those files.
import { EVERY_NODE_TOLERATIONS, type Toleration } from "../lib/placement";
import { MONITORING_PLACEMENT, NAMES, placedOn, resources, zoneSpread, type Resources, type TopologySpread } from "./values";

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

/** Labels of the single-binary pods (the chart's selectorLabels plus component: rendered loki 18.11.0). */
export const LOKI_POD_LABELS = {
    "app.kubernetes.io/name": "loki",
    "app.kubernetes.io/instance": NAMES.lokiRelease,
    "app.kubernetes.io/component": "single-binary",
};

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
        nodeSelector: Record<string, string>;
        tolerations: readonly Toleration[];
        topologySpreadConstraints: TopologySpread[];
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
            // A volume each, like Prometheus: the platform pool's on-demand nodes, replicas in different zones (the
            // chart's default affinity keeps them on different nodes too).
            ...placedOn(MONITORING_PLACEMENT.platform),
            topologySpreadConstraints: zoneSpread(LOKI_POD_LABELS),
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
    readinessProbe: { httpGet: { path: "/"; port: "http" } };
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
        // The chart's readiness probe is /api/v2/health, which fails while an output keeps failing (Health_Check
        // On: 5 errors in 60 s). Logs are buffered and retried, so a Loki that is not up yet must not fail this
        // release's first install: ready means the agent runs (the liveness path), not that Loki answers.
        readinessProbe: { httpGet: { path: "/", port: "http" } },
        testFramework: { enabled: false },
        serviceMonitor: { enabled: serviceMonitor },
        config: { inputs: FLUENT_BIT_INPUTS, filters: FLUENT_BIT_FILTERS, outputs: fluentBitOutputs(output) },
    };
}

/** The CloudWatch Logs group Fluent Bit writes to when logs: cloudwatch. */
export const containerLogGroupName = (clusterName: string) => `/aws/eks/${clusterName}/containers`;
