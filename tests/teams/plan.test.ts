// The teams as the shipped stacks' plans declare them (the shared plans of this test run): namespaces with their
// objects, access entries scoped to them, their baseline network policies, and Kyverno's policies after them.
import { describe, expect, it } from "vitest";
import { platformConfigFor, Recorder, type PlannedResource } from "../../plan";
import { sharedPlan } from "../helpers/shared-plan";

const resources = (stack: string, type: string) => sharedPlan(stack).resources.filter((r) => r.type === type);
const inNamespace = (stack: string, type: string, ns: string) =>
    resources(stack, type).filter((r) => (r.inputs.metadata as { namespace?: string }).namespace === ns);

describe.each(["dev", "staging", "prod"] as const)("%s", (stack) => {
    const config = platformConfigFor(stack).teams;
    const namespaces = config.teams.flatMap((t) => t.namespaces.map((ns) => ({ team: t.name, ns })));

    it("every team namespace exists with its team label, a quota, a limit range and the policy-report Role bound to its group", () => {
        const declared = resources(stack, "kubernetes:core/v1:Namespace").filter(
            (n) => (n.inputs.metadata as { labels?: Record<string, string> }).labels?.["eks-platform/team"],
        );
        expect(declared.map((n) => (n.inputs.metadata as { name: string }).name).sort()).toEqual(namespaces.map((n) => n.ns).sort());
        for (const { team, ns } of namespaces) {
            expect(inNamespace(stack, "kubernetes:core/v1:ResourceQuota", ns), ns).toHaveLength(1);
            expect(inNamespace(stack, "kubernetes:core/v1:LimitRange", ns), ns).toHaveLength(1);
            const binding = inNamespace(stack, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", ns);
            expect(binding.map((b) => b.inputs.subjects)).toEqual([
                [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: `eks-platform:team:${team}` }],
            ]);
        }
    });

    it("one access entry per team role, in the team's group and tagged; its policy scoped to the team's namespaces", () => {
        const entries = resources(stack, "aws:eks/accessEntry:AccessEntry").filter(
            (e) => (e.inputs.tags as Record<string, string> | undefined)?.["eks-platform/team"],
        );
        expect(entries.map((e) => e.inputs.principalArn).sort()).toEqual(config.teams.flatMap((t) => t.principals).sort());
        const associations = resources(stack, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
        for (const team of config.teams)
            for (const principal of team.principals) {
                const entry = entries.find((e) => e.inputs.principalArn === principal) as PlannedResource;
                expect(entry.inputs).toMatchObject({ type: "STANDARD", kubernetesGroups: [`eks-platform:team:${team.name}`] });
                const association = associations.filter((a) => a.inputs.principalArn === principal);
                expect(association.map((a) => a.inputs.accessScope)).toEqual([{ type: "namespace", namespaces: [...team.namespaces] }]);
                // The association waits for the entry (its principalArn is the entry's output).
                expect(Recorder.of(sharedPlan(stack)).dependsOn(association[0] as PlannedResource, entry)).toBe(true);
            }
    });

    it("each team namespace gets the baseline network policy: default deny, DNS, its own pods, the Pod Identity agent", () => {
        const type =
            platformConfigFor(stack).cni.mode === "vpc-cni-policy"
                ? "kubernetes:networking.k8s.io/v1:NetworkPolicy"
                : "kubernetes:projectcalico.org/v3:NetworkPolicy";
        for (const { ns } of namespaces) {
            const policies = inNamespace(stack, type, ns);
            expect(policies.map((p) => (p.inputs.metadata as { name: string }).name).sort(), ns).toEqual([
                "baseline-allow",
                "baseline-default-deny",
            ]);
            const allow = policies.find((p) => (p.inputs.metadata as { name: string }).name === "baseline-allow");
            expect(JSON.stringify(allow?.inputs.spec)).toContain("169.254.170.23/32");
        }
    });

    it("Kyverno's policies wait for the chart and the team namespaces; the release runs on the system nodes' group", () => {
        const plan = sharedPlan(stack);
        const recorder = Recorder.of(plan);
        const release = plan.resources.find((r) => r.name === "kyverno-release") as PlannedResource;
        const images = plan.resources.find((r) => r.name === "kyverno-team-images") as PlannedResource;
        expect(recorder.dependsOn(images, release)).toBe(true);
        const firstNamespace = plan.resources.find(
            (r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs.metadata as { name: string }).name === namespaces[0]?.ns,
        ) as PlannedResource;
        expect(recorder.dependsOn(images, firstNamespace)).toBe(true);
        expect(recorder.dependsOn(release, plan.resources.find((r) => r.type === "eks:index:ManagedNodeGroup") as PlannedResource)).toBe(
            true,
        );
    });
});
