// The Gateway API part of eks-platform:ingress: the standard-channel CRDs the program installs (gatewayApi) and the
// shared Gateways a stack offers (gateways.internetFacing, gateways.internal), each an ALB made by the load balancer
// controller. Its rules read other sections (the region of certificate and WAF ARNs, the subnets a selector lands
// on, Grafana's host): they run whenever those parsed (stacks/config.ts).
import { z } from "zod";
import { hostMatchesListener, SHARED_GATEWAY_KEYS, SHARED_GATEWAYS, type SharedGatewayKey } from "../../lib/gateways";
import { LOAD_BALANCER_SUBNET_ROLE, selectedRoles, type SubnetRole } from "../../lib/subnets";
import type { ClusterConfig } from "./cluster";
import { cidr, dnsLabel, labelKey, labelValue } from "./common";
import type { NetworkConfig } from "./network";
import type { ObservabilityConfig } from "./observability";
import { defineRule, problems, type Rule } from "./rule";

/**
 * The Gateway API minor the pinned load balancer controller is built for: v3.5.0 says "built for Gateway API version
 * v1.6.0" (kubernetes-sigs/aws-load-balancer-controller docs/guide/gateway/gateway.md at v3.5.0); v1.6 is also the
 * first minor with TCPRoute and UDPRoute in the standard channel, which its NLB Gateways need. Move it with the chart.
 */
export const GATEWAY_API_MINOR = "v1.6";
const gatewayApiVersion = z
    .string()
    .regex(
        new RegExp(`^${GATEWAY_API_MINOR.replace(".", "\\.")}\\.\\d+$`),
        `must be a Gateway API ${GATEWAY_API_MINOR}.x release such as ${GATEWAY_API_MINOR}.1 (the load balancer controller 3.5.0 is built for Gateway API ${GATEWAY_API_MINOR})`,
    );

/** An ACM certificate ARN (arn:<partition>:acm:<region>:<account>:certificate/<id>). */
const ACM_ARN = /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:certificate\/[0-9a-f-]{36}$/;
/** A WAFv2 web ACL ARN (arn:<partition>:wafv2:<region>:<account>:<scope>/webacl/<name>/<id>). */
const WAF_ACL_ARN = /^arn:aws[a-z-]*:wafv2:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:(regional|global)\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/;
/** A Gateway listener hostname (Gateway API's own pattern), at least two labels, optionally a leading wildcard. */
const LISTENER_HOSTNAME = /^(?=.{4,253}$)(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const certificateArn = z
    .string()
    .regex(ACM_ARN, "must be an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/<uuid>");

const gatewaySchema = (scheme: "internet-facing" | "internal") =>
    z
        .strictObject({
            enabled: z.boolean().describe(`Offer the shared ${scheme} Gateway (one ALB, HTTPS on 443, HTTP on 80 redirected to HTTPS).`),
            routeNamespaceLabel: z
                .strictObject({
                    key: labelKey.describe("The label's key."),
                    value: labelValue.min(1, "must not be empty").describe("The label's value."),
                })
                .optional()
                .describe(
                    "Routes attach to the HTTPS listener only from namespaces carrying this label (key and value); required when enabled.",
                ),
            hostname: z
                .string()
                .regex(LISTENER_HOSTNAME, "must be a host name such as apps.example.com or *.apps.example.com (no scheme, port or path)")
                .optional()
                .describe("The HTTPS listener's hostname: routes must match it; certificate discovery uses it. Any host when absent."),
            certificateArns: z
                .array(certificateArn)
                .describe(
                    "ACM certificates of the HTTPS listener (the first is the default, in the stack's region); when empty the controller discovers them in ACM by the listener's and the routes' host names.",
                ),
            sslPolicy: z
                .string()
                .regex(
                    /^ELBSecurityPolicy-[A-Za-z0-9-]+$/,
                    "must be an ELB security policy name such as ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
                )
                .describe("The HTTPS listener's TLS security policy."),
            sourceRanges: z
                .array(cidr())
                .optional()
                .describe(
                    "Client CIDRs the load balancer's security group admits on 80 and 443; default 0.0.0.0/0 (internet-facing) or the VPC CIDR (internal).",
                ),
            securityGroupIds: z
                .array(z.string().regex(/^sg-[0-9a-f]{8}([0-9a-f]{9})?$/, "must be a security group id such as sg-0123456789abcdef0"))
                .optional()
                .describe(
                    "Your own security groups for the load balancer instead of the one the controller makes (it still opens the targets).",
                ),
            wafAclArn: z
                .string()
                .regex(WAF_ACL_ARN, "must be a WAFv2 web ACL ARN such as arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/<name>/<id>")
                .optional()
                .describe("A regional WAFv2 web ACL to associate with the load balancer."),
            subnetSelector: z
                .record(z.string().min(1).max(128), z.array(z.string().max(256)).min(1, "must list at least one tag value"))
                .refine((s) => Object.keys(s).length > 0, { message: "must name at least one tag" })
                .optional()
                .describe(
                    `Subnets by tag (key -> values) instead of the ${LOAD_BALANCER_SUBNET_ROLE[scheme]} subnets' role tag; must select the Network's ${LOAD_BALANCER_SUBNET_ROLE[scheme]} subnets only.`,
                ),
        })
        .describe(`The shared ${scheme} Gateway.`);

export const gatewayApiSchema = z
    .strictObject({
        version: gatewayApiVersion.describe(
            "The Gateway API release whose standard-channel CRDs the program installs (kubernetes-sigs/gateway-api standard-install.yaml at this tag).",
        ),
        namespace: dnsLabel.describe(
            "The namespace of the shared Gateways, their load balancer configurations and the HTTP redirect route.",
        ),
    })
    .describe("Gateway API: CRDs and where the shared Gateways live.");

export const gatewaysSchema = z
    .strictObject({
        internetFacing: gatewaySchema("internet-facing"),
        internal: gatewaySchema("internal"),
    })
    .describe("The shared Gateways (ALBs) application teams attach HTTPRoutes to.");

export type GatewayApiConfig = z.infer<typeof gatewayApiSchema>;
export type GatewaysConfig = z.infer<typeof gatewaysSchema>;
export type SharedGatewayConfig = GatewaysConfig[SharedGatewayKey];

const DEFAULT_GATEWAY = {
    enabled: false,
    certificateArns: [] as string[],
    // The ALB console's default policy (TLS 1.3 and 1.2, post-quantum key exchange); without one the controller would
    // use ELBSecurityPolicy-2016-08, which still accepts TLS 1.0 (AWS ELB docs, "Security policies for your
    // Application Load Balancer", as of 2026-12).
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
};
export const gatewayDefaults: { gatewayApi: GatewayApiConfig; gateways: z.input<typeof gatewaysSchema> } = {
    gatewayApi: { version: `${GATEWAY_API_MINOR}.1`, namespace: "gateway-system" },
    gateways: { internetFacing: DEFAULT_GATEWAY, internal: DEFAULT_GATEWAY },
};

/** Region of an ACM or WAFv2 ARN (the patterns above checked it already). */
const regionOf = (arn: string): string | undefined => arn.split(":")[3];

const at = (...path: (string | number)[]) => ["eks-platform:ingress", ...path];
const gw = (key: SharedGatewayKey, ...path: (string | number)[]) => at("gateways", key, ...path);
const enabledGateways = (g: GatewaysConfig) => SHARED_GATEWAY_KEYS.filter((k) => g[k].enabled);

interface View {
    stack: string;
    region: string;
    cluster: ClusterConfig;
    network: NetworkConfig;
    observability: ObservabilityConfig;
    ingress: { gateways: GatewaysConfig; gatewayApi: GatewayApiConfig };
}

export const gatewayRules: readonly Rule<View>[] = [
    defineRule({
        needs: ["ingress.gateways"],
        summary: "an enabled shared Gateway names the namespace label that admits routes; its own security groups exclude sourceRanges",
        reports: SHARED_GATEWAY_KEYS.flatMap((k) => [
            `eks-platform:ingress.gateways.${k}.routeNamespaceLabel`,
            `eks-platform:ingress.gateways.${k}.sourceRanges`,
        ]),
        check: ({ ingress: { gateways } }) => {
            const p = problems();
            for (const key of enabledGateways(gateways)) {
                const g = gateways[key];
                if (!g.routeNamespaceLabel)
                    p.add(
                        gw(key, "routeNamespaceLabel"),
                        "is required when the Gateway is enabled: routes attach only from namespaces carrying this label " +
                            '(e.g. { key: eks-platform/gateway-internal, value: "true" }), never from every namespace',
                    );
                if (g.securityGroupIds && g.sourceRanges)
                    p.add(
                        gw(key, "sourceRanges"),
                        "must be absent when securityGroupIds is set: the controller applies source ranges only to a security group it makes",
                    );
            }
            return p.list;
        },
    }),
    defineRule({
        needs: ["region", "ingress.gateways"],
        summary: "certificates and the WAF web ACL of a shared Gateway are in the stack's region (the ACL regional)",
        reports: SHARED_GATEWAY_KEYS.flatMap((k) => [
            `eks-platform:ingress.gateways.${k}.certificateArns`,
            `eks-platform:ingress.gateways.${k}.wafAclArn`,
        ]),
        check: ({ region, ingress: { gateways } }) => {
            const p = problems();
            for (const key of SHARED_GATEWAY_KEYS) {
                const g = gateways[key];
                g.certificateArns.forEach((arn, i) => {
                    const certRegion = regionOf(arn);
                    if (certRegion !== region)
                        p.add(
                            gw(key, "certificateArns", i),
                            `must be a certificate of ${region} (aws:region), not ${certRegion ?? "?"}: a load balancer takes ACM certificates of its own region only`,
                        );
                });
                if (g.wafAclArn) {
                    const [, , , aclRegion, , resource] = g.wafAclArn.split(":");
                    if (resource?.startsWith("global/"))
                        p.add(gw(key, "wafAclArn"), "must be a regional web ACL: global (CloudFront) ACLs cannot protect a load balancer");
                    else if (aclRegion !== region)
                        p.add(gw(key, "wafAclArn"), `must be a web ACL of ${region} (aws:region), not ${aclRegion ?? "?"}`);
                }
            }
            return p.list;
        },
    }),
    defineRule({
        needs: ["ingress.gateways", "cluster.name", "network.podCidr"],
        summary: "a shared Gateway's subnetSelector selects the Network's subnets of its scheme only (public or private)",
        reports: SHARED_GATEWAY_KEYS.map((k) => `eks-platform:ingress.gateways.${k}.subnetSelector`),
        check: ({ stack, cluster, network, ingress: { gateways } }) => {
            const p = problems();
            const clusterName = cluster.name ?? `eks-platform-${stack}`;
            for (const key of SHARED_GATEWAY_KEYS) {
                const selector = gateways[key].subnetSelector;
                if (!selector) continue;
                const scheme = SHARED_GATEWAYS[key].scheme;
                const wanted: SubnetRole = LOAD_BALANCER_SUBNET_ROLE[scheme];
                const roles = selectedRoles(selector, clusterName, network.podCidr !== undefined);
                const other = roles.filter((r) => r !== wanted);
                if (!roles.includes(wanted))
                    p.add(
                        gw(key, "subnetSelector"),
                        `selects no ${wanted} subnet${roles.length > 0 ? ` (it selects the ${roles.join(" and ")} subnets)` : ""}: ` +
                            `an ${scheme} Gateway needs the ${wanted} subnets (tagged ${wanted === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"}=1)`,
                    );
                else if (other.length > 0)
                    p.add(gw(key, "subnetSelector"), `must select the ${wanted} subnets only, not the ${other.join(" and ")} subnets`);
            }
            return p.list;
        },
    }),
    defineRule({
        needs: ["observability.grafana", "ingress.gateways"],
        summary: "grafana.ingressHost is served by the internal Gateway: it must be enabled and its hostname must admit the host",
        reports: ["eks-platform:observability.grafana.ingressHost"],
        check: ({ observability: { grafana }, ingress: { gateways } }) => {
            const p = problems();
            const host = grafana.ingressHost;
            if (host === undefined) return p.list;
            const internal = gateways.internal;
            if (!internal.enabled)
                p.add(
                    ["eks-platform:observability", "grafana", "ingressHost"],
                    "needs eks-platform:ingress.gateways.internal.enabled: Grafana is exposed through the internal Gateway (an HTTPRoute)",
                );
            else if (!hostMatchesListener(host, internal.hostname))
                p.add(
                    ["eks-platform:observability", "grafana", "ingressHost"],
                    `must match the internal Gateway's hostname ${internal.hostname ?? ""}: the listener admits no other host`,
                );
            return p.list;
        },
    }),
];
