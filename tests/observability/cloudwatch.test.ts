// staging switched to CloudWatch Logs, with tracing (ADOT) and Grafana on the internal Gateway: no Loki and no buckets, a log
// group with the configured retention, Fluent Bit's role scoped to it, and the ADOT add-on with its X-Ray role.
import { beforeAll, describe, expect, it } from "vitest";
import { at, inlinePolicy, planObservability, release, releaseNames, type ObservabilityPlan } from "./fixture";

let plan: ObservabilityPlan;
beforeAll(async () => {
    plan = await planObservability({
        stack: "staging",
        overrides: {
            "eks-platform:observability": {
                logs: "cloudwatch",
                cloudwatch: { retentionDays: 14 },
                adot: { enabled: true },
                grafana: { ingressHost: "grafana.staging.example.com" },
            },
        },
    });
});

describe("observability with CloudWatch Logs, ADOT and Grafana on the internal Gateway", () => {
    it("has no Loki, no buckets and no Loki datasource", () => {
        const { recorder } = plan;
        expect(releaseNames(recorder)).toEqual(["fluent-bit", "kube-prometheus-stack", "prometheus-operator-crds"]);
        expect(recorder.byType("aws:s3/bucket:Bucket")).toEqual([]);
        expect(at(release(recorder, "kube-prometheus-stack").inputs.values, "grafana", "additionalDataSources")).toEqual([]);
    });

    it("ships logs to a log group with the configured retention through a role scoped to it", () => {
        const { recorder } = plan;
        const group = recorder.one("aws:cloudwatch/logGroup:LogGroup");
        expect(group.inputs).toMatchObject({ name: "/aws/eks/eks-platform-staging/containers", retentionInDays: 14 });
        const outputs = at(release(recorder, "fluent-bit").inputs.values, "config", "outputs") as string;
        expect(outputs).toContain("Name cloudwatch_logs");
        expect(outputs).toContain("log_group_name /aws/eks/eks-platform-staging/containers");
        expect(outputs).toContain("auto_create_group Off");
        const doc = inlinePolicy(recorder, "observability-fluent-bit-logs");
        const resources = doc.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
        for (const r of resources)
            expect(r).toMatch(/^arn:aws:logs:eu-west-1:123456789012:log-group:\/aws\/eks\/eks-platform-staging\/containers(:|$)/);
        const association = recorder.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "observability-fluent-bit-pod-identity");
        expect(association.inputs).toMatchObject({ namespace: "monitoring", serviceAccount: "fluent-bit" });
        expect(recorder.dependsOn(release(recorder, "fluent-bit"), association)).toBe(true);
        expect(recorder.dependsOn(release(recorder, "fluent-bit"), plan.standIns.systemNodeGroup)).toBe(true);
    });

    it("adds the ADOT add-on with an OTLP-to-X-Ray collector and its Pod Identity role", () => {
        const { recorder } = plan;
        const addon = recorder.one("aws:eks/addon:Addon", "observability-adot");
        expect(addon.inputs).toMatchObject({ addonName: "adot", addonVersion: "v0.131.0-eksbuild.1" });
        expect(JSON.parse(addon.inputs.configurationValues as string)).toEqual({
            collector: { otlpIngest: { pipelines: { traces: { xray: { enabled: true } } } } },
        });
        const association = recorder.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "observability-adot-pod-identity");
        expect(association.inputs).toMatchObject({ namespace: "opentelemetry-operator-system", serviceAccount: "adot-col-otlp-ingest" });
        const attachment = recorder.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "observability-adot-AWSXrayWriteOnlyAccess");
        expect(attachment.inputs.policyArn).toBe("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess");
    });

    it("exposes Grafana through an HTTPRoute on the internal Gateway, no chart Ingress", () => {
        const { recorder } = plan;
        const kps = release(recorder, "kube-prometheus-stack");
        expect(at(kps.inputs.values, "grafana", "ingress")).toEqual({ enabled: false });
        expect(at(kps.inputs.values, "grafana", "grafana.ini", "server", "root_url")).toBe("https://grafana.staging.example.com");
        expect(at(kps.inputs.values, "grafana", "service")).toBeUndefined();
        const route = recorder.one("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute");
        expect(route.inputs).toMatchObject({
            metadata: { name: "grafana", namespace: "monitoring" },
            spec: {
                parentRefs: [{ kind: "Gateway", namespace: "gateway-system", name: "internal", sectionName: "https" }],
                hostnames: ["grafana.staging.example.com"],
                rules: [{ backendRefs: [{ name: "kube-prometheus-stack-grafana", port: 80 }] }],
            },
        });
        // Created after the Gateway and the release (the Service), deleted before them.
        expect(recorder.dependsOn(route, plan.standIns.internalGateway)).toBe(true);
        expect(recorder.dependsOn(route, kps)).toBe(true);
        const targets = recorder.one("kubernetes:gateway.k8s.aws/v1:TargetGroupConfiguration");
        expect(targets.inputs.spec).toEqual({
            targetReference: { name: "kube-prometheus-stack-grafana" },
            defaultConfiguration: { targetType: "ip", healthCheckConfig: { healthCheckPath: "/api/health" } },
        });
        expect(recorder.dependsOn(route, targets)).toBe(true);
    });

    it("labels the monitoring namespace for the Gateway and admits its load balancer on Grafana's port only", () => {
        const { recorder } = plan;
        const ns = recorder.one("kubernetes:core/v1:Namespace", "observability-namespace");
        expect(at(ns.inputs, "metadata", "labels")).toMatchObject({ "eks-platform/gateway-internal": "true" });
        const traffic = plan.component.namespaceTraffic[0];
        expect(traffic?.ingress).toContainEqual({
            name: "grafana-gateway",
            cidrs: plan.grafanaGateway.targetSourceCidrs,
            ports: [{ port: 3000 }],
        });
        expect(plan.component.grafanaAccess).toBeDefined();
    });
});
