// The Ingress component under the mock runtime: the controller's Pod Identity role and policy, the webhook rule,
// the release and its inputs after the Gateway API CRDs, the GatewayClasses and shared Gateways in dependency order,
// the IngressClass, and (a stack mid-migration) ingress-nginx ordered after the controller, with its plan warning.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { Ingress, loadBalancerControllerPolicy } from "../../components/ingress";
import { planSubnets } from "../../lib/cidr";
import { platformConfigFor, type PlannedResource, setupMocks, settle } from "../../plan";
import { platformContextFor } from "../helpers/stand-ins";

// prod mid-migration: its Gateways and, acknowledged, the retired ingress-nginx beside them.
const migrating = {
    "eks-platform:ingress": { nginx: { enabled: true, acknowledgeRetired: true, replicas: 3 } },
};
const { recorder } = setupMocks({ stack: "prod", overrides: migrating });
const prodConfig = platformConfigFor({ stack: "prod", overrides: migrating });
const prod = prodConfig.ingress;
const subnetCidrs = planSubnets({ vpcCidr: "10.30.0.0/16", azCount: 3, publicSubnetPrefix: 24, privateSubnetPrefix: 19 });

const args = {
    ctx: platformContextFor(prodConfig),
    vpcId: pulumi.output("vpc-0123"),
    nodeSecurityGroupId: pulumi.output("sg-nodes"),
    vpcCidr: "10.30.0.0/16",
    subnetCidrs,
    metricsScrapers: ["monitoring"],
};
const warn = vi.spyOn(pulumi.log, "warn").mockResolvedValue();
const ingress = new Ingress("ingress", { ...args, config: prod, podsRoutableFromVpc: true });
const warnings = warn.mock.calls.map((c) => c[0]);
warn.mockRestore();
// calico-cni, no nginx, only the internal Gateway.
const overlay = new Ingress("overlay", {
    ...args,
    config: {
        ...prod,
        nginx: { ...prod.nginx, enabled: false },
        gateways: { ...prod.gateways, internetFacing: { ...prod.gateways.internetFacing, enabled: false } },
    },
    podsRoutableFromVpc: false,
});
// No shared Gateway at all: the classes only.
const bare = new Ingress("bare", {
    ...args,
    config: {
        ...prod,
        nginx: { ...prod.nginx, enabled: false },
        gateways: {
            internetFacing: { ...prod.gateways.internetFacing, enabled: false },
            internal: { ...prod.gateways.internal, enabled: false },
        },
    },
    podsRoutableFromVpc: true,
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
            version: "4.13.9",
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

describe("Gateway API: CRDs -> controller -> GatewayClass -> Gateway -> routes", () => {
    const crds = () => single("ingress", "kubernetes:yaml/v2:ConfigFile");
    const lbc = () => single("ingress", RELEASE, "ingress-lbc");
    const gatewayOf = (component: string, name: string) =>
        single(component, "kubernetes:gateway.networking.k8s.io/v1:Gateway", `${component}-${name}-gateway`);

    it("installs the pinned standard channel from the release's manifest, and the controller waits for it", () => {
        expect(crds().inputs).toEqual({
            file: "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml",
        });
        expect(recorder.dependsOn(lbc(), crds())).toBe(true);
        // Nothing the controller serves comes before it: the CRDs depend on none of it.
        expect(crds().dependencies).toEqual([]);
    });

    it("turns the controller's Gateway features on explicitly (no start-up probe that could quietly turn them off)", () => {
        expect(lbc().inputs.values).toMatchObject({
            controllerConfig: { featureGates: { ALBGatewayAPI: true, NLBGatewayAPI: true, GatewayListenerSet: true } },
        });
    });

    it("declares the alb and nlb GatewayClasses after the controller", () => {
        const classes = of("ingress").filter((r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:GatewayClass");
        expect(classes.map((c) => [c.inputs.metadata, (c.inputs.spec as { controllerName: string }).controllerName])).toEqual([
            [{ name: "alb" }, "gateway.k8s.aws/alb"],
            [{ name: "nlb" }, "gateway.k8s.aws/nlb"],
        ]);
        for (const c of classes) expect(recorder.dependsOn(c, lbc())).toBe(true);
        expect(of("bare").filter((r) => r.type.includes("gateway.networking.k8s.io/v1:GatewayClass"))).toHaveLength(2);
    });

    it("makes each enabled shared Gateway after its class, its load balancer and target group settings, and its namespace", () => {
        const albClass = single("ingress", "kubernetes:gateway.networking.k8s.io/v1:GatewayClass", "ingress-gateway-class-alb");
        const ns = single("ingress", "kubernetes:core/v1:Namespace", "ingress-gateways");
        for (const name of ["internet-facing", "internal"]) {
            const gateway = gatewayOf("ingress", name);
            const lbConfig = single("ingress", "kubernetes:gateway.k8s.aws/v1:LoadBalancerConfiguration", `ingress-${name}-lb-config`);
            const targets = single("ingress", "kubernetes:gateway.k8s.aws/v1:TargetGroupConfiguration", `ingress-${name}-targets`);
            for (const before of [albClass, lbConfig, targets, ns]) expect(recorder.dependsOn(gateway, before), before.name).toBe(true);
            // The gateway.k8s.aws kinds come with the controller's chart.
            for (const cfg of [lbConfig, targets]) expect(recorder.dependsOn(cfg, lbc())).toBe(true);
            expect(gateway.inputs).toMatchObject({ metadata: { name, namespace: "gateway-system" }, spec: { gatewayClassName: "alb" } });
            const redirect = single("ingress", "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", `ingress-${name}-https-redirect`);
            expect(recorder.dependsOn(redirect, gateway)).toBe(true);
        }
        // The chain end to end: a route waits for the CRDs through the Gateway, its class and the controller.
        expect(
            recorder.dependsOn(
                single("ingress", "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "ingress-internal-https-redirect"),
                crds(),
            ),
        ).toBe(true);
        expect(ns.inputs.metadata).toMatchObject({
            name: "gateway-system",
            labels: { "pod-security.kubernetes.io/enforce": "restricted" },
        });
    });

    it("declares no Gateway, LoadBalancerConfiguration or namespace for a disabled one", () => {
        expect(
            of("overlay")
                .filter((r) => r.type.endsWith(":Gateway"))
                .map((r) => r.name),
        ).toEqual(["overlay-internal-gateway"]);
        const none = of("bare").filter((r) => /:(Gateway|LoadBalancerConfiguration|HTTPRoute|Namespace)$/.test(r.type));
        expect(none).toEqual([]);
        expect(bare.gatewayAttachments).toEqual({});
    });

    it("hands each Gateway's attachment on: parentRef, namespace label, where its load balancer connects from", () => {
        expect(ingress.gatewayAttachments.internal).toMatchObject({
            namespace: "gateway-system",
            name: "internal",
            sectionName: "https",
            namespaceLabel: { key: "eks-platform/gateway-internal", value: "true" },
            targetType: "ip",
            // ip targets: the internal ALB's own addresses, in the private subnets.
            targetSourceCidrs: subnetCidrs.private,
        });
        expect(ingress.gatewayAttachments.internetFacing?.targetSourceCidrs).toEqual(subnetCidrs.public);
        // instance targets (calico-cni): the nodes forward, from the private subnets.
        expect(overlay.gatewayAttachments.internal).toMatchObject({ targetType: "instance", targetSourceCidrs: subnetCidrs.private });
        const overlayTargets = single("overlay", "kubernetes:gateway.k8s.aws/v1:TargetGroupConfiguration");
        expect(overlayTargets.inputs.spec).toEqual({ defaultConfiguration: { targetType: "instance" } });
    });
});

describe("ingress-nginx during a migration", () => {
    it("prints the retirement warning in the plan, naming the version and the way out", () => {
        expect(warnings).toEqual([
            expect.stringMatching(/^ingress-nginx 4\.13\.9 is retired .*acknowledgeRetired is true.*nginx\.enabled: false/),
        ]);
    });
});
