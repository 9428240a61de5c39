// The upgrade order (UPGRADE_ORDER: control plane, add-ons, system node group, Karpenter nodes) against prod's planned
// dependency edges: Pulumi updates a resource only after what it depends on, so the edges are the order a one-line
// minor bump takes in one `pulumi up`.
import { describe, expect, it } from "vitest";
import { Recorder, REMOTE_COMPONENT_CHILD, type PlannedResource } from "../../plan";
import { UPGRADE_ORDER, type UpgradeStep } from "../../stacks/versions";
import { sharedPlan } from "../helpers/shared-plan";

const plan = Recorder.of(sharedPlan("prod"));

/** A step's resources: those of its types, and the remote components that create a resource of its types. */
function resourcesOf(step: UpgradeStep): PlannedResource[] {
    return plan.resources.filter(
        (r) => (step.resourceTypes.includes(r.type) && !r.standIn) || step.resourceTypes.includes(REMOTE_COMPONENT_CHILD[r.type] ?? ""),
    );
}
const step = (id: UpgradeStep["id"]) => UPGRADE_ORDER.find((s) => s.id === id) as UpgradeStep;
const addon = (name: string) =>
    plan.resources.find((r) => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === name) as PlannedResource;

describe("the planned resources follow the upgrade order", () => {
    it("has resources for every step", () => {
        for (const s of UPGRADE_ORDER) expect(resourcesOf(s).length, s.id).toBeGreaterThan(0);
    });

    it("each step's resources wait for a resource of every step before it", () => {
        for (const s of UPGRADE_ORDER) {
            for (const r of resourcesOf(s)) {
                for (const before of s.after) {
                    const waited = resourcesOf(step(before)).some((b) => plan.dependsOn(r, b));
                    expect(waited, `${r.type} ${r.name} (${s.id}) waits for ${before}`).toBe(true);
                }
            }
        }
    });

    it("every add-on waits for the control plane", () => {
        const [controlPlane] = resourcesOf(step("control-plane"));
        for (const a of resourcesOf(step("addons"))) expect(plan.dependsOn(a, controlPlane as PlannedResource), a.name).toBe(true);
    });

    it("the system node group waits for the add-ons its nodes need to join; the others follow it, as they run on nodes", () => {
        const [nodeGroup] = resourcesOf(step("system-node-group")) as [PlannedResource];
        for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"])
            expect(plan.dependsOn(nodeGroup, addon(name)), name).toBe(true);
        // Documented in UPGRADING.md: these update after the system nodes roll.
        for (const name of ["coredns", "metrics-server", "aws-ebs-csi-driver", "amazon-cloudwatch-observability"]) {
            expect(plan.dependsOn(addon(name), nodeGroup), name).toBe(true);
        }
    });

    it("every EC2NodeClass and NodePool waits for the Karpenter release, which waits for the system node group", () => {
        const [nodeGroup] = resourcesOf(step("system-node-group")) as [PlannedResource];
        const release = plan.one("kubernetes:helm.sh/v3:Release", "karpenter");
        expect(plan.dependsOn(release, nodeGroup)).toBe(true);
        const karpenter = [
            ...plan.byType("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"),
            ...plan.byType("kubernetes:karpenter.sh/v1:NodePool"),
        ];
        expect(karpenter.length).toBeGreaterThan(1);
        for (const r of karpenter) expect(plan.dependsOn(r, release), r.name).toBe(true);
    });
});
