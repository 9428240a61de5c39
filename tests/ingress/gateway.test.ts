// The Gateway API builders of components/ingress (pure): what each shared Gateway's load balancer gets (scheme,
// subnets by tag, clients, certificates, TLS policy, WAF), who may attach routes, the redirect, where the load
// balancer connects from; the controller's feature gates against the chart; and what the shipped stacks now expose.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import {
    defaultTargetGroupConfigurationObject,
    GATEWAY_FEATURE_GATES,
    gatewayApiStandardInstallUrl,
    gatewayObject,
    httpsRedirectRouteObject,
    loadBalancerConfigurationObject,
    nginxRetirementWarning,
    targetSourceCidrs,
    type SharedGatewayInputs,
} from "../../components/ingress";
import { planSubnets } from "../../lib/cidr";
import { platformConfigFor } from "../../plan";
import { referencePath } from "../helpers/reference";
import { sharedPlan } from "../helpers/shared-plan";

const prod = platformConfigFor("prod").ingress;
const inputs = (key: SharedGatewayInputs["key"], settings: Partial<SharedGatewayInputs["settings"]> = {}): SharedGatewayInputs => ({
    key,
    namespace: "gateway-system",
    targetType: "ip",
    vpcCidr: "10.30.0.0/16",
    settings: { ...prod.gateways[key], ...settings },
});
const CERT_A = "arn:aws:acm:eu-west-1:333333333333:certificate/0b5e7c1a-1f2e-4d3c-9b8a-7f6e5d4c3b2a";
const CERT_B = "arn:aws:acm:eu-west-1:333333333333:certificate/1c6f8d2b-2a3f-4e4d-8c9b-8a7f6e5d4c3b";

describe("LoadBalancerConfiguration of a shared Gateway", () => {
    it("internal: private subnets by their role tag, the VPC as default clients, discovered certificates, the TLS 1.3 policy", () => {
        expect(loadBalancerConfigurationObject(inputs("internal")).spec).toEqual({
            scheme: "internal",
            ipAddressType: "ipv4",
            loadBalancerSubnetsSelector: { "kubernetes.io/role/internal-elb": ["1"] },
            listenerConfigurations: [{ protocolPort: "HTTPS:443", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" }],
            defaultTargetGroupConfiguration: { name: "internal-targets" },
            sourceRanges: ["10.30.0.0/16"],
        });
    });

    it("internet-facing: public subnets, any client, the first certificate the default, the others added, the WAF ACL", () => {
        const acl = "arn:aws:wafv2:eu-west-1:333333333333:regional/webacl/platform/7c1d0a2b-3e4f-4a5b-8c6d-9e0f1a2b3c4d";
        const spec = loadBalancerConfigurationObject(inputs("internetFacing", { certificateArns: [CERT_A, CERT_B], wafAclArn: acl })).spec;
        expect(spec).toMatchObject({
            scheme: "internet-facing",
            loadBalancerSubnetsSelector: { "kubernetes.io/role/elb": ["1"] },
            listenerConfigurations: [{ protocolPort: "HTTPS:443", defaultCertificate: CERT_A, certificates: [CERT_B] }],
            sourceRanges: ["0.0.0.0/0"],
            wafV2: { webACL: acl },
        });
    });

    it("its own security groups replace the controller's (which would carry the source ranges); the targets stay opened", () => {
        const spec = loadBalancerConfigurationObject(inputs("internal", { securityGroupIds: ["sg-0123456789abcdef0"] })).spec;
        expect(spec).toMatchObject({ securityGroups: ["sg-0123456789abcdef0"], manageBackendSecurityGroupRules: true });
        expect(spec).not.toHaveProperty("sourceRanges");
        expect(loadBalancerConfigurationObject(inputs("internal", { sourceRanges: ["10.0.0.0/8"] })).spec).toMatchObject({
            sourceRanges: ["10.0.0.0/8"],
        });
    });

    it("a configured subnet selector replaces the role tag", () => {
        const selector = { "karpenter.sh/discovery": ["eks-platform-prod"] };
        expect(loadBalancerConfigurationObject(inputs("internal", { subnetSelector: selector })).spec).toMatchObject({
            loadBalancerSubnetsSelector: selector,
        });
    });

    it("default target type: ip with the VPC CNI, instance in calico-cni", () => {
        expect(defaultTargetGroupConfigurationObject(inputs("internal")).spec).toEqual({ defaultConfiguration: { targetType: "ip" } });
        expect(defaultTargetGroupConfigurationObject({ ...inputs("internal"), targetType: "instance" }).spec).toEqual({
            defaultConfiguration: { targetType: "instance" },
        });
    });
});

describe("Gateway and redirect", () => {
    it("HTTPS admits HTTP and gRPC routes only from namespaces with the stack's label; HTTP only its own namespace's", () => {
        const g = gatewayObject(inputs("internal", { hostname: "*.internal.example.com" }));
        expect(g.spec).toEqual({
            gatewayClassName: "alb",
            infrastructure: { parametersRef: { group: "gateway.k8s.aws", kind: "LoadBalancerConfiguration", name: "internal" } },
            listeners: [
                {
                    name: "http",
                    protocol: "HTTP",
                    port: 80,
                    allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }] },
                },
                {
                    name: "https",
                    protocol: "HTTPS",
                    port: 443,
                    hostname: "*.internal.example.com",
                    allowedRoutes: {
                        namespaces: { from: "Selector", selector: { matchLabels: { "eks-platform/gateway-internal": "true" } } },
                        kinds: [
                            { group: "gateway.networking.k8s.io", kind: "HTTPRoute" },
                            { group: "gateway.networking.k8s.io", kind: "GRPCRoute" },
                        ],
                    },
                },
            ],
        });
        // No listener admits every namespace.
        expect(JSON.stringify(g)).not.toContain('"All"');
    });

    it("refuses to build a Gateway without its namespace label (the config rule reports it first)", () => {
        expect(() => gatewayObject(inputs("internal", { routeNamespaceLabel: undefined }))).toThrow(/routeNamespaceLabel is required/);
    });

    it("redirects every HTTP request to HTTPS with a 301 on the http listener", () => {
        expect(httpsRedirectRouteObject(inputs("internetFacing"))).toEqual({
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: { name: "internet-facing-https-redirect", namespace: "gateway-system" },
            spec: {
                parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "internet-facing", sectionName: "http" }],
                rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
            },
        });
    });

    it("the CRDs come from the release's standard-install.yaml at the pinned tag", () => {
        expect(gatewayApiStandardInstallUrl("v1.6.2")).toBe(
            "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.2/standard-install.yaml",
        );
    });
});

describe("where a Gateway's load balancer connects to the targets from", () => {
    const subnets = planSubnets({
        vpcCidr: "10.30.0.0/16",
        azCount: 3,
        publicSubnetPrefix: 24,
        privateSubnetPrefix: 19,
        podCidr: "100.64.0.0/16",
    });
    it("ip targets: the subnets the load balancer sits in; instance targets: the nodes' private subnets", () => {
        expect(targetSourceCidrs(["public"], "ip", subnets)).toEqual(subnets.public);
        expect(targetSourceCidrs(["private"], "ip", subnets)).toEqual(subnets.private);
        expect(targetSourceCidrs(["public"], "instance", subnets)).toEqual(subnets.private);
        expect(subnets.public).not.toEqual(subnets.private);
    });
});

describe("load balancer controller feature gates", () => {
    const valuesFile = referencePath("chart-values/aws-load-balancer-controller-3.5.0.yaml");
    it.skipIf(!valuesFile)("are gates the chart 3.5.0 lists under controllerConfig.featureGates", () => {
        const text = fs.readFileSync(valuesFile as string, "utf8");
        const block = text.slice(text.indexOf("controllerConfig:"), text.indexOf("certManagement:"));
        for (const gate of Object.keys(GATEWAY_FEATURE_GATES)) expect(block, gate).toMatch(new RegExp(`^\\s*# ${gate}: true$`, "m"));
    });
});

describe("ingress-nginx's plan warning", () => {
    it("only when it runs", () => {
        expect(nginxRetirementWarning(prod.nginx)).toBeUndefined();
        expect(nginxRetirementWarning({ ...prod.nginx, enabled: true, acknowledgeRetired: true })).toMatch(
            /^ingress-nginx 4\.13\.9 is retired/,
        );
    });
});

describe("what the shipped stacks expose", () => {
    const gatewaysOf = (stack: string) =>
        sharedPlan(stack)
            .resources.filter((r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway")
            .map((r) => (r.inputs.metadata as { name: string }).name)
            .sort();
    it("dev the internal Gateway; staging and prod both; none declares ingress-nginx", () => {
        expect(gatewaysOf("dev")).toEqual(["internal"]);
        expect(gatewaysOf("staging")).toEqual(["internal", "internet-facing"]);
        expect(gatewaysOf("prod")).toEqual(["internal", "internet-facing"]);
        for (const stack of ["dev", "staging", "prod"]) {
            const charts = sharedPlan(stack)
                .resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
                .map((r) => r.inputs.chart);
            expect(charts, stack).not.toContain("ingress-nginx");
            expect(charts, stack).toContain("aws-load-balancer-controller");
            // The alb IngressClass stays for teams still on Ingress.
            expect(sharedPlan(stack).resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:IngressClass")).toHaveLength(1);
        }
    });

    it("the stack outputs name the GatewayClasses and each shared Gateway's parentRef, namespace label and source addresses", () => {
        const subnets = planSubnets({ vpcCidr: "10.30.0.0/16", azCount: 3, publicSubnetPrefix: 24, privateSubnetPrefix: 19 });
        expect(sharedPlan("prod").outputs.gatewayClassNames).toEqual({ alb: "alb", nlb: "nlb" });
        expect(sharedPlan("prod").outputs.sharedGateways).toEqual({
            internetFacing: {
                namespace: "gateway-system",
                name: "internet-facing",
                sectionName: "https",
                namespaceLabel: { key: "eks-platform/gateway-internet-facing", value: "true" },
                targetSourceCidrs: subnets.public,
            },
            internal: {
                namespace: "gateway-system",
                name: "internal",
                sectionName: "https",
                namespaceLabel: { key: "eks-platform/gateway-internal", value: "true" },
                targetSourceCidrs: subnets.private,
            },
        });
    });
});
