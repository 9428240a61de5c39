import { z } from "zod";
import { chartVersion, dnsLabel, type Environment } from "./common";
import { gatewayApiSchema, gatewayDefaults, gatewayRules, gatewaysSchema } from "./gateway";
import { defineRule, problems, type Rule } from "./rule";

export { GATEWAY_API_MINOR, type GatewayApiConfig, type GatewaysConfig, type SharedGatewayConfig } from "./gateway";

/**
 * ingress-nginx's last chart of the 4.13 line (controller v1.13.9, kubernetes/ingress-nginx tag helm-chart-4.13.9,
 * 279297c6, 2026-03-19): the project was retired on 2026-03-24 and publishes nothing after it. Only a stack in the
 * middle of its migration to the Gateways may still run it, and only with nginx.acknowledgeRetired.
 */
export const NGINX_LAST_CHART_VERSION = "4.13.9";

export const LOAD_BALANCER_SCHEMES = ["internet-facing", "internal"] as const;
const scheme = z.enum(LOAD_BALANCER_SCHEMES, { message: "must be internet-facing or internal" });

export const ingressSchema = z
    .strictObject({
        loadBalancerController: z
            .strictObject({
                chartVersion: chartVersion.describe(
                    "The aws-load-balancer-controller chart (aws.github.io/eks-charts); its IAM policy is pinned to it.",
                ),
                replicas: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 5")
                    .max(5, "must be between 1 and 5")
                    .describe("Controller replicas."),
            })
            .describe("The AWS Load Balancer Controller."),
        ingressClass: z
            .strictObject({
                name: dnsLabel.describe("The IngressClass's name (controller ingress.k8s.aws/alb)."),
                scheme: scheme.describe("The ALB scheme its IngressClassParams set."),
                default: z.boolean().describe("Mark it the cluster's default IngressClass."),
            })
            .describe("The ALB IngressClass, for teams on Ingress."),
        nginx: z
            .strictObject({
                enabled: z
                    .boolean()
                    .describe(
                        "Install ingress-nginx (retired upstream on 2026-03-24; for a migration window only, with acknowledgeRetired).",
                    ),
                acknowledgeRetired: z
                    .boolean()
                    .describe(
                        "Required with enabled: you know ingress-nginx gets no fixes (CVEs included) and are moving its Ingresses to the Gateways.",
                    ),
                chartVersion: chartVersion.describe(
                    `The ingress-nginx chart version (its last 4.13 release is ${NGINX_LAST_CHART_VERSION}).`,
                ),
                replicas: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 10")
                    .max(10, "must be between 1 and 10")
                    .describe("Controller replicas."),
                scheme: scheme.describe("The NLB's scheme."),
            })
            .describe("ingress-nginx behind an NLB made by the load balancer controller: retired, off in every shipped stack."),
        gatewayApi: gatewayApiSchema,
        gateways: gatewaysSchema,
    })
    .describe("Ingress: the load balancer controller, Gateway API (CRDs, classes, the shared Gateways) and the ALB IngressClass.");
export type IngressConfig = z.infer<typeof ingressSchema>;

const at = (...path: (string | number)[]) => ["eks-platform:ingress", ...path];

export const ingressRules: readonly Rule<never>[] = [
    defineRule({
        needs: ["environment", "ingress.loadBalancerController"],
        summary: "prod: at least 2 controllers (its webhooks fail closed)",
        reports: ["eks-platform:ingress.loadBalancerController.replicas"],
        check: ({ environment, ingress }: { environment: Environment; ingress: IngressConfig }) => {
            const p = problems();
            if (environment === "prod" && ingress.loadBalancerController.replicas < 2)
                p.add(
                    at("loadBalancerController", "replicas"),
                    "must be at least 2 in prod: the controller's webhooks fail closed, one replica blocks Services and Ingresses while it restarts",
                );
            return p.list;
        },
    }),
    defineRule({
        needs: ["ingress.nginx"],
        summary: "ingress-nginx (retired) only with nginx.acknowledgeRetired",
        reports: ["eks-platform:ingress.nginx.acknowledgeRetired"],
        check: ({ ingress }: { ingress: IngressConfig }) => {
            const p = problems();
            if (ingress.nginx.enabled && !ingress.nginx.acknowledgeRetired)
                p.add(
                    at("nginx", "acknowledgeRetired"),
                    "must be true to enable ingress-nginx: the project was retired on 2026-03-24 (no releases, no CVE fixes); " +
                        "move its Ingresses to the shared Gateways (README, Migrating from Ingress) and turn nginx off",
                );
            return p.list;
        },
    }),
    defineRule({
        needs: ["environment", "ingress.nginx"],
        summary: "prod: at least 2 ingress-nginx replicas",
        reports: ["eks-platform:ingress.nginx.replicas"],
        check: ({ environment, ingress }: { environment: Environment; ingress: IngressConfig }) => {
            const p = problems();
            if (environment === "prod" && ingress.nginx.enabled && ingress.nginx.replicas < 2)
                p.add(at("nginx", "replicas"), "must be at least 2 in prod so ingress-nginx survives the loss of a node");
            return p.list;
        },
    }),
    ...gatewayRules,
];

const common = {
    loadBalancerController: { chartVersion: "3.5.0", replicas: 2 },
    ingressClass: { name: "alb", scheme: "internet-facing", default: true },
    nginx: { enabled: false, acknowledgeRetired: false, chartVersion: NGINX_LAST_CHART_VERSION, replicas: 2, scheme: "internet-facing" },
    ...gatewayDefaults,
} as const;

export const ingressDefaults: Record<Environment, Partial<z.input<typeof ingressSchema>>> = { dev: common, staging: common, prod: common };
