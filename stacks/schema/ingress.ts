import { z } from "zod";
import { chartVersion, dnsLabel, type Environment } from "./common";

export const ingressSchema = z.strictObject({
    loadBalancerController: z.strictObject({
        chartVersion,
        replicas: z.number().int().min(1, "must be between 1 and 5").max(5, "must be between 1 and 5"),
    }),
    /** The default IngressClass (controller ingress.k8s.aws/alb) and the ALB scheme its IngressClassParams set. */
    ingressClass: z.strictObject({
        name: dnsLabel,
        scheme: z.enum(["internet-facing", "internal"], { message: "must be internet-facing or internal" }),
    }),
    /** ingress-nginx behind an NLB made by the load balancer controller. */
    nginx: z.strictObject({
        enabled: z.boolean(),
        chartVersion,
        replicas: z.number().int().min(1, "must be between 1 and 10").max(10, "must be between 1 and 10"),
    }),
});
export type IngressConfig = z.infer<typeof ingressSchema>;

const common = {
    loadBalancerController: { chartVersion: "3.5.0" },
    nginx: { enabled: false, chartVersion: "4.13.3", replicas: 2 },
};

export const ingressDefaults: Record<Environment, Partial<z.input<typeof ingressSchema>>> = {
    dev: { loadBalancerController: { ...common.loadBalancerController, replicas: 2 }, ingressClass: { name: "alb", scheme: "internet-facing" }, nginx: common.nginx },
    staging: { loadBalancerController: { ...common.loadBalancerController, replicas: 2 }, ingressClass: { name: "alb", scheme: "internet-facing" }, nginx: common.nginx },
    prod: { loadBalancerController: { ...common.loadBalancerController, replicas: 2 }, ingressClass: { name: "alb", scheme: "internet-facing" }, nginx: common.nginx },
};
