import { z } from "zod";
import { chartVersion, dnsLabel, type Environment } from "./common";
import { defineRule, problems, type Rule } from "./rule";

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
                enabled: z.boolean().describe("Install ingress-nginx."),
                chartVersion: chartVersion.describe("The ingress-nginx chart version."),
                replicas: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 10")
                    .max(10, "must be between 1 and 10")
                    .describe("Controller replicas."),
                scheme: scheme.describe("The NLB's scheme."),
            })
            .describe("ingress-nginx behind an NLB made by the load balancer controller."),
    })
    .describe("Ingress: the load balancer controller and its classes.");
export type IngressConfig = z.infer<typeof ingressSchema>;

const at = (...path: (string | number)[]) => ["eks-platform:ingress", ...path];

export const ingressRules: readonly Rule<{ environment: Environment; ingress: IngressConfig }>[] = [
    defineRule({
        needs: ["environment", "ingress.loadBalancerController"],
        summary: "prod: at least 2 controllers (its webhooks fail closed)",
        reports: ["eks-platform:ingress.loadBalancerController.replicas"],
        check: ({ environment, ingress }) => {
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
        needs: ["environment", "ingress.nginx"],
        summary: "prod: at least 2 ingress-nginx replicas",
        reports: ["eks-platform:ingress.nginx.replicas"],
        check: ({ environment, ingress }) => {
            const p = problems();
            if (environment === "prod" && ingress.nginx.enabled && ingress.nginx.replicas < 2)
                p.add(at("nginx", "replicas"), "must be at least 2 in prod so ingress-nginx survives the loss of a node");
            return p.list;
        },
    }),
];

const common = {
    loadBalancerController: { chartVersion: "3.5.0", replicas: 2 },
    ingressClass: { name: "alb", scheme: "internet-facing", default: true },
    nginx: { enabled: false, chartVersion: "4.13.3", replicas: 2, scheme: "internet-facing" },
} as const;

export const ingressDefaults: Record<Environment, Partial<z.input<typeof ingressSchema>>> = { dev: common, staging: common, prod: common };
