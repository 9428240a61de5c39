// prod under the mock runtime: two Prometheus replicas on 200 GiB, Alertmanager, protected Loki buckets with 90-day
// retention, and Container Insights through Pod Identity (its own log shipping off: Fluent Bit already ships logs).
import { beforeAll, describe, expect, it } from "vitest";
import { observabilityAddonVersions } from "../../stacks/versions";
import { at, planObservability, release, releaseNames, type ObservabilityPlan } from "./fixture";

let plan: ObservabilityPlan;
beforeAll(async () => {
    plan = await planObservability("prod");
});

describe("observability on prod", () => {
    it("installs the pinned releases", () => {
        expect(releaseNames(plan.recorder)).toEqual(["fluent-bit", "kube-prometheus-stack", "loki", "prometheus-operator-crds"]);
        expect(release(plan.recorder, "kube-prometheus-stack").inputs.version).toBe("88.5.3");
        expect(release(plan.recorder, "loki").inputs.version).toBe("18.11.0");
        expect(release(plan.recorder, "fluent-bit").inputs.version).toBe("0.58.1");
    });

    it("sizes Prometheus and Alertmanager for prod", () => {
        const values = release(plan.recorder, "kube-prometheus-stack").inputs.values;
        const spec = at(values, "prometheus", "prometheusSpec") as Record<string, unknown>;
        expect(spec.retention).toBe("15d");
        expect(spec.replicas).toBe(2);
        expect(at(spec, "storageSpec", "volumeClaimTemplate", "spec", "resources", "requests", "storage")).toBe("200Gi");
        expect(at(spec, "storageSpec", "volumeClaimTemplate", "spec", "storageClassName")).toBe("gp3");
        expect(at(values, "alertmanager", "enabled")).toBe(true);
        expect(at(values, "alertmanager", "alertmanagerSpec", "replicas")).toBe(2);
        expect(at(values, "alertmanager", "alertmanagerSpec", "storage", "volumeClaimTemplate", "spec", "storageClassName")).toBe("gp3");
        expect(JSON.stringify(plan.recorder.resources)).not.toContain("mock-password-not-a-secret");
    });

    it("protects the Loki buckets and expires chunks a day after 90 days", () => {
        const buckets = plan.recorder.byType("aws:s3/bucket:Bucket");
        expect(buckets).toHaveLength(2);
        for (const b of buckets) {
            expect(b.protect).toBe(true);
            expect(b.inputs.forceDestroy).toBe(false);
        }
        const lifecycle = plan.recorder.one(
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "observability-loki-chunks-lifecycle",
        );
        expect(at(lifecycle.inputs, "rules")).toEqual([expect.objectContaining({ expiration: { days: 91 } })]);
        expect(at(release(plan.recorder, "loki").inputs.values, "loki", "limits_config", "retention_period")).toBe("2160h");
    });

    it("adds Container Insights with its Pod Identity role and without a second log shipper", () => {
        const { recorder } = plan;
        const addon = recorder.one("aws:eks/addon:Addon", "observability-amazon-cloudwatch-observability");
        expect(addon.inputs).toMatchObject({
            addonName: "amazon-cloudwatch-observability",
            addonVersion: observabilityAddonVersions("1.35").containerInsights,
            clusterName: "eks-platform-prod",
        });
        expect(JSON.parse(addon.inputs.configurationValues as string)).toEqual({ containerLogs: { enabled: false } });
        const association = recorder.one(
            "aws:eks/podIdentityAssociation:PodIdentityAssociation",
            "observability-container-insights-pod-identity",
        );
        expect(association.inputs).toMatchObject({ namespace: "amazon-cloudwatch", serviceAccount: "cloudwatch-agent" });
        expect(recorder.dependsOn(addon, association)).toBe(true);
        expect(recorder.dependsOn(addon, plan.standIns.systemNodeGroup)).toBe(true);
        const policies = recorder
            .byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .filter((p) => p.name.startsWith("observability-container-insights"))
            .map((p) => p.inputs.policyArn)
            .sort();
        expect(policies).toEqual(["arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess", "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]);
        expect(recorder.byType("aws:eks/addon:Addon").some((a) => a.inputs.addonName === "adot")).toBe(false);
    });

    it("makes every release wait for the node group, and the stateful ones for gp3", () => {
        const { recorder, standIns } = plan;
        for (const name of ["kube-prometheus-stack", "loki", "fluent-bit"])
            expect(recorder.dependsOn(release(recorder, name), standIns.systemNodeGroup)).toBe(true);
        for (const name of ["kube-prometheus-stack", "loki"])
            expect(recorder.dependsOn(release(recorder, name), standIns.storageClass)).toBe(true);
    });
});
