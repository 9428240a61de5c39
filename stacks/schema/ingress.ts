import { z } from "zod";
import { chartVersion, dnsLabel, type Environment } from "./common";

export const LOAD_BALANCER_SCHEMES = ["internet-facing", "internal"] as const;
const scheme = z.enum(LOAD_BALANCER_SCHEMES, { message: "must be internet-facing or internal" });

export const ingressSchema = z.strictObject({
    loadBalancerController: z.strictObject({
        /** The aws-load-balancer-controller chart (https://aws.github.io/eks-charts); its IAM policy is pinned to it. */
        chartVersion,
        replicas: z.number().int().min(1, "must be between 1 and 5").max(5, "must be between 1 and 5"),
    }),
    /** The default IngressClass (controller ingress.k8s.aws/alb) and the ALB scheme its IngressClassParams set. */
    ingressClass: z.strictObject({
        name: dnsLabel,
        scheme,
        /** Mark it the cluster's default IngressClass (ingressclass.kubernetes.io/is-default-class). */
        default: z.boolean(),
    }),
    /** ingress-nginx behind an NLB made by the load balancer controller. */
    nginx: z.strictObject({
        enabled: z.boolean(),
        chartVersion,
        replicas: z.number().int().min(1, "must be between 1 and 10").max(10, "must be between 1 and 10"),
        /** The NLB's scheme. */
        scheme,
    }),
});
export type IngressConfig = z.infer<typeof ingressSchema>;

const common = {
    loadBalancerController: { chartVersion: "3.5.0" },
    ingressClass: { name: "alb", scheme: "internet-facing", default: true },
    nginx: { enabled: false, chartVersion: "4.13.3", replicas: 2, scheme: "internet-facing" },
} as const;

export const ingressDefaults: Record<Environment, Partial<z.input<typeof ingressSchema>>> = {
    dev: {
        loadBalancerController: { ...common.loadBalancerController, replicas: 2 },
        ingressClass: common.ingressClass,
        nginx: common.nginx,
    },
    staging: {
        loadBalancerController: { ...common.loadBalancerController, replicas: 2 },
        ingressClass: common.ingressClass,
        nginx: common.nginx,
    },
    prod: {
        loadBalancerController: { ...common.loadBalancerController, replicas: 2 },
        ingressClass: common.ingressClass,
        nginx: common.nginx,
    },
};
