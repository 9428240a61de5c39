// The whole dev program in calico-cni mode: no vpc-cni add-on, Calico as the CNI, kubelet max pods raised,
// the LB controller on the host network with instance targets.
import { beforeAll, describe, expect, it } from "vitest";
import { type PlanResult, planStack } from "../../plan";

let plan: PlanResult;
beforeAll(async () => {
    plan = await planStack({
        stack: "dev",
        overrides: { "eks-platform:cni": { mode: "calico-cni", vpcCni: { prefixDelegation: false } } },
    });
});
const all = (type: string) => plan.resources.filter((r) => r.type === type);

describe("calico-cni plan", () => {
    it("has no vpc-cni add-on and no aws-node RBAC", () => {
        const addons = all("aws:eks/addon:Addon").map((a) => a.inputs.addonName);
        expect(addons).not.toContain("vpc-cni");
        expect(addons).toContain("coredns");
        expect(all("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").filter((r) => r.name.includes("aws-node"))).toEqual([]);
    });

    it("installs Calico as the CNI with a VXLAN pool", () => {
        const [installation] = all("kubernetes:operator.tigera.io/v1:Installation");
        expect(installation?.inputs.spec).toMatchObject({
            cni: { type: "Calico" },
            calicoNetwork: { bgp: "Disabled", ipPools: [{ encapsulation: "VXLAN" }] },
        });
    });

    it("raises the system nodes' max pods to Calico's maximum (nodeadm user data)", () => {
        const [template] = all("aws:ec2/launchTemplate:LaunchTemplate");
        const userData = Buffer.from(template?.inputs.userData as string, "base64").toString("utf8");
        expect(userData).toMatch(/maxPods: 110/);
    });

    it("runs the LB controller on the host network with instance targets", () => {
        const lbc = all("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "aws-load-balancer-controller");
        expect(lbc?.inputs.values).toMatchObject({ hostNetwork: true, defaultTargetType: "instance" });
    });
});
