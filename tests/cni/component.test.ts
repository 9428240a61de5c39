// The Cni and NetworkBaseline components under the mock runtime, one instance per mode: what each mode creates,
// what it leaves out, and the dependency edges that order creation and destroy.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { Cni, NetworkBaseline } from "../../components/cni";
import type { CniConfig } from "../../stacks/config";
import { platformConfigFor, type PlannedResource, setupMocks, settle } from "../../plan";
import { platformContextFor } from "../helpers/stand-ins";

const { recorder } = setupMocks("dev");
const cniFor = (overrides: Record<string, unknown>, network: Record<string, unknown> = {}) =>
    platformConfigFor({ stack: "dev", overrides: { "eks-platform:cni": overrides, "eks-platform:network": network } }).cni as CniConfig;

const ctx = platformContextFor(platformConfigFor("dev"));
const { k8sProvider } = ctx;
const vpcCniAddon = new aws.eks.Addon("vpc-cni", { clusterName: "eks-platform-dev", addonName: "vpc-cni" });
const podSubnets = ["eu-west-1a", "eu-west-1b"].map((zone, i) => ({
    availabilityZone: pulumi.output(zone),
    subnetId: pulumi.output(`subnet-pod-${i}`),
}));
const common = { ctx, podSubnets: [], podSecurityGroupIds: [pulumi.output("sg-cluster")] };

const policy = new Cni("policy", { ...common, config: cniFor({ mode: "calico-policy" }) });
const vpc = new Cni("vpc", { ...common, config: cniFor({ mode: "vpc-cni-policy" }) });
const overlay = new Cni("overlay", { ...common, config: cniFor({ mode: "calico-cni", vpcCni: { prefixDelegation: false } }) });
const custom = new Cni("custom", {
    ...common,
    vpcCniAddon,
    podSubnets,
    config: cniFor({ mode: "vpc-cni-policy", vpcCni: { customNetworking: true } }, { podCidr: "100.64.0.0/16" }),
});
const baseline = new NetworkBaseline("baseline", {
    mode: "calico-policy",
    k8sProvider,
    apiServerCidrs: ["10.10.0.0/16"],
    namespaces: [
        {
            namespace: "ingress-nginx",
            withinNamespace: false,
            kubeApi: true,
            podIdentity: false,
            ingress: [{ name: "http", cidrs: ["0.0.0.0/0"], ports: [{ port: 80 }] }],
            egress: [],
        },
    ],
    dependsOn: policy.policyReady,
});

/** A component instance and every resource under it (by parent chain). */
function of(component: string): PlannedResource[] {
    const root = recorder.resources.find((r) => r.name === component && r.type.startsWith("eks-platform:"));
    if (!root) return [];
    const inside = new Set([root.urn]);
    for (const r of recorder.resources) if (r.parent && inside.has(r.parent)) inside.add(r.urn);
    return recorder.resources.filter((r) => inside.has(r.urn));
}
const find = (component: string, type: string) => of(component).filter((r) => r.type === type);
const single = (component: string, type: string): PlannedResource => {
    const found = find(component, type);
    expect(found, `${component} ${type}`).toHaveLength(1);
    return found[0] as PlannedResource;
};
const RELEASE = "kubernetes:helm.sh/v3:Release";
const INSTALLATION = "kubernetes:operator.tigera.io/v1:Installation";
const APISERVER = "kubernetes:operator.tigera.io/v1:APIServer";
const ENICONFIG = "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig";

beforeAll(async () => {
    await settle();
});

describe("Cni calico-policy", () => {
    it("installs the tigera-operator chart (pinned version) in its namespace on the system nodes, after them", () => {
        const release = single("policy", RELEASE);
        expect(release.inputs).toMatchObject({
            chart: "tigera-operator",
            version: "v3.32.1",
            repositoryOpts: { repo: "https://docs.tigera.io/calico/charts" },
            namespace: "tigera-operator",
            values: {
                installation: { enabled: false },
                apiServer: { enabled: false },
                nodeSelector: { "eks-platform/node-group": "system" },
            },
        });
        expect(recorder.dependsOn(release, recorder.one("aws:eks/nodeGroup:NodeGroup", "system"))).toBe(true);
        expect(single("policy", "kubernetes:core/v1:Namespace").inputs).toMatchObject({ metadata: { name: "tigera-operator" } });
        expect(release.provider).toContain("k8s");
    });

    it("creates the Installation (AmazonVPC CNI, BGP off) after the operator, and the API server after the Installation", () => {
        const installation = single("policy", INSTALLATION);
        expect(installation.inputs).toMatchObject({
            metadata: { name: "default" },
            spec: { kubernetesProvider: "EKS", cni: { type: "AmazonVPC" }, calicoNetwork: { bgp: "Disabled" } },
        });
        expect(installation.dependencies).toContain(single("policy", RELEASE).urn);
        expect(single("policy", APISERVER).dependencies).toContain(installation.urn);
        expect(policy.policyBackend).toBe("calico");
    });

    it("lets aws-node annotate pods with their IP (ANNOTATE_POD_IP for Calico)", () => {
        expect(single("policy", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").inputs).toMatchObject({
            rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["patch"] }],
        });
        expect(single("policy", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").inputs).toMatchObject({
            subjects: [{ kind: "ServiceAccount", name: "aws-node", namespace: "kube-system" }],
        });
        expect(find("policy", ENICONFIG)).toHaveLength(0);
    });

    it("every child is parented to the component", () => {
        const component = recorder.one("eks-platform:cni:Cni", "policy");
        for (const r of of("policy").filter((x) => x !== component)) expect(r.parent, r.name).toBe(component.urn);
    });
});

describe("Cni vpc-cni-policy", () => {
    it("installs no Calico at all: no release, no Installation, no operator namespace, no RBAC", () => {
        expect(of("vpc").map((r) => r.type)).toEqual(["eks-platform:cni:Cni"]);
        expect(vpc.policyBackend).toBe("kubernetes");
        expect(vpc.podsRoutableFromVpc).toBe(true);
        expect(vpc.policyReady).toEqual([]);
    });
});

describe("Cni calico-cni", () => {
    it("installs Calico as the CNI with a VXLAN pool and no aws-node RBAC; pods are not routable from the VPC", () => {
        expect(single("overlay", INSTALLATION).inputs).toMatchObject({
            spec: {
                cni: { type: "Calico", ipam: { type: "Calico" } },
                calicoNetwork: { bgp: "Disabled", ipPools: [{ cidr: "172.16.0.0/16", encapsulation: "VXLAN" }] },
            },
        });
        expect(find("overlay", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")).toHaveLength(0);
        expect(overlay.podsRoutableFromVpc).toBe(false);
    });
});

describe("Cni custom networking", () => {
    it("makes one ENIConfig per zone, named after it, with the pod subnet and security group, waiting for the add-on", () => {
        const eniConfigs = find("custom", ENICONFIG);
        expect(eniConfigs.map((r) => r.inputs)).toEqual([
            {
                apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
                kind: "ENIConfig",
                metadata: { name: "eu-west-1a" },
                spec: { subnet: "subnet-pod-0", securityGroups: ["sg-cluster"] },
            },
            {
                apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
                kind: "ENIConfig",
                metadata: { name: "eu-west-1b" },
                spec: { subnet: "subnet-pod-1", securityGroups: ["sg-cluster"] },
            },
        ]);
        for (const e of eniConfigs) expect(e.dependencies).toContain(recorder.one("aws:eks/addon:Addon", "vpc-cni").urn);
        expect(custom.eniConfigs).toHaveLength(2);
    });

    it("refuses custom networking without pod subnets", () => {
        expect(
            () => new Cni("broken", { ...common, config: cniFor({ vpcCni: { customNetworking: true } }, { podCidr: "100.64.0.0/16" }) }),
        ).toThrow(/pod subnets/);
    });
});

describe("NetworkBaseline", () => {
    it("creates the Calico-form policies of each namespace after the Calico API server", () => {
        const policies = find("baseline", "kubernetes:projectcalico.org/v3:NetworkPolicy");
        expect(policies.map((p) => (p.inputs.metadata as { name: string }).name).sort()).toEqual([
            "baseline-allow",
            "baseline-default-deny",
        ]);
        for (const p of policies) {
            expect(p.inputs.metadata).toMatchObject({ namespace: "ingress-nginx" });
            expect(p.dependencies).toContain(single("policy", APISERVER).urn);
        }
        expect(baseline.policies).toHaveLength(2);
    });
});
