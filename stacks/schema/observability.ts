import { z } from "zod";
import { chartVersion, addonVersion, logRetentionDays, type Environment } from "./common";

export const LOG_DESTINATIONS = ["loki", "cloudwatch", "none"] as const;
/** Prometheus' retention flag: a number and a unit (y, w, d, h, m, s, ms). */
const prometheusRetention = z.string().regex(/^\d+(y|w|d|h|m|s|ms)$/, "must be a Prometheus duration such as 15d or 12h");

export const observabilitySchema = z.strictObject({
    prometheus: z.strictObject({
        enabled: z.boolean(),
        /** kube-prometheus-stack chart version. */
        chartVersion,
        retention: prometheusRetention,
        storageGiB: z.number().int().min(10, "must be between 10 and 16384").max(16384, "must be between 10 and 16384"),
        replicas: z.number().int().min(1, "must be between 1 and 3").max(3, "must be between 1 and 3"),
    }),
    grafana: z.strictObject({
        enabled: z.boolean(),
        /** Expose Grafana through an ALB Ingress on this host; port-forward only when absent. */
        ingressHost: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "must be a DNS name such as grafana.example.com").optional(),
    }),
    /** Where container logs go: Loki in the cluster (S3-backed), CloudWatch Logs, or nowhere. */
    logs: z.enum(LOG_DESTINATIONS, { message: `must be one of ${LOG_DESTINATIONS.join(", ")}` }),
    loki: z.strictObject({
        chartVersion,
        replicas: z.number().int().min(1, "must be at least 1").max(10, "must be at most 10"),
        retentionDays: z.number().int().min(1, "must be between 1 and 3650").max(3650, "must be between 1 and 3650"),
    }),
    fluentBit: z.strictObject({ chartVersion }),
    cloudwatch: z.strictObject({ retentionDays: logRetentionDays }),
    containerInsights: z.strictObject({ enabled: z.boolean(), version: addonVersion }),
    adot: z.strictObject({ enabled: z.boolean(), version: addonVersion }),
});
export type ObservabilityConfig = z.infer<typeof observabilitySchema>;

const charts = {
    prometheus: "88.5.3",
    loki: "18.11.0",
    fluentBit: "0.58.1",
};

export const observabilityDefaults: Record<Environment, Partial<z.input<typeof observabilitySchema>>> = {
    dev: {
        prometheus: { enabled: true, chartVersion: charts.prometheus, retention: "3d", storageGiB: 20, replicas: 1 },
        grafana: { enabled: true },
        logs: "loki",
        loki: { chartVersion: charts.loki, replicas: 1, retentionDays: 7 },
        fluentBit: { chartVersion: charts.fluentBit },
        cloudwatch: { retentionDays: 7 },
        containerInsights: { enabled: false, version: "v4.5.0-eksbuild.1" },
        adot: { enabled: false, version: "v0.131.0-eksbuild.1" },
    },
    staging: {
        prometheus: { enabled: true, chartVersion: charts.prometheus, retention: "7d", storageGiB: 50, replicas: 1 },
        grafana: { enabled: true },
        logs: "loki",
        loki: { chartVersion: charts.loki, replicas: 1, retentionDays: 30 },
        fluentBit: { chartVersion: charts.fluentBit },
        cloudwatch: { retentionDays: 30 },
        containerInsights: { enabled: false, version: "v4.5.0-eksbuild.1" },
        adot: { enabled: false, version: "v0.131.0-eksbuild.1" },
    },
    prod: {
        prometheus: { enabled: true, chartVersion: charts.prometheus, retention: "15d", storageGiB: 200, replicas: 2 },
        grafana: { enabled: true },
        logs: "loki",
        loki: { chartVersion: charts.loki, replicas: 1, retentionDays: 90 },
        fluentBit: { chartVersion: charts.fluentBit },
        cloudwatch: { retentionDays: 90 },
        containerInsights: { enabled: true, version: "v4.5.0-eksbuild.1" },
        adot: { enabled: false, version: "v0.131.0-eksbuild.1" },
    },
};
