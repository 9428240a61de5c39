// The whole program for prod under the mock runtime: the observability releases wait for the real system node
// group and gp3 StorageClass the Cluster component makes, and no Grafana password reaches the plan.
import { beforeAll, describe, expect, it } from "vitest";
import { sharedPlan } from "../helpers/shared-plan";
import { type PlanResult, type PlannedResource } from "../../plan";

let plan: PlanResult;
beforeAll(async () => {
    plan = sharedPlan("prod");
}, 60_000);

const one = (type: string, name?: string): PlannedResource => {
    const found = plan.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ""}, found ${found.length}`);
    return found[0] as PlannedResource;
};

describe("observability in the prod plan", () => {
    it("has an edge from every release to the system node group and from the stateful ones to the storage class", () => {
        const nodeGroup = one("eks:index:ManagedNodeGroup");
        const storageClass = one("kubernetes:storage.k8s.io/v1:StorageClass", "cluster-gp3");
        const releases = plan.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name.startsWith("observability-"));
        expect(releases.map((r) => r.name).sort()).toEqual([
            "observability-fluent-bit",
            "observability-kube-prometheus-stack",
            "observability-loki",
            "observability-prometheus-operator-crds",
        ]);
        for (const r of releases) expect(r.dependencies, r.name).toContain(nodeGroup.urn);
        for (const name of ["observability-kube-prometheus-stack", "observability-loki"])
            expect(one("kubernetes:helm.sh/v3:Release", name).dependencies).toContain(storageClass.urn);
    });

    it("keeps the Grafana password out of the plan and exports how to reach Grafana", () => {
        expect(JSON.stringify(plan.resources)).not.toContain("mock-password-not-a-secret");
        expect(plan.outputs.grafanaAccess).toBe("kubectl -n monitoring port-forward svc/kube-prometheus-stack-grafana 3000:80");
        expect(plan.outputs.lokiBuckets).toEqual([
            "eks-platform-prod-123456789012-eu-west-1-loki-chunks",
            "eks-platform-prod-123456789012-eu-west-1-loki-ruler",
        ]);
    });
});
