// Guards the pure builders keep for every stack: a NodePool restricted to zones says so to Karpenter, and the
// controller's pods never share a node and never run on a node Karpenter launched.
import { describe, expect, it } from "vitest";
import { karpenterValues, nodePoolSpec } from "../../components/karpenter";
import { platformConfigFor } from "../../plan";

const pool = platformConfigFor("staging").karpenter.effectiveNodePools[0];
if (!pool) throw new Error("staging declares a NodePool");

describe("NodePool zones", () => {
    it("become a topology.kubernetes.io/zone requirement", () => {
        const spec = nodePoolSpec({ ...pool, zones: ["eu-west-1a", "eu-west-1b"] });
        expect(spec.template.spec.requirements).toContainEqual({
            key: "topology.kubernetes.io/zone",
            operator: "In",
            values: ["eu-west-1a", "eu-west-1b"],
        });
    });
    it("leave every zone open when the pool names none", () => {
        expect(nodePoolSpec(pool).template.spec.requirements.map((r) => r.key)).not.toContain("topology.kubernetes.io/zone");
    });
});

describe("the Karpenter controller's placement", () => {
    const values = karpenterValues({
        clusterName: "c",
        interruptionQueueName: "c",
        serviceAccount: "karpenter",
        replicas: 2,
        resources: { cpu: "1", memory: "1Gi" },
    });
    it("keeps replicas on different nodes (required anti-affinity on the hostname)", () => {
        expect(values.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
            { topologyKey: "kubernetes.io/hostname" },
        ]);
    });
    it("never runs on a node Karpenter launched", () => {
        expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
            { matchExpressions: [{ key: "karpenter.sh/nodepool", operator: "DoesNotExist" }] },
        ]);
    });
    it("runs on the system nodes, spread over zones", () => {
        expect(values.nodeSelector).toMatchObject({ "eks-platform/node-group": "system" });
        expect(values.tolerations).toContainEqual({ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" });
        expect(values.topologySpreadConstraints).toContainEqual(
            expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }),
        );
    });
});
