// staging switched to CloudWatch Logs, with tracing (ADOT) and a Grafana Ingress: no Loki and no buckets, a log
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
                adot: { enabled: true, certManagerInstalled: true },
                grafana: { ingressHost: "grafana.staging.example.com" },
            },
        },
    });
});

describe("observability with CloudWatch Logs, ADOT and a Grafana Ingress", () => {
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

    it("exposes Grafana through an internal ALB Ingress that waits for the load balancer controller", () => {
        const { recorder } = plan;
        const kps = release(recorder, "kube-prometheus-stack");
        const ingress = at(kps.inputs.values, "grafana", "ingress") as Record<string, unknown>;
        expect(ingress).toMatchObject({
            enabled: true,
            ingressClassName: "alb",
            hosts: ["grafana.staging.example.com"],
            tls: [{ hosts: ["grafana.staging.example.com"] }],
        });
        expect(at(ingress, "annotations", "alb.ingress.kubernetes.io/scheme")).toBe("internal");
        expect(at(kps.inputs.values, "grafana", "grafana.ini", "server", "root_url")).toBe("https://grafana.staging.example.com");
        expect(recorder.dependsOn(kps, plan.standIns.ingressController)).toBe(true);
    });
});
