// Issue 11, items 7 and 8. The LB controller's Service mutator webhook (failurePolicy Fail, every Service CREATE)
// must not refuse the Services the other platform releases create while the controller is not Ready yet: in every
// shipped plan, a release either waits for the controller or lives in a namespace the webhook skips. And the
// controller's metrics are scraped where they are: its pods (the chart makes no metrics Service by default).
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
    LBC_CHART,
    LBC_METRICS_PORT,
    loadBalancerControllerMetrics,
    loadBalancerControllerValues,
    serviceWebhookNamespaceSelectors,
} from "../../components/ingress/values";
import { LOAD_BALANCER_CONTROLLER_PANELS, monitorFor } from "../../components/observability/dashboards";
import { platformConfigFor, Recorder, type PlannedResource } from "../../plan";
import { referencePath } from "../helpers/reference";
import { sharedPlan } from "../helpers/shared-plan";

const base = {
    clusterName: "c",
    region: "eu-west-1",
    vpcId: "vpc-1",
    config: platformConfigFor("prod").ingress,
    podsRoutableFromVpc: true,
};

interface WebhookValues {
    enableServiceMutatorWebhook?: boolean;
    serviceMutatorWebhookConfig?: { failurePolicy?: string; namespaceSelectors?: { key: string; operator: string; values: string[] }[] };
    hostNetwork?: boolean;
    serviceMonitor?: { enabled?: boolean };
}

/** The namespaces the rendered mservice webhook skips (the chart renders namespaceSelectors as matchExpressions). */
function skipped(values: WebhookValues): Set<string> {
    const out = new Set<string>();
    for (const e of values.serviceMutatorWebhookConfig?.namespaceSelectors ?? [])
        if (e.key === "kubernetes.io/metadata.name" && e.operator === "NotIn") for (const ns of e.values) out.add(ns);
    return out;
}

describe("the Service mutator webhook", () => {
    it("keeps failurePolicy Fail and skips the given namespaces (sorted, once each)", () => {
        const v = loadBalancerControllerValues({
            ...base,
            platformServiceNamespaces: ["monitoring", "kube-system", "monitoring"],
        }) as WebhookValues;
        expect(v.enableServiceMutatorWebhook).toBe(true);
        expect(v.serviceMutatorWebhookConfig).toEqual({
            failurePolicy: "Fail",
            namespaceSelectors: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", "monitoring"] }],
        });
        // No namespace to skip: no selector at all (the chart renders one only when the list is non-empty).
        expect(serviceWebhookNamespaceSelectors([])).toEqual([]);
    });

    const valuesFile = referencePath("chart-values/aws-load-balancer-controller-3.5.0.yaml");
    it.skipIf(!valuesFile)("sets the chart's own keys (3.5.0: serviceMutatorWebhookConfig.failurePolicy and .namespaceSelectors)", () => {
        const defaults = parseYaml(fs.readFileSync(valuesFile as string, "utf8")) as WebhookValues;
        expect(defaults.serviceMutatorWebhookConfig?.failurePolicy).toBe("Fail");
        expect(defaults.serviceMutatorWebhookConfig && "namespaceSelectors" in defaults.serviceMutatorWebhookConfig).toBe(true);
    });

    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: every other release waits for the controller or installs where the webhook does not apply`, () => {
            const plan = sharedPlan(stack);
            const recorder = Recorder.of(plan);
            const releases = plan.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
            const lbc = releases.find((r) => r.inputs.chart === LBC_CHART) as PlannedResource;
            const skip = skipped(lbc.inputs.values as WebhookValues);
            const blocked = releases
                .filter((r) => r !== lbc && !skip.has(String(r.inputs.namespace)) && !recorder.dependsOn(r, lbc))
                .map((r) => `${r.name} (${String(r.inputs.namespace)})`);
            expect(blocked).toEqual([]);
            // Calico's operator creates calico-system's Services itself, right after its release.
            if (plan.resources.some((r) => r.type === "kubernetes:operator.tigera.io/v1:Installation"))
                expect(skip.has("calico-system")).toBe(true);
            // The path did not get longer: the platform releases beside the controller do not wait for it.
            for (const name of ["karpenter", "observability-kube-prometheus-stack", "cni-calico"]) {
                const r = releases.find((x) => x.name === name);
                if (r) expect(recorder.dependsOn(r, lbc), name).toBe(false);
            }
        });
    }
});

describe("the controller's metrics (its dashboard)", () => {
    it("are scraped from its pods on the chart's metrics-server port, selected by the chart's selector labels", () => {
        const monitor = monitorFor(loadBalancerControllerMetrics(loadBalancerControllerValues(base)));
        expect(monitor).toEqual({
            kind: "PodMonitor",
            spec: {
                jobLabel: "app.kubernetes.io/name",
                namespaceSelector: { matchNames: ["kube-system"] },
                selector: { matchLabels: { "app.kubernetes.io/name": LBC_CHART, "app.kubernetes.io/instance": LBC_CHART } },
                podMetricsEndpoints: [{ port: "metrics-server", path: "/metrics", interval: "30s" }],
            },
        });
    });

    const valuesFile = referencePath("chart-values/aws-load-balancer-controller-3.5.0.yaml");
    it.skipIf(!valuesFile)("the chart would make no metrics Service: serviceMonitor is off by default and we keep it off", () => {
        const defaults = parseYaml(fs.readFileSync(valuesFile as string, "utf8")) as WebhookValues & { metricsBindAddr?: string };
        expect(defaults.serviceMonitor?.enabled).toBe(false);
        expect((loadBalancerControllerValues(base) as WebhookValues).serviceMonitor).toBeUndefined();
        // metricsBindAddr "" is the chart's :8080 (templates/deployment.yaml), the port the host-network case opens.
        expect(defaults.metricsBindAddr).toBe("");
        expect(LBC_METRICS_PORT).toBe(8080);
    });

    it("the dashboard's job label is the value the PodMonitor's jobLabel gives", () => {
        const endpoint = loadBalancerControllerMetrics({});
        const job = endpoint.selector[endpoint.jobLabel as string];
        for (const panel of LOAD_BALANCER_CONTROLLER_PANELS) expect(panel.expr).toContain(`job="${job}"`);
    });

    it("on the host network (calico-cni) the monitoring namespace may reach the port on the nodes", () => {
        expect(loadBalancerControllerMetrics(loadBalancerControllerValues({ ...base, podsRoutableFromVpc: false })).hostPort).toBe(8080);
        expect(loadBalancerControllerMetrics(loadBalancerControllerValues(base)).hostPort).toBeUndefined();
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: the plan scrapes the controller with a PodMonitor, Karpenter with a ServiceMonitor`, () => {
            const monitors = sharedPlan(stack).resources.filter((r) => r.type.startsWith("kubernetes:monitoring.coreos.com/v1:"));
            expect(monitors.map((m) => `${String(m.inputs.kind)}/${(m.inputs.metadata as { name: string }).name}`).sort()).toEqual([
                "PodMonitor/aws-load-balancer-controller",
                "ServiceMonitor/karpenter",
            ]);
        });
    }
});
