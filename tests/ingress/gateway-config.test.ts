// Config rules of the Gateway API settings (eks-platform:ingress.gatewayApi and .gateways): each bad input gets one
// problem naming the key path, the value and the rule, before any resource is declared.
import { describe, expect, it } from "vitest";
import { hostMatchesListener } from "../../lib/gateways";
import { configProblems, problemLine } from "../helpers/config";

const problemsFor = (stack: string, overrides: Record<string, unknown>): string[] => configProblems({ stack, overrides }).map(problemLine);
const ingress = (value: Record<string, unknown>) => ({ "eks-platform:ingress": value });
const internal = (value: Record<string, unknown>) => ingress({ gateways: { internal: value } });
const CERT = "arn:aws:acm:eu-west-1:333333333333:certificate/0b5e7c1a-1f2e-4d3c-9b8a-7f6e5d4c3b2a";

describe("eks-platform:ingress.gatewayApi", () => {
    it("accepts a v1.6 patch as the one-line upgrade, refuses another minor or a typo", () => {
        expect(problemsFor("dev", ingress({ gatewayApi: { version: "v1.6.2" } }))).toEqual([]);
        expect(problemsFor("dev", ingress({ gatewayApi: { version: "v1.7.0" } }))).toEqual([
            'eks-platform:ingress.gatewayApi.version: must be a Gateway API v1.6.x release such as v1.6.1 (the load balancer controller 3.5.0 is built for Gateway API v1.6) (got "v1.7.0")',
        ]);
        expect(problemsFor("dev", ingress({ gatewayApi: { version: "1.6.1" } }))).toEqual([
            expect.stringMatching(/^eks-platform:ingress\.gatewayApi\.version: must be a Gateway API v1\.6\.x release/),
        ]);
    });
});

describe("eks-platform:ingress.gateways", () => {
    it("an enabled Gateway without the namespace label that admits routes is refused", () => {
        expect(problemsFor("dev", ingress({ gateways: { internetFacing: { enabled: true } } }))).toEqual([
            "eks-platform:ingress.gateways.internetFacing.routeNamespaceLabel: is required when the Gateway is enabled: routes attach only " +
                'from namespaces carrying this label (e.g. { key: eks-platform/gateway-internal, value: "true" }), never from every namespace (got nothing)',
        ]);
        expect(problemsFor("dev", ingress({ gateways: { internetFacing: { enabled: false } } }))).toEqual([]);
        expect(problemsFor("dev", internal({ routeNamespaceLabel: { key: "Team Label", value: "x" } }))).toEqual([
            expect.stringMatching(
                /^eks-platform:ingress\.gateways\.internal\.routeNamespaceLabel\.key: must be a Kubernetes qualified name/,
            ),
        ]);
        expect(problemsFor("dev", internal({ routeNamespaceLabel: { key: "team", value: "" } }))).toEqual([
            'eks-platform:ingress.gateways.internal.routeNamespaceLabel.value: must not be empty (got "")',
        ]);
    });

    it("a certificate of another region is refused, naming its index and both regions", () => {
        expect(problemsFor("prod", internal({ certificateArns: [CERT] }))).toEqual([]);
        const elsewhere = CERT.replace("eu-west-1", "us-east-1");
        expect(problemsFor("prod", internal({ certificateArns: [CERT, elsewhere] }))).toEqual([
            `eks-platform:ingress.gateways.internal.certificateArns[1]: must be a certificate of eu-west-1 (aws:region), not us-east-1: a load balancer takes ACM certificates of its own region only (got "${elsewhere}")`,
        ]);
        expect(problemsFor("prod", internal({ certificateArns: ["arn:aws:iam::333333333333:server-certificate/x"] }))).toEqual([
            expect.stringMatching(/^eks-platform:ingress\.gateways\.internal\.certificateArns\[0\]: must be an ACM certificate ARN/),
        ]);
    });

    it("a WAF web ACL must be regional and in the stack's region", () => {
        const acl = "arn:aws:wafv2:eu-west-1:333333333333:regional/webacl/platform/7c1d0a2b-3e4f-4a5b-8c6d-9e0f1a2b3c4d";
        expect(problemsFor("prod", internal({ wafAclArn: acl }))).toEqual([]);
        expect(problemsFor("prod", internal({ wafAclArn: acl.replace("eu-west-1", "eu-central-1") }))).toEqual([
            expect.stringMatching(
                /^eks-platform:ingress\.gateways\.internal\.wafAclArn: must be a web ACL of eu-west-1 \(aws:region\), not eu-central-1/,
            ),
        ]);
        const cloudFront = acl.replace("eu-west-1", "us-east-1").replace("regional/", "global/");
        expect(problemsFor("prod", internal({ wafAclArn: cloudFront }))).toEqual([
            expect.stringMatching(
                /^eks-platform:ingress\.gateways\.internal\.wafAclArn: must be a regional web ACL: global \(CloudFront\)/,
            ),
        ]);
    });

    it("an internal Gateway with no internal subnets is refused, and an internet-facing one off the public subnets", () => {
        expect(problemsFor("prod", internal({ subnetSelector: { "kubernetes.io/role/elb": ["1"] } }))).toEqual([
            'eks-platform:ingress.gateways.internal.subnetSelector: selects no private subnet (it selects the public subnets): an internal Gateway needs the private subnets (tagged kubernetes.io/role/internal-elb=1) (got {"kubernetes.io/role/elb":["1"]})',
        ]);
        expect(problemsFor("prod", internal({ subnetSelector: { "kubernetes.io/role/internal-elb": ["true"] } }))).toEqual([
            expect.stringMatching(
                /^eks-platform:ingress\.gateways\.internal\.subnetSelector: selects no private subnet: an internal Gateway/,
            ),
        ]);
        // The discovery tag Karpenter reads selects the private subnets too: accepted.
        expect(problemsFor("prod", internal({ subnetSelector: { "karpenter.sh/discovery": ["eks-platform-prod"] } }))).toEqual([]);
        expect(
            problemsFor(
                "prod",
                ingress({ gateways: { internetFacing: { subnetSelector: { "karpenter.sh/discovery": ["eks-platform-prod"] } } } }),
            ),
        ).toEqual([
            expect.stringMatching(
                /^eks-platform:ingress\.gateways\.internetFacing\.subnetSelector: selects no public subnet \(it selects the private subnets\)/,
            ),
        ]);
        expect(problemsFor("prod", internal({ subnetSelector: {} }))).toEqual([
            "eks-platform:ingress.gateways.internal.subnetSelector: must name at least one tag (got {})",
        ]);
    });

    it("its own security groups exclude source ranges (the controller applies them only to a group it makes)", () => {
        expect(problemsFor("prod", internal({ securityGroupIds: ["sg-0123456789abcdef0"], sourceRanges: ["10.0.0.0/8"] }))).toEqual([
            expect.stringMatching(/^eks-platform:ingress\.gateways\.internal\.sourceRanges: must be absent when securityGroupIds is set/),
        ]);
        expect(problemsFor("prod", internal({ sourceRanges: ["10.0.0.1/8"] }))).toEqual([
            expect.stringMatching(/^eks-platform:ingress\.gateways\.internal\.sourceRanges\[0\]: must be an IPv4 network/),
        ]);
    });

    it("Grafana's host needs the internal Gateway, and a host its listener admits", () => {
        const grafana = (host: string) => ({ "eks-platform:observability": { grafana: { ingressHost: host } } });
        expect(problemsFor("dev", grafana("grafana.dev.example.com"))).toEqual([]);
        // dev's team and smoke workload attach to the internal Gateway too: without it, all three are refused.
        expect(problemsFor("dev", { ...grafana("grafana.dev.example.com"), ...internal({ enabled: false }) })).toEqual([
            'eks-platform:observability.grafana.ingressHost: needs eks-platform:ingress.gateways.internal.enabled: Grafana is exposed through the internal Gateway (an HTTPRoute) (got "grafana.dev.example.com")',
            "eks-platform:smoke.enabled: needs the internal Gateway (eks-platform:ingress.gateways.internal.enabled): the smoke HTTPRoute attaches to it (got true)",
            'eks-platform:teams.teams[0].gateways[0]: must name a shared Gateway the stack enables: eks-platform:ingress.gateways.internal.enabled is false (got "internal")',
        ]);
        expect(problemsFor("dev", { ...grafana("grafana.example.com"), ...internal({ hostname: "*.internal.example.com" }) })).toEqual([
            'eks-platform:observability.grafana.ingressHost: must match the internal Gateway\'s hostname *.internal.example.com: the listener admits no other host (got "grafana.example.com")',
        ]);
        expect(
            problemsFor("dev", { ...grafana("grafana.internal.example.com"), ...internal({ hostname: "*.internal.example.com" }) }),
        ).toEqual([]);
    });

    it("every problem at once: one mistake never hides another", () => {
        const lines = problemsFor("prod", {
            "eks-platform:ingress": {
                ingressClass: { scheme: "public" },
                gateways: { internal: { certificateArns: [CERT.replace("eu-west-1", "us-west-2")] } },
                nginx: { enabled: true },
            },
        });
        expect(lines.map((l) => l.slice(0, l.indexOf(": ")))).toEqual([
            "eks-platform:ingress.ingressClass.scheme",
            "eks-platform:ingress.nginx.acknowledgeRetired",
            "eks-platform:ingress.gateways.internal.certificateArns[0]",
        ]);
    });
});

describe("hostMatchesListener", () => {
    it("follows Gateway API's rule: exact, or exactly one label under a leading wildcard", () => {
        expect(hostMatchesListener("a.example.com", undefined)).toBe(true);
        expect(hostMatchesListener("a.example.com", "a.example.com")).toBe(true);
        expect(hostMatchesListener("b.example.com", "a.example.com")).toBe(false);
        expect(hostMatchesListener("a.example.com", "*.example.com")).toBe(true);
        expect(hostMatchesListener("a.b.example.com", "*.example.com")).toBe(false);
        expect(hostMatchesListener("example.com", "*.example.com")).toBe(false);
        expect(hostMatchesListener("aexample.com", "*.example.com")).toBe(false);
    });
});
