// The Ingress component under the mock runtime: the controller's Pod Identity role and policy, the webhook rule,
// the release and its inputs, the IngressClass, and ingress-nginx ordered after the controller (destroy before it).
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { Ingress, loadBalancerControllerPolicy } from "../../components/ingress";
import type { IngressConfig } from "../../stacks/config";
import { platformConfigFor, type PlannedResource, setupMocks, settle } from "../../plan";
import { platformContextFor } from "../helpers/stand-ins";

const { recorder } = setupMocks("prod");
const prod = platformConfigFor("prod").ingress as IngressConfig;

const args = {
    ctx: platformContextFor(platformConfigFor("prod")),
    vpcId: pulumi.output("vpc-0123"),
    nodeSecurityGroupId: pulumi.output("sg-nodes"),
    vpcCidr: "10.30.0.0/16",
    metricsScrapers: ["monitoring"],
};
const ingress = new Ingress("ingress", { ...args, config: prod, podsRoutableFromVpc: true });
const overlay = new Ingress("overlay", {
    ...args,
    config: { ...prod, nginx: { ...prod.nginx, enabled: false } },
    podsRoutableFromVpc: false,
});

function of(component: string): PlannedResource[] {
    const root = recorder.resources.find((r) => r.name === component && r.type.startsWith("eks-platform:"));
    if (!root) return [];
    const inside = new Set([root.urn]);
    for (const r of recorder.resources) if (r.parent && inside.has(r.parent)) inside.add(r.urn);
    return recorder.resources.filter((r) => inside.has(r.urn));
}
const single = (component: string, type: string, name?: string): PlannedResource => {
    const found = of(component).filter((r) => r.type === type && (name === undefined || r.name === name));
    expect(found, `${component} ${type} ${name ?? ""}`).toHaveLength(1);
    return found[0] as PlannedResource;
};
const RELEASE = "kubernetes:helm.sh/v3:Release";

beforeAll(async () => {
    await settle();
});

describe("AWS Load Balancer Controller", () => {
    it("gets a Pod Identity role for kube-system/aws-load-balancer-controller with the published policy inline", () => {
        const role = single("ingress", "aws:iam/role:Role");
        const trust = JSON.parse(role.inputs.assumeRolePolicy as string) as {
            Statement: { Principal: unknown; Condition: { StringEquals: Record<string, string> } }[];
        };
        expect(trust.Statement[0]?.Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
        expect(trust.Statement[0]?.Condition.StringEquals).toMatchObject({
            "aws:RequestTag/kubernetes-namespace": "kube-system",
            "aws:RequestTag/kubernetes-service-account": "aws-load-balancer-controller",
        });
        const inline = single("ingress", "aws:iam/rolePolicy:RolePolicy");
        expect(JSON.parse(inline.inputs.policy as string)).toEqual(loadBalancerControllerPolicy("aws"));
        const association = single("ingress", "aws:eks/podIdentityAssociation:PodIdentityAssociation");
        expect(association.inputs).toMatchObject({
            namespace: "kube-system",
            serviceAccount: "aws-load-balancer-controller",
            clusterName: "eks-platform-prod",
        });
        expect(association.dependencies).toContain(recorder.one("aws:eks/addon:Addon", "pod-identity-agent").urn);
    });

    it("opens the webhook port 9443 on the nodes to the control plane only", () => {
        expect(single("ingress", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").inputs).toMatchObject({
            securityGroupId: "sg-nodes",
            referencedSecurityGroupId: "sg-cluster",
            ipProtocol: "tcp",
            fromPort: 9443,
            toPort: 9443,
        });
    });

    it("installs the pinned chart with cluster, region and VPC set, after the nodes, the association and the rule", () => {
        const release = single("ingress", RELEASE, "ingress-lbc");
        expect(release.inputs).toMatchObject({
            chart: "aws-load-balancer-controller",
            version: "3.5.0",
            repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
            namespace: "kube-system",
            values: {
                clusterName: "eks-platform-prod",
                region: "eu-west-1",
                vpcId: "vpc-0123",
                replicaCount: 2,
                podDisruptionBudget: { maxUnavailable: 1 },
                defaultTargetType: "ip",
            },
        });
        for (const dep of [
            recorder.one("aws:eks/nodeGroup:NodeGroup", "system"),
            single("ingress", "aws:eks/podIdentityAssociation:PodIdentityAssociation"),
            single("ingress", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
        ]) {
            expect(release.dependencies, dep.name).toContain(dep.urn);
        }
    });

    it("in calico-cni mode runs on the host network with instance targets", () => {
        expect(single("overlay", RELEASE).inputs.values).toMatchObject({ hostNetwork: true, defaultTargetType: "instance" });
        expect(of("overlay").filter((r) => r.name.includes("nginx"))).toEqual([]);
    });
});

describe("IngressClass", () => {
    it("is the default ALB class with IngressClassParams carrying the scheme, both after the controller", () => {
        const release = single("ingress", RELEASE, "ingress-lbc");
        const params = single("ingress", "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams");
        const ingressClass = single("ingress", "kubernetes:networking.k8s.io/v1:IngressClass");
        expect(params.inputs).toMatchObject({ metadata: { name: "alb" }, spec: { scheme: "internet-facing" } });
        expect(ingressClass.inputs).toMatchObject({
            metadata: { name: "alb", annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } },
            spec: { controller: "ingress.k8s.aws/alb" },
        });
        expect(params.dependencies).toContain(release.urn);
        expect(ingressClass.dependencies).toContain(release.urn);
        expect(ingress.ingressClassName).toBe("alb");
    });
});

describe("ingress-nginx", () => {
    it("sits behind an NLB the controller makes and depends on the controller's release (destroyed before it)", () => {
        const nginx = single("ingress", RELEASE, "ingress-nginx");
        expect(nginx.inputs).toMatchObject({
            chart: "ingress-nginx",
            version: "4.13.3",
            repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" },
            namespace: "ingress-nginx",
            values: {
                controller: {
                    replicaCount: 3,
                    service: {
                        annotations: {
                            "service.beta.kubernetes.io/aws-load-balancer-type": "external",
                            "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
                        },
                    },
                },
            },
        });
        expect(nginx.dependencies).toContain(single("ingress", RELEASE, "ingress-lbc").urn);
    });

    it("declares its namespace's traffic for the baseline policies", () => {
        expect(ingress.namespaceTraffic).toEqual([
            expect.objectContaining({
                namespace: "ingress-nginx",
                kubeApi: true,
                ingress: expect.arrayContaining([
                    { name: "admission-webhook", cidrs: ["10.30.0.0/16"], ports: [{ port: 8443 }] },
                    { name: "prometheus-scrape", namespaces: ["monitoring"], ports: [{ port: 10254 }] },
                ]),
            }),
        ]);
        expect(overlay.namespaceTraffic).toEqual([]);
    });
});
