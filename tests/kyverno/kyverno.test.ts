// Kyverno: the chart's values against chart 3.9.0's values.yaml, every policy and exception each stack declares
// against Kyverno v1.19.0's CRDs, and what the policies say: Pod Security per environment, the team pool's toleration
// injection, and another team's pods refused by the pool's taint and selector.
import { describe, expect, it } from "vitest";
import {
    isolationExpressions,
    kyvernoValues,
    podSecurityPolicy,
    teamImagesPolicy,
    teamNodePoolsPolicy,
    teamPoolIsolationPolicy,
    teamResourcesPolicy,
} from "../../components/kyverno";
import { SYSTEM_PLACEMENT } from "../../components/lib/placement";
import { platformConfigFor, type PlannedResource } from "../../plan";
import { chartDefaults, unknownValuePaths } from "../helpers/chart-values";
import { crdValidator, schemaErrors } from "../helpers/crd";
import { referencePath } from "../helpers/reference";
import { sharedPlan } from "../helpers/shared-plan";

const STACKS = ["dev", "staging", "prod"] as const;
const CLUSTER_POLICY = "kubernetes:kyverno.io/v1:ClusterPolicy";
const POLICY_EXCEPTION = "kubernetes:kyverno.io/v2:PolicyException";
const of = (stack: string, type: string) => sharedPlan(stack).resources.filter((r) => r.type === type);
const named = (stack: string, type: string, name: string): PlannedResource => {
    const found = of(stack, type).filter((r) => (r.inputs.metadata as { name?: string } | undefined)?.name === name);
    expect(found, `${stack} ${type} ${name}`).toHaveLength(1);
    return found[0] as PlannedResource;
};
type Rule = { name: string; match: unknown; mutate?: { patchesJson6902: string }; validate?: Record<string, unknown> };
const rulesOf = (r: PlannedResource) => (r.inputs.spec as { rules: Rule[] }).rules;

const prod = platformConfigFor("prod").teams;
const pools = (settings = prod) => ({
    namespaces: Object.fromEntries(settings.teams.map((t) => [t.name, t.namespaces])),
    placements: settings.placements,
    guardedTaintKeys: settings.guardedTaintKeys,
    poolLabelKey: settings.poolLabelKey,
});

describe("chart values", () => {
    const file = referencePath("chart-values/kyverno-3.9.0.yaml");
    it.skipIf(!file).each(STACKS)("%s: every key is one chart 3.9.0 has", (stack) => {
        const values = kyvernoValues({
            config: platformConfigFor(stack).teams.kyverno,
            system: SYSTEM_PLACEMENT,
            serviceMonitors: true,
            dashboard: true,
        });
        expect(unknownValuePaths(values, chartDefaults(file ?? ""))).toEqual([]);
    });

    it("every controller on the system nodes; 3 admission and 2 of each other controller in prod, 1 in dev", () => {
        const v = (stack: string) =>
            kyvernoValues({
                config: platformConfigFor(stack).teams.kyverno,
                system: SYSTEM_PLACEMENT,
                serviceMonitors: false,
                dashboard: false,
            });
        expect(v("prod").global).toEqual({
            nodeSelector: { "eks-platform/node-group": "system" },
            tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
        });
        expect([
            v("prod").admissionController.replicas,
            v("prod").backgroundController.replicas,
            v("prod").reportsController.replicas,
        ]).toEqual([3, 2, 2]);
        expect([v("dev").admissionController.replicas, v("dev").cleanupController.replicas]).toEqual([1, 1]);
    });

    it("the resource webhooks see team namespaces only, exceptions count only from Kyverno's namespace", () => {
        const values = kyvernoValues({ config: prod.kyverno, system: SYSTEM_PLACEMENT, serviceMonitors: false, dashboard: false });
        expect(values.config.webhooks).toEqual({
            namespaceSelector: { matchExpressions: [{ key: "eks-platform/team", operator: "Exists" }] },
        });
        expect(values.features.policyExceptions).toEqual({ enabled: true, namespace: "kyverno" });
    });

    it("metrics and the dashboard only with kube-prometheus-stack and Grafana; the release waits for the monitoring CRDs", () => {
        const off = kyvernoValues({ config: prod.kyverno, system: SYSTEM_PLACEMENT, serviceMonitors: false, dashboard: false });
        expect([off.admissionController.serviceMonitor.enabled, off.grafana.enabled]).toEqual([false, false]);
        const release = sharedPlan("prod").resources.find((r) => r.name === "kyverno-release");
        expect(
            (release?.inputs.values as { reportsController: { serviceMonitor: { enabled: boolean } } }).reportsController.serviceMonitor
                .enabled,
        ).toBe(true);
        expect(release?.dependencies).toContain(
            sharedPlan("prod").resources.find((r) => r.name === "observability-kube-prometheus-stack")?.urn,
        );
        expect(release?.inputs).toMatchObject({
            chart: "kyverno",
            version: "3.9.0",
            namespace: "kyverno",
            repositoryOpts: { repo: "https://kyverno.github.io/kyverno/" },
        });
    });
});

describe("against Kyverno v1.19.0's CRDs", () => {
    const policyCrd = referencePath("kyverno-v1.19.0/crds/kyverno.io_clusterpolicies.yaml");
    const exceptionCrd = referencePath("kyverno-v1.19.0/crds/kyverno.io_policyexceptions.yaml");
    it.skipIf(!policyCrd).each(STACKS)("%s: every ClusterPolicy", (stack) => {
        const validate = crdValidator(policyCrd ?? "", "v1", "ClusterPolicy");
        const policies = of(stack, CLUSTER_POLICY);
        expect(policies.length).toBeGreaterThanOrEqual(5);
        for (const p of policies)
            expect(schemaErrors(validate, { apiVersion: p.inputs.apiVersion, kind: p.inputs.kind, spec: p.inputs.spec }), p.name).toEqual(
                [],
            );
    });
    it.skipIf(!exceptionCrd).each(STACKS)("%s: every PolicyException", (stack) => {
        const validate = crdValidator(exceptionCrd ?? "", "v2", "PolicyException");
        for (const p of of(stack, POLICY_EXCEPTION))
            expect(schemaErrors(validate, { apiVersion: p.inputs.apiVersion, kind: p.inputs.kind, spec: p.inputs.spec }), p.name).toEqual(
                [],
            );
    });
    it.skipIf(!policyCrd)("the validator refuses what the CRD does (an unknown field, a bad failure action)", () => {
        const validate = crdValidator(policyCrd ?? "", "v1", "ClusterPolicy");
        const bad = podSecurityPolicy("baseline", "Enforce");
        const rule = (bad.spec.rules as Record<string, unknown>[])[0] as { validate: Record<string, unknown> };
        rule.validate.failureAction = "Deny";
        rule.validate.podSecurity = { level: "baseline", version: "latest", levle: "x" };
        expect(schemaErrors(validate, bad).length).toBeGreaterThanOrEqual(2);
    });
});

describe("Pod Security policies", () => {
    it.each([
        ["dev", "Audit", "Ignore"],
        ["staging", "Enforce", "Fail"],
        ["prod", "Enforce", "Fail"],
    ] as const)("%s: baseline and restricted in %s, webhook failure policy %s", (stack, action, failurePolicy) => {
        for (const level of ["baseline", "restricted"]) {
            const policy = named(stack, CLUSTER_POLICY, `pod-security-${level}`);
            expect(rulesOf(policy)).toEqual([
                {
                    name: level,
                    match: { any: [{ resources: { kinds: ["Pod"] } }] },
                    validate: { failureAction: action, podSecurity: { level, version: "latest" } },
                },
            ]);
            expect((policy.inputs.spec as { webhookConfiguration: unknown }).webhookConfiguration).toEqual({
                failurePolicy,
                timeoutSeconds: 10,
            });
        }
    });

    it("the platform's namespaces are excepted from both; a team with an exception only from restricted", () => {
        const platform = named("prod", POLICY_EXCEPTION, "platform-namespaces").inputs.spec as {
            exceptions: { policyName: string; ruleNames: string[] }[];
            match: { any: { resources: { namespaces: string[] } }[] };
        };
        expect(platform.exceptions.map((e) => e.policyName)).toEqual(["pod-security-baseline", "pod-security-restricted"]);
        expect(platform.exceptions[1]?.ruleNames).toEqual(["restricted", "autogen-restricted", "autogen-cronjob-restricted"]);
        expect(platform.match.any[0]?.resources.namespaces).toEqual(
            expect.arrayContaining(["kube-system", "kyverno", "monitoring", "tigera-operator"]),
        );
        expect(platform.match.any[0]?.resources.namespaces).not.toEqual(expect.arrayContaining(["payments"]));
        const data = named("prod", POLICY_EXCEPTION, "team-data-pod-security");
        expect(data.inputs.metadata).toMatchObject({ namespace: "kyverno" });
        expect(data.inputs.spec).toMatchObject({
            exceptions: [{ policyName: "pod-security-restricted" }],
            match: { any: [{ resources: { namespaces: ["analytics"] } }] },
        });
        expect(of("dev", POLICY_EXCEPTION)).toHaveLength(1);
    });
});

describe("team workload policies", () => {
    it("images come from the stack's ECR repositories (account, region, cluster prefix) or the allowed registries, tagged, never latest; in team namespaces only", () => {
        const images = rulesOf(named("prod", CLUSTER_POLICY, "team-images"));
        expect(images.map((r) => r.name)).toEqual(["allowed-registries", "require-image-tag", "no-latest-tag"]);
        const pattern = images[0]?.validate?.pattern as { spec: { containers: { image: string }[]; "=(initContainers)": unknown[] } };
        expect(pattern.spec.containers[0]?.image).toBe("123456789012.dkr.ecr.eu-west-1.amazonaws.com/eks-platform-prod/*");
        expect(pattern.spec["=(initContainers)"]).toEqual(pattern.spec.containers);
        expect(images[2]?.validate?.pattern).toMatchObject({ spec: { containers: [{ image: "!*:latest" }] } });
        for (const r of images)
            expect(r.match).toEqual({
                any: [
                    {
                        resources: {
                            kinds: ["Pod"],
                            namespaceSelector: { matchExpressions: [{ key: "eks-platform/team", operator: "Exists" }] },
                        },
                    },
                ],
            });
        const dev = rulesOf(named("dev", CLUSTER_POLICY, "team-images"))[0]?.validate?.pattern as {
            spec: { containers: { image: string }[] };
        };
        expect(dev.spec.containers[0]?.image).toBe(
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/eks-platform-dev/* | public.ecr.aws/* | docker.io/* | ghcr.io/* | quay.io/* | registry.k8s.io/*",
        );
        expect(() => teamImagesPolicy([], "Enforce")).toThrow(/at least one registry/);
    });

    it("containers declare CPU and memory requests and a memory limit", () => {
        expect(teamResourcesPolicy("Audit").spec.rules).toEqual([
            expect.objectContaining({
                name: "requests-and-limits",
                validate: expect.objectContaining({
                    failureAction: "Audit",
                    pattern: { spec: { containers: [{ resources: { requests: { cpu: "?*", memory: "?*" }, limits: { memory: "?*" } } }] } },
                }),
            }),
        ]);
    });
});

describe("team node pools", () => {
    it("prod: pods created in payments' namespaces get the pool's toleration and node selector (the mutate rule)", () => {
        const policy = named("prod", CLUSTER_POLICY, "team-node-pools");
        expect(policy.inputs.metadata).toMatchObject({ annotations: { "pod-policies.kyverno.io/autogen-controllers": "none" } });
        const [rule, ...others] = rulesOf(policy);
        expect(others).toEqual([]);
        expect(rule?.match).toEqual({
            any: [{ resources: { kinds: ["Pod"], namespaces: ["payments", "payments-jobs"], operations: ["CREATE"] } }],
        });
        expect(JSON.parse(rule?.mutate?.patchesJson6902 ?? "[]")).toEqual([
            {
                op: "add",
                path: "/spec/tolerations/0",
                value: { key: "eks-platform/team", operator: "Equal", value: "payments", effect: "NoSchedule" },
            },
            { op: "add", path: "/spec/nodeSelector/eks-platform~1team", value: "payments" },
        ]);
    });

    it("the injected toleration and selector are exactly the pool's taint and label (as the NodePool declares them)", () => {
        const nodePool = sharedPlan("prod").resources.find(
            (r) => r.type === "kubernetes:karpenter.sh/v1:NodePool" && (r.inputs.metadata as { name: string }).name === "payments",
        );
        const template = (
            nodePool?.inputs.spec as {
                template: {
                    metadata: { labels: Record<string, string> };
                    spec: { taints: { key: string; value: string; effect: string }[] };
                };
            }
        ).template;
        const placement = prod.placements.payments;
        expect(template.spec.taints.map((t) => ({ key: t.key, operator: "Equal", value: t.value, effect: t.effect }))).toEqual(
            placement?.tolerations,
        );
        for (const [key, value] of Object.entries(placement?.nodeSelector ?? {})) expect(template.metadata.labels[key]).toBe(value);
    });

    it("no pool, no mutate policy (dev); every team still gets its isolation rule", () => {
        expect(of("dev", CLUSTER_POLICY).map((p) => (p.inputs.metadata as { name: string }).name)).not.toContain("team-node-pools");
        expect(teamNodePoolsPolicy(pools(platformConfigFor("dev").teams))).toBeUndefined();
        expect(rulesOf(named("prod", CLUSTER_POLICY, "team-pool-isolation")).map((r) => r.name)).toEqual([
            "data-isolation",
            "payments-isolation",
            "storefront-isolation",
        ]);
    });

    it("another team's namespace is refused the pool: its rule tolerates no team-pool taint and selects no team pool", () => {
        const policy = teamPoolIsolationPolicy(pools(), "Enforce");
        const rules = (policy?.spec.rules ?? []) as Rule[];
        const storefront = rules.find((r) => r.name === "storefront-isolation");
        expect(storefront?.match).toEqual({ any: [{ resources: { kinds: ["Pod"], namespaces: ["storefront"] } }] });
        expect(storefront?.validate).toMatchObject({ failureAction: "Enforce" });
        expect((storefront?.validate?.cel as { expressions: unknown }).expressions).toEqual([
            {
                expression: "!has(object.spec.tolerations) || object.spec.tolerations.all(t, has(t.key) && t.key != '')",
                message: expect.any(String),
            },
            {
                expression:
                    "!has(object.spec.tolerations) || object.spec.tolerations.all(t, !has(t.key) || !(t.key in ['eks-platform/team']))",
                message: "The team's pods may tolerate no team pool.",
            },
            {
                expression: "!has(object.spec.nodeSelector) || !('eks-platform/team' in object.spec.nodeSelector) || (false)",
                message: "The team's pods may select no team pool.",
            },
        ]);
    });

    it("the owning team may tolerate and select its own pool, only with Equal and the pool's value", () => {
        const [, tolerations, selector] = isolationExpressions(prod.placements.payments, {
            taintKeys: prod.guardedTaintKeys,
            poolLabelKey: prod.poolLabelKey,
        });
        expect(tolerations?.expression).toBe(
            "!has(object.spec.tolerations) || object.spec.tolerations.all(t, !has(t.key) || !(t.key in ['eks-platform/team']) || (t.key == 'eks-platform/team' && (!has(t.operator) || t.operator == 'Equal') && has(t.value) && t.value == 'payments'))",
        );
        expect(selector?.expression).toBe(
            "!has(object.spec.nodeSelector) || !('eks-platform/team' in object.spec.nodeSelector) || (object.spec.nodeSelector['eks-platform/team'] == 'payments')",
        );
    });
});
