// Scraping and dashboards for what the platform runs beyond kube-prometheus-stack's own set (which already covers
// CoreDNS, kubelet, node-exporter and kube-state-metrics): a ServiceMonitor or PodMonitor for Karpenter and the AWS load balancer
// controller, and a Grafana dashboard for each, as plain objects the sidecar picks up from labelled ConfigMaps.
import type { MetricsEndpoint } from "../lib/contracts";

/** The platform controllers to scrape and chart: where each serves its metrics, as its own component declares it. */
export interface ScrapeTargets {
    karpenter?: MetricsEndpoint;
    loadBalancerController?: MetricsEndpoint;
}

interface Endpoint {
    port: string;
    path: string;
    interval: string;
}

export interface ServiceMonitorSpec {
    jobLabel?: string;
    namespaceSelector: { matchNames: string[] };
    selector: { matchLabels: Record<string, string> };
    endpoints: Endpoint[];
}

export interface PodMonitorSpec {
    jobLabel?: string;
    namespaceSelector: { matchNames: string[] };
    selector: { matchLabels: Record<string, string> };
    podMetricsEndpoints: Endpoint[];
}

/** One monitoring.coreos.com/v1 object: a ServiceMonitor when the chart makes a metrics Service, else a PodMonitor. */
export type PlatformMonitor = { kind: "ServiceMonitor"; spec: ServiceMonitorSpec } | { kind: "PodMonitor"; spec: PodMonitorSpec };

/** The scrape object of one endpoint: the chart's own Service and port when it has one, its pods otherwise. */
export function monitorFor(endpoint: MetricsEndpoint): PlatformMonitor {
    const common = {
        jobLabel: endpoint.jobLabel ?? "app.kubernetes.io/name",
        namespaceSelector: { matchNames: [endpoint.namespace] },
        selector: { matchLabels: { ...endpoint.selector } },
    };
    const scrape: Endpoint = { port: endpoint.port, path: endpoint.path, interval: "30s" };
    return endpoint.kind === "service"
        ? { kind: "ServiceMonitor", spec: { ...common, endpoints: [scrape] } }
        : { kind: "PodMonitor", spec: { ...common, podMetricsEndpoints: [scrape] } };
}

/** The monitors of the targets present, by object name. */
export function platformMonitors(targets: ScrapeTargets): Record<string, PlatformMonitor> {
    const out: Record<string, PlatformMonitor> = {};
    if (targets.karpenter) out.karpenter = monitorFor(targets.karpenter);
    if (targets.loadBalancerController) out["aws-load-balancer-controller"] = monitorFor(targets.loadBalancerController);
    return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Dashboards (Grafana dashboard JSON model, schemaVersion 39)

export interface PanelSpec {
    title: string;
    expr: string;
    legend: string;
    unit?: "short" | "s" | "percentunit" | "reqps" | "ops";
}

interface GrafanaPanel {
    id: number;
    type: "timeseries";
    title: string;
    datasource: { type: "prometheus"; uid: "${datasource}" };
    gridPos: { h: number; w: number; x: number; y: number };
    fieldConfig: { defaults: { unit: string }; overrides: [] };
    targets: { refId: string; expr: string; legendFormat: string }[];
}

export interface GrafanaDashboard {
    uid: string;
    title: string;
    tags: string[];
    schemaVersion: 39;
    editable: false;
    time: { from: string; to: string };
    refresh: string;
    templating: { list: { name: "datasource"; type: "datasource"; query: "prometheus"; current: Record<string, never>; hide: 0 }[] };
    panels: GrafanaPanel[];
}

/** A dashboard of time series, two panels a row. */
export function dashboard(uid: string, title: string, panels: readonly PanelSpec[]): GrafanaDashboard {
    if (!/^[a-z0-9-]{1,40}$/.test(uid)) throw new Error(`dashboard: uid must be 1-40 lowercase letters, digits or '-', got ${uid}`);
    return {
        uid,
        title,
        tags: ["eks-platform"],
        schemaVersion: 39,
        editable: false,
        time: { from: "now-6h", to: "now" },
        refresh: "1m",
        templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus", current: {}, hide: 0 }] },
        panels: panels.map((p, i) => ({
            id: i + 1,
            type: "timeseries",
            title: p.title,
            datasource: { type: "prometheus", uid: "${datasource}" },
            gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
            fieldConfig: { defaults: { unit: p.unit ?? "short" }, overrides: [] },
            targets: [{ refId: "A", expr: p.expr, legendFormat: p.legend }],
        })),
    };
}

// Karpenter v1 metric names (karpenter.sh docs, reference/metrics).
export const KARPENTER_PANELS: readonly PanelSpec[] = [
    { title: "Nodes by NodePool", expr: 'count by (nodepool) (karpenter_nodes_allocatable{resource_type="cpu"})', legend: "{{nodepool}}" },
    {
        title: "NodeClaims created / terminated (rate)",
        expr: "sum by (nodepool) (rate(karpenter_nodeclaims_created_total[5m])) - sum by (nodepool) (rate(karpenter_nodeclaims_terminated_total[5m]))",
        legend: "{{nodepool}}",
        unit: "ops",
    },
    { title: "Pending pods", expr: 'sum(karpenter_pods_state{phase="Pending"})', legend: "pending" },
    {
        title: "NodePool CPU usage vs limit",
        expr: 'sum by (nodepool) (karpenter_nodepools_usage{resource_type="cpu"}) / sum by (nodepool) (karpenter_nodepools_limit{resource_type="cpu"})',
        legend: "{{nodepool}}",
        unit: "percentunit",
    },
    {
        title: "Disruption decisions",
        expr: "sum by (decision, reason) (rate(karpenter_voluntary_disruption_decisions_total[10m]))",
        legend: "{{decision}} {{reason}}",
        unit: "ops",
    },
    {
        title: "Interruption messages",
        expr: "sum by (message_type) (rate(karpenter_interruption_received_messages_total[5m]))",
        legend: "{{message_type}}",
        unit: "ops",
    },
    {
        title: "Cloud provider errors",
        expr: "sum by (method, error) (rate(karpenter_cloudprovider_errors_total[5m]))",
        legend: "{{method}} {{error}}",
        unit: "ops",
    },
    {
        title: "Scheduling duration p99",
        expr: "histogram_quantile(0.99, sum by (le) (rate(karpenter_scheduler_scheduling_duration_seconds_bucket[5m])))",
        legend: "p99",
        unit: "s",
    },
];

// controller-runtime metrics the AWS load balancer controller exports.
export const LOAD_BALANCER_CONTROLLER_PANELS: readonly PanelSpec[] = [
    {
        title: "Reconciles by controller",
        expr: 'sum by (controller, result) (rate(controller_runtime_reconcile_total{job="aws-load-balancer-controller"}[5m]))',
        legend: "{{controller}} {{result}}",
        unit: "ops",
    },
    {
        title: "Reconcile errors",
        expr: 'sum by (controller) (rate(controller_runtime_reconcile_errors_total{job="aws-load-balancer-controller"}[5m]))',
        legend: "{{controller}}",
        unit: "ops",
    },
    {
        title: "Reconcile duration p99",
        expr: 'histogram_quantile(0.99, sum by (le, controller) (rate(controller_runtime_reconcile_time_seconds_bucket{job="aws-load-balancer-controller"}[5m])))',
        legend: "{{controller}}",
        unit: "s",
    },
    {
        title: "Webhook requests",
        expr: 'sum by (webhook, code) (rate(controller_runtime_webhook_requests_total{job="aws-load-balancer-controller"}[5m]))',
        legend: "{{webhook}} {{code}}",
        unit: "reqps",
    },
];

/** The dashboards for the platform's controllers present in `targets`, by ConfigMap key (file name). */
export function platformDashboards(targets: ScrapeTargets): Record<string, GrafanaDashboard> {
    const out: Record<string, GrafanaDashboard> = {};
    if (targets.karpenter) out["karpenter.json"] = dashboard("eks-platform-karpenter", "Karpenter", KARPENTER_PANELS);
    if (targets.loadBalancerController) {
        out["aws-load-balancer-controller.json"] = dashboard(
            "eks-platform-aws-lbc",
            "AWS Load Balancer Controller",
            LOAD_BALANCER_CONTROLLER_PANELS,
        );
    }
    return out;
}

/** Label the Grafana sidecar looks for (kube-prometheus-stack's grafana.sidecar.dashboards.label/labelValue). */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;
