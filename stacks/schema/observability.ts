import { z } from "zod";
import { addonVersion, chartVersion, logRetentionDays, quantity, type DeepPartial, type Environment } from "./common";
import { ALERTING_DEFAULTS, alertingSchema, alertingSecretNames, type AlertingConfig } from "./alerting";
import type { CertificatesConfig } from "./certificates";
import { defineRule, problems, wrote, writtenFields, type Rule, type Written } from "./rule";

export const LOG_DESTINATIONS = ["loki", "cloudwatch", "none"] as const;
export type LogDestination = (typeof LOG_DESTINATIONS)[number];

/** Prometheus' retention flag: a number and a unit (y, w, d, h, m, s, ms). */
const prometheusRetention = z.string().regex(/^[1-9]\d*(y|w|d|h|m|s|ms)$/, "must be a Prometheus duration such as 15d or 12h");

/** CPU and memory requests of a workload; limits are derived (memory limit = request, no CPU limit). */
const requests = z.strictObject({
    cpu: quantity.describe("CPU request, e.g. 500m."),
    memory: quantity.describe("Memory request (and limit), e.g. 2Gi."),
});

/** A host name for an Ingress rule: lowercase DNS labels, at least two, no wildcard, no scheme or path. */
const hostName = z
    .string()
    .regex(
        /^(?=.{4,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        "must be a DNS name such as grafana.example.com (no scheme, port or path)",
    );

export const observabilitySchema = z
    .strictObject({
        prometheus: z
            .strictObject({
                enabled: z
                    .boolean()
                    .describe(
                        "Install kube-prometheus-stack: Prometheus, its operator, kube-state-metrics, node-exporter (and Grafana, Alertmanager).",
                    ),
                chartVersion: chartVersion.describe("kube-prometheus-stack chart version."),
                crdsChartVersion: chartVersion.describe(
                    "prometheus-operator-crds chart version: the monitoring.coreos.com CRDs, a release of their own. Its appVersion must be kube-prometheus-stack's (88.5.3 and 31.0.1 both ship prometheus-operator v0.93.1).",
                ),
                retention: prometheusRetention.describe("How long Prometheus keeps samples, e.g. 15d."),
                storageGiB: z
                    .number()
                    .int()
                    .min(10, "must be between 10 and 16384")
                    .max(16384, "must be between 10 and 16384")
                    .describe("Size of each Prometheus replica's gp3 volume."),
                replicas: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 3")
                    .max(3, "must be between 1 and 3")
                    .describe("Prometheus replicas."),
                requests: requests.describe("Prometheus' CPU and memory requests (memory limit = request)."),
            })
            .describe("Metrics: kube-prometheus-stack."),
        alertmanager: z
            .strictObject({
                enabled: z.boolean().describe("Install Alertmanager (needs prometheus.enabled)."),
                replicas: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 3")
                    .max(3, "must be between 1 and 3")
                    .describe("Alertmanager replicas (refused while enabled is false)."),
            })
            .describe("Alertmanager."),
        alerting: alertingSchema,
        grafana: z
            .strictObject({
                enabled: z.boolean().describe("Install Grafana (needs prometheus.enabled)."),
                ingressHost: hostName
                    .optional()
                    .describe(
                        "Expose Grafana on this host through the internal Gateway (an HTTPRoute; needs eks-platform:ingress.gateways.internal); port-forward only when absent.",
                    ),
            })
            .describe("Grafana."),
        logs: z
            .enum(LOG_DESTINATIONS, { message: `must be one of ${LOG_DESTINATIONS.join(", ")}` })
            .describe("Where container logs go: Loki in the cluster (S3-backed), CloudWatch Logs, or nowhere."),
        loki: z
            .strictObject({
                chartVersion: chartVersion.describe("The loki chart version (grafana-community)."),
                replicas: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 10")
                    .max(10, "must be between 1 and 10")
                    .describe("Monolithic (single binary) replicas; 3 or more turn on replication factor 3."),
                retentionDays: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 3650")
                    .max(3650, "must be between 1 and 3650")
                    .describe("Days logs are kept: Loki's compactor deletes them, the S3 lifecycle expires what is left a day later."),
                requests: requests.describe("Loki's CPU and memory requests."),
            })
            .describe("Loki (logs: loki; any of these written under another destination is refused)."),
        fluentBit: z
            .strictObject({ chartVersion: chartVersion.describe("The fluent-bit chart version.") })
            .describe("Fluent Bit, the log shipper (refused with logs: none)."),
        cloudwatch: z
            .strictObject({ retentionDays: logRetentionDays.describe("Days the container log group keeps events (logs: cloudwatch).") })
            .describe("CloudWatch Logs (logs: cloudwatch; refused under another destination)."),
        containerInsights: z
            .strictObject({ enabled: z.boolean().describe("Install the add-on."), version: addonVersion.describe("Its version.") })
            .describe("The amazon-cloudwatch-observability EKS add-on (Container Insights, CloudWatch agent)."),
        adot: z
            .strictObject({
                enabled: z.boolean().describe("Install the add-on."),
                version: addonVersion.describe("Its version."),
                certManagerInstalled: z
                    .boolean()
                    .optional()
                    .describe("Removed (refused with how to migrate): the platform installs cert-manager (eks-platform:certificates)."),
            })
            .describe(
                "The ADOT EKS add-on with an OTLP collector sending traces to X-Ray (its operator's webhooks use the platform's cert-manager: eks-platform:certificates).",
            ),
    })
    .describe("Observability: metrics, dashboards, alerts, logs and the AWS-native add-ons.");

const at = (...path: (string | number)[]) => ["eks-platform:observability", ...path];
type View = { observability: z.infer<typeof observabilitySchema>; certificates: CertificatesConfig; written: Written };

/** The key ADOT's cert-manager acknowledgement had before the platform installed cert-manager (refused by its rule). */
export const REMOVED_ADOT_KEY = "certManagerInstalled";

export const observabilityRules: readonly Rule<View>[] = [
    defineRule({
        needs: ["observability.prometheus", "observability.grafana", "observability.alertmanager"],
        summary: "Grafana and Alertmanager need prometheus.enabled; grafana.ingressHost needs grafana.enabled",
        reports: [
            "eks-platform:observability.grafana.enabled",
            "eks-platform:observability.alertmanager.enabled",
            "eks-platform:observability.grafana.ingressHost",
        ],
        check: ({ observability: o }) => {
            const p = problems();
            if (o.grafana.enabled && !o.prometheus.enabled)
                p.add(at("grafana", "enabled"), "needs prometheus.enabled: Grafana is installed by the kube-prometheus-stack release");
            if (o.alertmanager.enabled && !o.prometheus.enabled)
                p.add(
                    at("alertmanager", "enabled"),
                    "needs prometheus.enabled: Alertmanager is installed by the kube-prometheus-stack release",
                );
            if (o.grafana.ingressHost !== undefined && !o.grafana.enabled)
                p.add(at("grafana", "ingressHost"), "needs grafana.enabled: there is no Grafana to expose");
            return p.list;
        },
    }),
    defineRule({
        needs: ["observability.adot", "certificates.certManager"],
        summary:
            "adot needs the platform's cert-manager (eks-platform:certificates.certManager.enabled); adot.certManagerInstalled was removed and is refused with how to migrate",
        reports: ["eks-platform:observability.adot.enabled", "eks-platform:observability.adot.certManagerInstalled"],
        check: ({ observability: o, certificates, written }) => {
            const p = problems();
            if (o.adot.certManagerInstalled !== undefined || wrote(written, "eks-platform:observability", "adot", REMOVED_ADOT_KEY))
                p.add(
                    at("adot", REMOVED_ADOT_KEY),
                    "was removed: the platform now installs cert-manager itself (eks-platform:certificates.certManager, on by default) and the ADOT add-on waits for it; delete this line, and if you installed cert-manager by hand, uninstall it before the next up (two cert-managers would fight over the same CRDs and webhooks)",
                );
            if (o.adot.enabled && !certificates.certManager.enabled)
                p.add(
                    at("adot", "enabled"),
                    "needs eks-platform:certificates.certManager.enabled: the ADOT operator's admission webhooks get their certificates from cert-manager",
                );
            return p.list;
        },
    }),
    defineRule({
        needs: ["observability.alerting", "observability.alertmanager"],
        summary:
            "receivers have unique names and defaultReceiver and every route name one of them; every secret a receiver names is set in the stack (pulumi config set --secret); alerting is refused while Alertmanager is off",
        reports: ["eks-platform:observability.alerting"],
        check: ({ observability: o, written }) => alertingProblems(o.alerting, o.alertmanager.enabled, written),
    }),
    defineRule({
        needs: ["observability.logs", "observability.alertmanager"],
        summary:
            "no setting that has no effect: loki.* unless logs is loki, cloudwatch.* unless logs is cloudwatch, fluentBit.* when logs is none, alertmanager.replicas while Alertmanager is off",
        reports: [
            "eks-platform:observability.loki",
            "eks-platform:observability.cloudwatch",
            "eks-platform:observability.fluentBit",
            "eks-platform:observability.alertmanager.replicas",
        ],
        check: ({ observability: o, written }) => {
            const p = problems();
            // What the stack file wrote: the defaults fill every destination's settings whichever is chosen.
            const fields = (part: string) => writtenFields(written, "eks-platform:observability", part);
            const kept = "remove it: kept for a later switch it would take effect unreviewed";
            const unless = (part: "loki" | "cloudwatch", destination: string) => {
                if (o.logs !== part)
                    for (const field of fields(part))
                        p.add(at(part, field), `has no effect while logs is ${o.logs}: ${destination} gets no logs; ${kept}`);
            };
            unless("loki", "Loki is not installed and");
            unless("cloudwatch", "the CloudWatch Logs group is not created and");
            if (o.logs === "none")
                for (const field of fields("fluentBit"))
                    p.add(at("fluentBit", field), `has no effect while logs is none: Fluent Bit is not installed; ${kept}`);
            if (!o.alertmanager.enabled && fields("alertmanager").includes("replicas"))
                p.add(at("alertmanager", "replicas"), `has no effect while alertmanager.enabled is false; ${kept}`);
            return p.list;
        },
    }),
];
export type ObservabilityConfig = z.infer<typeof observabilitySchema>;

/** Pinned chart versions: the defaults every stack starts from (see /work/shared/reference/chart-values). */
export const OBSERVABILITY_CHARTS = {
    prometheus: "88.5.3",
    /** prometheus-community/helm-charts tag prometheus-operator-crds-31.0.1 (4529d7bb): appVersion v0.93.1, as kube-prometheus-stack 88.5.3 (ea930bae). */
    prometheusOperatorCrds: "31.0.1",
    loki: "18.11.0",
    fluentBit: "0.58.1",
} as const;

type Defaults = DeepPartial<z.input<typeof observabilitySchema>>;

// dev runs the lighter set: one small Prometheus, no Alertmanager, a small Loki, short retention.
const dev: Defaults = {
    prometheus: {
        enabled: true,
        chartVersion: OBSERVABILITY_CHARTS.prometheus,
        crdsChartVersion: OBSERVABILITY_CHARTS.prometheusOperatorCrds,
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
    // The add-ons' versions follow the cluster's Kubernetes minor (the version table) unless the stack pins one.
    containerInsights: { enabled: false },
    adot: { enabled: false },
    alerting: ALERTING_DEFAULTS.none,
};

export const observabilityDefaults: Record<Environment, Defaults> = {
    dev,
    staging: {
        ...dev,
        prometheus: {
            enabled: true,
            chartVersion: OBSERVABILITY_CHARTS.prometheus,
            crdsChartVersion: OBSERVABILITY_CHARTS.prometheusOperatorCrds,
            retention: "7d",
            storageGiB: 50,
            replicas: 1,
            requests: { cpu: "500m", memory: "2Gi" },
        },
        alertmanager: { enabled: true, replicas: 1 },
        alerting: ALERTING_DEFAULTS.sns,
        loki: { chartVersion: OBSERVABILITY_CHARTS.loki, replicas: 1, retentionDays: 30, requests: { cpu: "500m", memory: "1Gi" } },
        cloudwatch: { retentionDays: 30 },
    },
    prod: {
        ...dev,
        prometheus: {
            enabled: true,
            chartVersion: OBSERVABILITY_CHARTS.prometheus,
            crdsChartVersion: OBSERVABILITY_CHARTS.prometheusOperatorCrds,
            retention: "15d",
            storageGiB: 200,
            replicas: 2,
            requests: { cpu: "1", memory: "4Gi" },
        },
        alertmanager: { enabled: true, replicas: 2 },
        alerting: ALERTING_DEFAULTS.sns,
        loki: { chartVersion: OBSERVABILITY_CHARTS.loki, replicas: 1, retentionDays: 90, requests: { cpu: "1", memory: "2Gi" } },
        cloudwatch: { retentionDays: 90 },
        containerInsights: { enabled: true },
    },
};

/** The alerting section's own checks (names, references, secrets set), and that Alertmanager exists to use it. */
export function alertingProblems(a: AlertingConfig, alertmanagerEnabled: boolean, written: Written) {
    const p = problems();
    const here = (...path: (string | number)[]) => at("alerting", ...path);
    if (!alertmanagerEnabled) {
        for (const field of writtenFields(written, "eks-platform:observability", "alerting"))
            p.add(here(field), "has no effect while alertmanager.enabled is false: there is no Alertmanager to route alerts; remove it");
        return p.list;
    }
    const names = new Set<string>();
    a.receivers.forEach((r, i) => {
        if (names.has(r.name)) p.add(here("receivers", i, "name"), `must be unique: another receiver is named ${r.name}`);
        names.add(r.name);
    });
    const known = () => (names.size > 0 ? [...names].join(", ") : "none is declared");
    if (a.defaultReceiver !== undefined && !names.has(a.defaultReceiver))
        p.add(here("defaultReceiver"), `must name one of alerting.receivers (${known()})`);
    a.routes.forEach((route, i) => {
        if (!names.has(route.receiver)) p.add(here("routes", i, "receiver"), `must name one of alerting.receivers (${known()})`);
    });
    a.receivers.forEach((r, i) => {
        const secret = r.slack
            ? (["slack", "webhookUrlSecret"] as const)
            : r.pagerduty
              ? (["pagerduty", "routingKeySecret"] as const)
              : undefined;
        const name = secret ? alertingSecretNames({ receivers: [r] })[0] : undefined;
        if (secret && name && written[`eks-platform:${name}`] === undefined)
            p.add(
                here("receivers", i, ...secret),
                `names the Pulumi secret eks-platform:${name}, which the stack does not set: run pulumi config set --secret ${name} <value> (the value stays encrypted in the stack file and reaches Alertmanager as a Kubernetes Secret)`,
            );
    });
    return p.list;
}
