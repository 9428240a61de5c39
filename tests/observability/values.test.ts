// The pure parts of the observability component: Helm values, IAM documents, bucket names and rules, dashboards.
// The last block checks every values key path against the pinned charts' default values (when the reference
// folder exists next to the repository).
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { unknownValuePaths } from "../helpers/chart-values";
import { referencePath } from "../helpers/reference";
import { parse as parseYaml } from "yaml";
import { monitoringNamespaceTraffic } from "../../components/observability";
import { adotConfiguration, containerInsightsConfiguration } from "../../components/observability/aws-native";
import { dashboard, KARPENTER_PANELS, platformDashboards, platformMonitors } from "../../components/observability/dashboards";
import { fluentBitOutputs, fluentBitValues, lokiValues } from "../../components/observability/log-values";
import { karpenterMetrics } from "../../components/karpenter/values";
import { loadBalancerControllerMetrics } from "../../components/ingress/values";
import {
    fluentBitCloudWatchPolicy,
    lokiBucketName,
    lokiLifecycleRules,
    lokiS3Policy,
    tlsOnlyBucketPolicy,
} from "../../components/observability/policies";
import { kubePrometheusStackValues, logParts, lokiUrl, type KubePrometheusStackInput } from "../../components/observability/values";

const kpsInput = (over: Partial<KubePrometheusStackInput> = {}): KubePrometheusStackInput => ({
    storageClassName: "gp3",
    prometheus: { retention: "15d", storageGiB: 200, replicas: 2, requests: { cpu: "1", memory: "4Gi" } },
    alertmanager: { enabled: true, replicas: 2 },
    grafana: {
        enabled: true,
        adminSecretName: "grafana-admin",
        gatewayRoute: { host: "grafana.example.com", instanceTargets: false },
        lokiUrl: lokiUrl(),
    },
    ...over,
});
const lokiInput = {
    region: "eu-west-1",
    buckets: { chunks: "c", ruler: "r" },
    replicas: 3,
    retentionDays: 30,
    requests: { cpu: "1", memory: "2Gi" },
    storageClassName: "gp3",
    selfMonitoring: true,
    grafanaDashboards: true,
};

describe("kube-prometheus-stack values", () => {
    it("sets retention, storage, replicas and requests from the input", () => {
        const v = kubePrometheusStackValues(kpsInput());
        expect(v.prometheus.prometheusSpec).toMatchObject({
            retention: "15d",
            replicas: 2,
            resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { memory: "4Gi" } },
        });
        expect(v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe("200Gi");
        expect(v.alertmanager.alertmanagerSpec?.storage.volumeClaimTemplate.spec.storageClassName).toBe("gp3");
    });

    it("leaves Grafana and Alertmanager out when disabled, with nothing else of theirs set", () => {
        const v = kubePrometheusStackValues(
            kpsInput({ alertmanager: { enabled: false, replicas: 1 }, grafana: { enabled: false, adminSecretName: "x" } }),
        );
        expect(v.grafana).toEqual({ enabled: false });
        expect(v.alertmanager).toEqual({ enabled: false });
        expect(v.defaultRules.rules.alertmanager).toBe(false);
    });

    it("never carries a password, only the Secret's name", () => {
        const v = kubePrometheusStackValues(kpsInput());
        expect(v.grafana.admin?.existingSecret).toBe("grafana-admin");
        expect(JSON.stringify(v)).not.toMatch(/adminPassword|"password"/i);
    });

    it("serves Grafana's root URL on its Gateway host, never through the chart's Ingress; NodePort for instance targets", () => {
        const v = kubePrometheusStackValues(kpsInput());
        expect(v.grafana.ingress).toEqual({ enabled: false });
        expect(v.grafana["grafana.ini"]).toEqual({ server: { root_url: "https://grafana.example.com" } });
        expect(v.grafana.service).toBeUndefined();
        const overlay = kubePrometheusStackValues(
            kpsInput({
                grafana: { enabled: true, adminSecretName: "g", gatewayRoute: { host: "grafana.example.com", instanceTargets: true } },
            }),
        );
        expect(overlay.grafana.service).toEqual({ type: "NodePort" });
    });

    it("has no Ingress and no root_url without a host", () => {
        const v = kubePrometheusStackValues(kpsInput({ grafana: { enabled: true, adminSecretName: "g" } }));
        expect(v.grafana.ingress).toEqual({ enabled: false });
        expect(v.grafana["grafana.ini"]).toBeUndefined();
        expect(v.grafana.additionalDataSources).toEqual([]);
    });
});

describe("Loki and Fluent Bit values", () => {
    it("runs monolithic with replication 3 from three replicas and zeroes the scalable targets", () => {
        const v = lokiValues(lokiInput);
        expect(v.loki.commonConfig.replication_factor).toBe(3);
        expect([v.read.replicas, v.write.replicas, v.backend.replicas]).toEqual([0, 0, 0]);
        expect(v.loki.limits_config.retention_period).toBe("720h");
        expect(lokiValues({ ...lokiInput, replicas: 2 }).loki.commonConfig.replication_factor).toBe(1);
        expect(lokiValues({ ...lokiInput, selfMonitoring: false }).monitoring.serviceMonitor.enabled).toBe(false);
    });

    it("writes a Loki or CloudWatch output and refuses a Loki URL without a port", () => {
        expect(fluentBitOutputs({ kind: "loki", url: "http://loki.monitoring.svc.cluster.local:3100" })).toMatch(
            /Host loki\.monitoring\.svc\.cluster\.local\n\s+Port 3100/,
        );
        expect(fluentBitOutputs({ kind: "cloudwatch", region: "eu-west-1", logGroupName: "/aws/eks/c/containers" })).toContain(
            "region eu-west-1",
        );
        expect(() => fluentBitOutputs({ kind: "loki", url: "http://loki" })).toThrow(/host and a port/);
        expect(fluentBitValues({ kind: "loki", url: lokiUrl() }, false).serviceMonitor.enabled).toBe(false);
    });

    it("maps log destinations to parts", () => {
        expect(logParts("loki")).toEqual({ loki: true, fluentBit: true, logGroup: false });
        expect(logParts("cloudwatch")).toEqual({ loki: false, fluentBit: true, logGroup: true });
        expect(logParts("none")).toEqual({ loki: false, fluentBit: false, logGroup: false });
    });
});

describe("IAM documents and buckets", () => {
    it("names buckets uniquely and within 63 characters", () => {
        expect(lokiBucketName("eks-platform-prod", "123456789012", "eu-west-1", "chunks")).toBe(
            "eks-platform-prod-123456789012-eu-west-1-loki-chunks",
        );
        const long = lokiBucketName("a-very-long-cluster-name-that-goes-on-and-on-and-on", "123456789012", "ap-southeast-2", "ruler");
        expect(long.length).toBeLessThanOrEqual(63);
        expect(long).toMatch(/^[a-z0-9][a-z0-9-]*-123456789012-ap-southeast-2-loki-ruler$/);
        expect(() => lokiBucketName("c", "12345", "eu-west-1", "chunks")).toThrow(/12 digits/);
    });

    it("scopes Loki to its buckets and Fluent Bit to its log group", () => {
        const doc = lokiS3Policy(["arn:aws:s3:::a", "arn:aws:s3:::b"]);
        expect(doc.Statement.flatMap((s) => s.Resource)).toEqual([
            "arn:aws:s3:::a",
            "arn:aws:s3:::b",
            "arn:aws:s3:::a/*",
            "arn:aws:s3:::b/*",
        ]);
        expect(() => lokiS3Policy([])).toThrow();
        const logs = fluentBitCloudWatchPolicy("arn:aws:logs:eu-west-1:1:log-group:/g:*");
        expect(logs.Statement.flatMap((s) => s.Resource)).toEqual([
            "arn:aws:logs:eu-west-1:1:log-group:/g",
            "arn:aws:logs:eu-west-1:1:log-group:/g:*",
            "arn:aws:logs:eu-west-1:1:log-group:/g:log-stream:*",
        ]);
        expect(tlsOnlyBucketPolicy("arn:aws:s3:::a").Statement[0]?.Effect).toBe("Deny");
    });

    it("expires chunks after retention plus a day and never expires rules", () => {
        expect(lokiLifecycleRules("chunks", 7)[0]?.expiration).toEqual({ days: 8 });
        expect(lokiLifecycleRules("ruler", 7)[0]?.expiration).toBeUndefined();
    });

    it("configures the add-ons", () => {
        expect(containerInsightsConfiguration(true)).toEqual({ containerLogs: { enabled: false } });
        expect(containerInsightsConfiguration(false)).toEqual({ containerLogs: { enabled: true } });
        expect(adotConfiguration().collector.otlpIngest.pipelines.traces.xray.enabled).toBe(true);
    });
});

describe("dashboards and scraping", () => {
    it("lays panels out two a row with unique ids", () => {
        const d = dashboard("k", "K", KARPENTER_PANELS);
        expect(d.panels.map((p) => p.id)).toEqual(KARPENTER_PANELS.map((_, i) => i + 1));
        expect(d.panels[1]?.gridPos).toEqual({ h: 8, w: 12, x: 12, y: 0 });
        expect(d.panels[2]?.gridPos).toEqual({ h: 8, w: 12, x: 0, y: 8 });
        expect(() => dashboard("Bad UID", "x", [])).toThrow(/uid/);
    });

    it("scrapes and charts only the controllers present", () => {
        expect(Object.keys(platformMonitors({}))).toEqual([]);
        expect(platformMonitors({ karpenter: karpenterMetrics("karpenter") }).karpenter?.spec.namespaceSelector.matchNames).toEqual([
            "karpenter",
        ]);
        expect(Object.keys(platformDashboards({ loadBalancerController: loadBalancerControllerMetrics({}) }))).toEqual([
            "aws-load-balancer-controller.json",
        ]);
    });
});

// ---------------------------------------------------------------------------------------------------------------
// Conformance: every key path set exists in the chart's default values.

const REFERENCE = referencePath("chart-values") ?? "/absent/chart-values";
const reference = (file: string): unknown => parseYaml(fs.readFileSync(path.join(REFERENCE, file), "utf8"));

/**
 * Keys of kube-prometheus-stack's subcharts, absent from its own values.yaml; checked by hand against the grafana
 * chart (grafana-community, values.yaml: tolerations, resources, testFramework, grafana.ini, ingress.ingressClassName,
 * ingress.tls) and the kube-state-metrics and prometheus-node-exporter charts (tolerations, resources).
 */
const SUBCHART_KEYS = new Set([
    "grafana/nodeSelector",
    "grafana/tolerations",
    "grafana/resources",
    "grafana/testFramework",
    "grafana/grafana.ini",
    "kube-state-metrics/nodeSelector",
    "kube-state-metrics/tolerations",
    "kube-state-metrics/resources",
    "prometheus-node-exporter/tolerations",
    "prometheus-node-exporter/resources",
]);

/**
 * Maps the charts mark free-form (`@schema skipProperties:true;additionalProperties:true`) whose defaults list only
 * some keys: Loki's storage (bucketNames is documented in the comment beside it) and limits_config (passed to
 * Loki's own configuration as is).
 */
const FREE_FORM = new Set(["loki/storage", "loki/limits_config"]);

const unknownPaths = (values: unknown, defaults: unknown) =>
    unknownValuePaths(values, defaults, { known: SUBCHART_KEYS, freeForm: FREE_FORM });

describe.skipIf(!fs.existsSync(REFERENCE))("values conform to the pinned charts", () => {
    it("kube-prometheus-stack 88.5.3", () => {
        const defaults = reference("kube-prometheus-stack-88.5.3.yaml");
        expect(unknownPaths(kubePrometheusStackValues(kpsInput()), defaults)).toEqual([]);
        // The check itself catches a misspelled key.
        expect(unknownPaths({ prometheus: { prometheusSpec: { retension: "1d" } } }, defaults)).toEqual([
            "prometheus/prometheusSpec/retension",
        ]);
    });
    it("loki 18.11.0", () => {
        expect(unknownPaths(lokiValues(lokiInput), reference("loki-18.11.0.yaml"))).toEqual([]);
    });
    it("fluent-bit 0.58.1", () => {
        const defaults = reference("fluent-bit-0.58.1.yaml");
        expect(unknownPaths(fluentBitValues({ kind: "loki", url: lokiUrl() }, true), defaults)).toEqual([]);
        expect(unknownPaths(fluentBitValues({ kind: "cloudwatch", region: "eu-west-1", logGroupName: "/g" }, false), defaults)).toEqual([]);
    });
});
if (!fs.existsSync(REFERENCE)) console.warn(`observability conformance skipped: no chart reference values at ${REFERENCE}`);

describe("monitoring namespace traffic (baseline network policy)", () => {
    it("lets Prometheus scrape every namespace and the nodes, and the control plane call the operator's webhook", () => {
        const t = monitoringNamespaceTraffic({ vpcCidr: "10.10.0.0/16", podIdentity: true });
        expect(t.namespace).toBe("monitoring");
        expect(t.withinNamespace).toBe(true);
        expect(t.kubeApi).toBe(true);
        expect(t.egress).toContainEqual({ name: "scrape-pods", namespaces: ["*"] });
        expect(t.egress).toContainEqual({ name: "scrape-nodes", cidrs: ["10.10.0.0/16"], ports: [{ port: 9100 }, { port: 10250 }] });
        expect(t.ingress).toEqual([{ name: "operator-webhook", cidrs: ["10.10.0.0/16"], ports: [{ port: 10250 }] }]);
    });

    it("opens Grafana's port only to the addresses its Gateway's load balancer connects from, only with a route", () => {
        const t = monitoringNamespaceTraffic({
            vpcCidr: "10.30.0.0/16",
            grafanaGatewaySources: ["10.30.32.0/19", "10.30.64.0/19"],
            podIdentity: false,
        });
        expect(t.ingress).toContainEqual({ name: "grafana-gateway", cidrs: ["10.30.32.0/19", "10.30.64.0/19"], ports: [{ port: 3000 }] });
        expect(t.ingress.filter((r) => r.ports?.some((p) => p.port === 3000))).toHaveLength(1);
        expect(monitoringNamespaceTraffic({ vpcCidr: "10.30.0.0/16", grafanaGatewaySources: [], podIdentity: false }).ingress).toHaveLength(
            1,
        );
    });
});

describe("where the monitoring pods run (issue 11, item 10)", () => {
    const values = kubePrometheusStackValues(kpsInput());
    const platform = { nodeSelector: { "eks-platform/node-group": "platform", "karpenter.sh/capacity-type": "on-demand" } };

    it("Prometheus, Alertmanager, Grafana, the operator and kube-state-metrics select the platform pool's on-demand nodes", () => {
        for (const part of [
            values.prometheus.prometheusSpec,
            values.alertmanager.alertmanagerSpec,
            values.grafana,
            values.prometheusOperator,
            values["kube-state-metrics"],
        ]) {
            expect(part).toMatchObject(platform);
            expect(part?.tolerations).toEqual([{ key: "eks-platform/node-group", operator: "Exists", effect: "NoSchedule" }]);
        }
    });

    it("the stateful ones spread their replicas over zones, hard", () => {
        for (const spread of [
            values.prometheus.prometheusSpec.topologySpreadConstraints,
            values.alertmanager.alertmanagerSpec?.topologySpreadConstraints,
        ])
            expect(spread).toEqual([
                expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", maxSkew: 1 }),
            ]);
        expect(lokiValues(lokiInput).singleBinary).toMatchObject({
            ...platform,
            topologySpreadConstraints: [expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone" })],
        });
    });

    it("only the admission hook Jobs use the system nodes (they run before any other node may exist)", () => {
        expect(values.prometheusOperator.admissionWebhooks.patch).toEqual({
            nodeSelector: { "eks-platform/node-group": "system" },
            tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
        });
    });
});

describe("Fluent Bit installs without Loki (issue 11, item 12)", () => {
    it("is ready when the agent runs, not when its output answers (the chart's /api/v2/health follows output errors)", () => {
        expect(fluentBitValues({ kind: "loki", url: lokiUrl() }, true).readinessProbe).toEqual({ httpGet: { path: "/", port: "http" } });
    });
});

describe("monitoring namespace egress to the Pod Identity agent and host-network targets (issue 11, items 6 and 8)", () => {
    it("declares Pod Identity workloads when it has them, and opens host-network metrics ports on the nodes", () => {
        const t = monitoringNamespaceTraffic({
            vpcCidr: "10.10.0.0/16",
            podIdentity: true,
            hostScrapePorts: [8080],
        });
        expect(t.podIdentity).toBe(true);
        expect(t.egress).toContainEqual({
            name: "scrape-nodes",
            cidrs: ["10.10.0.0/16"],
            ports: [{ port: 9100 }, { port: 10250 }, { port: 8080 }],
        });
    });
});
