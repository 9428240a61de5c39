// The whole prod program with every workload-readiness piece on (issue 17): a GPU pool, a Fargate profile with an
// IRSA service account, external-dns on two zones, ADOT, Slack and PagerDuty receivers whose keys are Pulumi secrets,
// and the smoke workload. The secrets' values never reach the plan; the placement check and the policy pack find
// nothing; what waits for what holds.
import { beforeAll, describe, expect, it } from "vitest";
import { checkPlacement, DependencyGraph, planStack, rawConfigFor, type PlannedResource, type PlanResult } from "../../plan";
import { loadPolicyConfig, runPolicyPack } from "../../policy/offline";

const SLACK = "https://hooks.slack.com/services/T0000/B0000/slack-value-that-must-not-leak";
const PAGERDUTY = "pagerduty-routing-key-that-must-not-leak";
const prodPools = (rawConfigFor({ stack: "prod" })["eks-platform:karpenter"] as { nodePools: unknown[] }).nodePools;
const gpuPool = {
    name: "ml",
    preset: "gpu",
    limits: { cpu: "96", memory: "384Gi", "nvidia.com/gpu": "8" },
    disruption: {
        consolidationPolicy: "WhenEmpty",
        consolidateAfter: "10m",
        budgets: [{ nodes: "1" }, { nodes: "0", schedule: "0 8 * * mon-fri", duration: "10h" }],
    },
};

let plan: PlanResult;
beforeAll(async () => {
    plan = await planStack({
        stack: "prod",
        overrides: {
            "eks-platform:karpenter": { nodePools: [...prodPools, gpuPool] },
            "eks-platform:fargate": {
                profiles: [
                    {
                        name: "jobs",
                        namespaces: ["jobs"],
                        serviceAccounts: [{ namespace: "jobs", name: "exporter", managedPolicies: ["AmazonS3ReadOnlyAccess"] }],
                    },
                ],
            },
            "eks-platform:dns": {
                externalDns: { enabled: true, policy: "sync", zones: [{ id: "Z0123456789ABCDEFGHIJ", domain: "example.com" }] },
            },
            "eks-platform:observability": {
                adot: { enabled: true },
                alerting: {
                    receivers: [
                        { name: "platform", sns: {} },
                        { name: "oncall", pagerduty: { routingKeySecret: "alertmanagerPagerdutyKey" } },
                        { name: "chat", slack: { channel: "#platform-alerts", webhookUrlSecret: "alertmanagerSlackWebhook" } },
                    ],
                    defaultReceiver: "chat",
                    routes: [{ receiver: "oncall", severity: "critical" }],
                },
            },
            // What `pulumi config set --secret` stores decrypts to these in the program's config.
            "eks-platform:alertmanagerSlackWebhook": SLACK,
            "eks-platform:alertmanagerPagerdutyKey": PAGERDUTY,
            "eks-platform:smoke": { enabled: true, host: "smoke.prod.example.com" },
        },
    });
}, 120_000);

const all = (type: string) => plan.resources.filter((r) => r.type === type);
const release = (chart: string) => all("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === chart) as PlannedResource;

describe("prod with every piece on", () => {
    it("never puts a receiver's key in the plan: only in the Secret, as [secret]", () => {
        const text = JSON.stringify(plan);
        expect(text).not.toContain(SLACK);
        expect(text).not.toContain(PAGERDUTY);
        expect(text).not.toContain("slack-value-that-must-not-leak");
        const secret = all("kubernetes:core/v1:Secret").find(
            (s) => (s.inputs.metadata as { name: string }).name === "alertmanager-receivers",
        );
        // The whole of stringData is a secret output: the plan records it as "[secret]", as a preview shows it.
        expect(secret?.inputs.stringData).toBe("[secret]");
        const values = release("kube-prometheus-stack").inputs.values as { alertmanager: { alertmanagerSpec: { secrets: string[] } } };
        expect(values.alertmanager.alertmanagerSpec.secrets).toEqual(["alertmanager-receivers"]);
        expect(release("kube-prometheus-stack").dependencies).toContain(secret?.urn);
    });

    it("runs the device plugin for the GPU pool, external-dns, cert-manager before ADOT, the Fargate profile and the smoke workload", () => {
        const graph = new DependencyGraph(plan.resources);
        const plugin = release("nvidia-device-plugin");
        const gpuPoolResource = all("kubernetes:karpenter.sh/v1:NodePool").find(
            (p) => (p.inputs.metadata as { name: string }).name === "ml",
        ) as PlannedResource;
        expect(graph.waitsFor(plugin, gpuPoolResource)).toBe(true);
        const adot = all("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "adot") as PlannedResource;
        expect(graph.waitsFor(adot, release("cert-manager"))).toBe(true);
        const gatewayCrds = all("kubernetes:yaml/v2:ConfigFile")[0] as PlannedResource;
        expect(graph.waitsFor(release("external-dns"), gatewayCrds)).toBe(true);
        expect(all("aws:eks/fargateProfile:FargateProfile").map((p) => p.inputs.fargateProfileName)).toEqual(["jobs"]);
        expect(all("kubernetes:apps/v1:Deployment").map((d) => (d.inputs.metadata as { namespace: string }).namespace)).toEqual(["smoke"]);
        expect(plan.outputs.fargateServiceAccountRoles).toEqual({ "jobs/exporter": expect.stringMatching(/^arn:aws:iam::\d{12}:role\//) });
    });

    it("has no placement finding (prod's findings are errors) and no mandatory policy violation", async () => {
        const report = checkPlacement(plan);
        expect(report.findings).toEqual([]);
        const names = report.workloads.map((w) => w.name);
        for (const w of ["nvidia-device-plugin/device-plugin", "external-dns/external-dns", "cert-manager/webhook", "smoke/smoke"])
            expect(names).toContain(w);
        const violations = await runPolicyPack(plan, { config: loadPolicyConfig("prod") });
        expect(violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    });

    it("lets the platform's namespaces through the baseline network policy: cert-manager's webhook, external-dns to Route 53, the smoke pods", () => {
        const policies = all("kubernetes:projectcalico.org/v3:NetworkPolicy").concat(all("kubernetes:networking.k8s.io/v1:NetworkPolicy"));
        const namespaces = new Set(policies.map((p) => (p.inputs.metadata as { namespace: string }).namespace));
        for (const ns of ["cert-manager", "external-dns", "smoke"]) expect(namespaces, ns).toContain(ns);
    });
});
