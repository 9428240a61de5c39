import { z } from "zod";
import { addonVersion, chartVersion, logRetentionDays, quantity, type Environment } from "./common";

export const LOG_DESTINATIONS = ["loki", "cloudwatch", "none"] as const;
export type LogDestination = (typeof LOG_DESTINATIONS)[number];

/** Prometheus' retention flag: a number and a unit (y, w, d, h, m, s, ms). */
const prometheusRetention = z.string().regex(/^[1-9]\d*(y|w|d|h|m|s|ms)$/, "must be a Prometheus duration such as 15d or 12h");

/** CPU and memory requests of a workload; limits are derived (memory limit = request, no CPU limit). */
const requests = z.strictObject({ cpu: quantity, memory: quantity });

/** A host name for an Ingress rule: lowercase DNS labels, at least two, no wildcard, no scheme or path. */
const hostName = z
    .string()
    .regex(
        /^(?=.{4,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        "must be a DNS name such as grafana.example.com (no scheme, port or path)",
    );

export const observabilitySchema = z
    .strictObject({
        prometheus: z.strictObject({
            /** kube-prometheus-stack: Prometheus, its operator, kube-state-metrics and node-exporter (and Grafana, Alertmanager). */
            enabled: z.boolean(),
            /** kube-prometheus-stack chart version. */
            chartVersion,
            retention: prometheusRetention,
            /** Size of each Prometheus replica's gp3 volume. */
            storageGiB: z.number().int().min(10, "must be between 10 and 16384").max(16384, "must be between 10 and 16384"),
            replicas: z.number().int().min(1, "must be between 1 and 3").max(3, "must be between 1 and 3"),
            requests,
        }),
        alertmanager: z.strictObject({
            enabled: z.boolean(),
            replicas: z.number().int().min(1, "must be between 1 and 3").max(3, "must be between 1 and 3"),
        }),
        grafana: z.strictObject({
            enabled: z.boolean(),
            /** Expose Grafana through an internal ALB Ingress on this host; port-forward only when absent. */
            ingressHost: hostName.optional(),
        }),
        /** Where container logs go: Loki in the cluster (S3-backed), CloudWatch Logs, or nowhere. */
        logs: z.enum(LOG_DESTINATIONS, { message: `must be one of ${LOG_DESTINATIONS.join(", ")}` }),
        loki: z.strictObject({
            chartVersion,
            /** Monolithic (single binary) replicas; 3 or more turn on replication factor 3. */
            replicas: z.number().int().min(1, "must be between 1 and 10").max(10, "must be between 1 and 10"),
            /** Days logs are kept: Loki's compactor deletes them, the S3 lifecycle expires what is left a day later. */
            retentionDays: z.number().int().min(1, "must be between 1 and 3650").max(3650, "must be between 1 and 3650"),
            requests,
        }),
        fluentBit: z.strictObject({ chartVersion }),
        cloudwatch: z.strictObject({ retentionDays: logRetentionDays }),
        /** The amazon-cloudwatch-observability EKS add-on (Container Insights, CloudWatch agent). */
        containerInsights: z.strictObject({ enabled: z.boolean(), version: addonVersion }),
        /** The ADOT EKS add-on with an OTLP collector sending traces to X-Ray. */
        adot: z.strictObject({
            enabled: z.boolean(),
            version: addonVersion,
            /** The ADOT operator's webhooks need cert-manager, which this platform does not install: say it is there. */
            certManagerInstalled: z.boolean(),
        }),
    })
    .superRefine((o, ctx) => {
        const add = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
        if (o.grafana.enabled && !o.prometheus.enabled) {
            add(["grafana", "enabled"], "needs prometheus.enabled: Grafana is installed by the kube-prometheus-stack release");
        }
        if (o.alertmanager.enabled && !o.prometheus.enabled) {
            add(["alertmanager", "enabled"], "needs prometheus.enabled: Alertmanager is installed by the kube-prometheus-stack release");
        }
        if (o.grafana.ingressHost !== undefined && !o.grafana.enabled) {
            add(["grafana", "ingressHost"], "needs grafana.enabled: there is no Grafana to expose");
        }
        if (o.adot.enabled && !o.adot.certManagerInstalled) {
            add(
                ["adot", "certManagerInstalled"],
                "must be true to enable adot: the ADOT operator's admission webhooks need cert-manager, which this platform does not install (install it, then set this)",
            );
        }
    });
export type ObservabilityConfig = z.infer<typeof observabilitySchema>;

/** Pinned chart versions: the defaults every stack starts from (see /work/shared/reference/chart-values). */
export const OBSERVABILITY_CHARTS = {
    prometheus: "88.5.3",
    loki: "18.11.0",
    fluentBit: "0.58.1",
} as const;
const addons = {
    containerInsights: "v4.5.0-eksbuild.1",
    adot: "v0.131.0-eksbuild.1",
} as const;

type Defaults = Partial<z.input<typeof observabilitySchema>>;

// dev runs the lighter set: one small Prometheus, no Alertmanager, a small Loki, short retention.
const dev: Defaults = {
    prometheus: {
        enabled: true,
        chartVersion: OBSERVABILITY_CHARTS.prometheus,
        retention: "3d",
        storageGiB: 20,
        replicas: 1,
        requests: { cpu: "250m", memory: "1Gi" },
    },
    alertmanager: { enabled: false, replicas: 1 },
    grafana: { enabled: true },
    logs: "loki",
    loki: { chartVersion: OBSERVABILITY_CHARTS.loki, replicas: 1, retentionDays: 7, requests: { cpu: "250m", memory: "512Mi" } },
    fluentBit: { chartVersion: OBSERVABILITY_CHARTS.fluentBit },
    cloudwatch: { retentionDays: 7 },
    containerInsights: { enabled: false, version: addons.containerInsights },
    adot: { enabled: false, version: addons.adot, certManagerInstalled: false },
};

export const observabilityDefaults: Record<Environment, Defaults> = {
    dev,
    staging: {
        ...dev,
        prometheus: {
            enabled: true,
            chartVersion: OBSERVABILITY_CHARTS.prometheus,
            retention: "7d",
            storageGiB: 50,
            replicas: 1,
            requests: { cpu: "500m", memory: "2Gi" },
        },
        alertmanager: { enabled: true, replicas: 1 },
        loki: { chartVersion: OBSERVABILITY_CHARTS.loki, replicas: 1, retentionDays: 30, requests: { cpu: "500m", memory: "1Gi" } },
        cloudwatch: { retentionDays: 30 },
    },
    prod: {
        ...dev,
        prometheus: {
            enabled: true,
            chartVersion: OBSERVABILITY_CHARTS.prometheus,
            retention: "15d",
            storageGiB: 200,
            replicas: 2,
            requests: { cpu: "1", memory: "4Gi" },
        },
        alertmanager: { enabled: true, replicas: 2 },
        loki: { chartVersion: OBSERVABILITY_CHARTS.loki, replicas: 1, retentionDays: 90, requests: { cpu: "1", memory: "2Gi" } },
        cloudwatch: { retentionDays: 90 },
        containerInsights: { enabled: true, version: addons.containerInsights },
    },
};
