// The whole program's plan (the shared per-stack plan of this test run), as seen from Karpenter.
import { expect, it } from "vitest";
import { effectiveNodePools } from "../../stacks/schema/karpenter";
import { INTERRUPTION_EVENTS } from "../../components/karpenter";
import { platformConfigFor, Recorder, type PlannedResource, type PlanResult } from "../../plan";
import { sharedPlan } from "../helpers/shared-plan";

export function karpenterPlanTests(stack: "dev" | "prod"): void {
    let plan: PlanResult | undefined;
    const get = async (): Promise<PlanResult> => (plan ??= sharedPlan(stack));
    const byType = (p: PlanResult, type: string) => p.resources.filter((r) => r.type === type);
    const named = (p: PlanResult, type: string, name: string): PlannedResource => {
        const found = p.resources.filter((r) => r.type === type && r.name === name);
        if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
        return found[0] as PlannedResource;
    };
    /** Transitive dependency through explicit and input dependencies. */
    const dependsOn = (p: PlanResult, from: PlannedResource, to: PlannedResource): boolean => Recorder.of(p).dependsOn(from, to);

    it(`${stack}: the plan holds the queue, its rules, both roles, the access entry, both releases and the stack's pools`, async () => {
        const p = await get();
        const config = platformConfigFor(stack);
        expect(named(p, "aws:sqs/queue:Queue", "karpenter-interruption").inputs).toMatchObject({
            name: config.clusterName,
            messageRetentionSeconds: 300,
            sqsManagedSseEnabled: true,
        });
        expect(byType(p, "aws:cloudwatch/eventRule:EventRule").filter((r) => r.name.startsWith("karpenter-"))).toHaveLength(
            INTERRUPTION_EVENTS.length,
        );
        named(p, "aws:iam/role:Role", "karpenter-node");
        named(p, "aws:iam/role:Role", "karpenter-controller-role");
        expect(named(p, "aws:eks/accessEntry:AccessEntry", "karpenter-node").inputs).toMatchObject({ type: "EC2_LINUX" });
        named(p, "kubernetes:helm.sh/v3:Release", "karpenter-crd");
        named(p, "kubernetes:helm.sh/v3:Release", "karpenter");
        const pools = byType(p, "kubernetes:karpenter.sh/v1:NodePool").map((r) => (r.inputs.metadata as { name: string }).name);
        // The stack's pools, then the platform's own.
        expect(pools).toEqual([...effectiveNodePools(config.karpenter.nodePools).map((pool) => pool.name), "platform"]);
        expect(byType(p, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass").map((r) => (r.inputs.metadata as { name: string }).name)).toEqual(
            config.karpenter.nodeClasses.map((c) => c.name),
        );
    });

    it(`${stack}: pools and classes wait for the release, the release for the CRDs, the system node group and Pod Identity`, async () => {
        const p = await get();
        const release = named(p, "kubernetes:helm.sh/v3:Release", "karpenter");
        const crd = named(p, "kubernetes:helm.sh/v3:Release", "karpenter-crd");
        const systemNodeGroup = byType(p, "eks:index:ManagedNodeGroup")[0];
        if (!systemNodeGroup) throw new Error("no system node group in the plan");
        expect(release.dependencies).toContain(systemNodeGroup.urn);
        expect(release.dependencies).toContain(crd.urn);
        expect(release.dependencies).toContain(
            named(p, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "karpenter-controller-pod-identity").urn,
        );
        expect(dependsOn(p, crd, systemNodeGroup)).toBe(true);
        for (const r of [
            ...byType(p, "kubernetes:karpenter.sh/v1:NodePool"),
            ...byType(p, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"),
        ]) {
            expect(r.dependencies, r.name).toContain(release.urn);
            expect(r.provider).toBe(release.provider);
        }
        const cluster = byType(p, "eks:index:Cluster")[0];
        if (!cluster) throw new Error("no cluster");
        // The release values name the real cluster (from the Cluster component's output).
        expect((release.inputs.values as { settings: { clusterName: string } }).settings.clusterName).toBe(
            platformConfigFor(stack).clusterName,
        );
    });
}
