// The whole dev program (calico-policy): the Cluster's vpc-cni add-on carries vpcCniAddonSettings, Calico and the
// LB controller are wired to the cluster, and everything that makes load balancers waits for the controller.
import { beforeAll, describe, expect, it } from "vitest";
import { type PlanResult } from "../../plan";
import { sharedPlan } from "../helpers/shared-plan";

let plan: PlanResult;
beforeAll(async () => {
    plan = sharedPlan("dev");
});
const all = (type: string) => plan.resources.filter((r) => r.type === type);

describe("dev plan: CNI and ingress wiring", () => {
    it("the vpc-cni add-on gets the calico-policy configuration, before the system nodes", () => {
        const addon = all("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "vpc-cni");
        expect(addon).toBeDefined();
        expect(JSON.parse(addon?.inputs.configurationValues as string)).toMatchObject({
            enableNetworkPolicy: "false",
            env: { ANNOTATE_POD_IP: "true", ENABLE_PREFIX_DELEGATION: "true" },
        });
        const nodes = all("eks:index:ManagedNodeGroup")[0];
        expect(nodes?.dependencies).toContain(addon?.urn);
    });

    it("Calico's operator and the LB controller wait for the system node group; the controller runs where its nodes are labelled", () => {
        const nodes = all("eks:index:ManagedNodeGroup")[0];
        const releases = all("kubernetes:helm.sh/v3:Release");
        const calico = releases.find((r) => r.inputs.chart === "tigera-operator");
        const lbc = releases.find((r) => r.inputs.chart === "aws-load-balancer-controller");
        expect(calico?.dependencies).toContain(nodes?.urn);
        expect(lbc?.dependencies).toContain(nodes?.urn);
        const nodeLabels = nodes?.inputs.labels as Record<string, string>;
        const selector = (lbc?.inputs.values as { nodeSelector: Record<string, string> }).nodeSelector;
        for (const [k, v] of Object.entries(selector)) expect(nodeLabels[k], `system nodes carry ${k}=${v}`).toBe(v);
    });

    it("ingress-nginx is off in dev; the stack outputs name the IngressClass and the CNI mode", () => {
        expect(all("kubernetes:helm.sh/v3:Release").filter((r) => r.inputs.chart === "ingress-nginx")).toEqual([]);
        expect(plan.outputs.ingressClassName).toBe("alb");
        expect(plan.outputs.cniMode).toBe("calico-policy");
    });
});
