// The eks-platform:smoke section: a small workload that shows, after `up`, that the platform serves traffic the way
// teams will use it (a Deployment behind ClusterIP, NodePort, an NLB and the internal Gateway). Off by default, on
// in dev.
import { z } from "zod";
import type { DeepPartial, Environment } from "./common";
import type { IngressConfig } from "./ingress";
import { defineRule, problems, writtenFields, type Rule, type Written } from "./rule";

/** A host name for the smoke route: lowercase DNS labels, at least two. */
const hostName = z
    .string()
    .regex(/^(?=.{4,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a DNS name such as smoke.dev.example.com");

export const smokeSchema = z
    .strictObject({
        enabled: z.boolean().describe("Deploy the smoke workload (namespace smoke) and its Services and HTTPRoute."),
        replicas: z
            .number()
            .int()
            .min(2, "must be between 2 and 6: the PDB keeps one running and the zone spread needs two to mean anything")
            .max(6, "must be between 2 and 6: the PDB keeps one running and the zone spread needs two to mean anything")
            .describe("Pods of the smoke Deployment, spread over zones."),
        host: hostName
            .optional()
            .describe(
                "The HTTPRoute's hostname on the internal Gateway (required while enabled): the Gateway's HTTPS listener serves it with the certificate ACM has for it.",
            ),
    })
    .describe("The smoke workload: the platform serves traffic after `up`.");
export type SmokeConfig = z.infer<typeof smokeSchema>;

export const smokeDefaults: Record<Environment, DeepPartial<z.input<typeof smokeSchema>>> = {
    dev: { enabled: true, replicas: 2 },
    staging: { enabled: false, replicas: 2 },
    prod: { enabled: false, replicas: 2 },
};

export const smokeRules: readonly Rule<{ smoke: SmokeConfig; ingress: IngressConfig; written: Written }>[] = [
    defineRule({
        needs: ["smoke", "ingress.gateways"],
        summary:
            "the smoke workload needs the internal Gateway (its HTTPRoute attaches there) and a host; its host is refused while it is off",
        reports: ["eks-platform:smoke.enabled", "eks-platform:smoke"],
        check: ({ smoke, ingress, written }) => {
            const p = problems();
            if (smoke.enabled && !ingress.gateways.internal.enabled)
                p.add(
                    ["eks-platform:smoke", "enabled"],
                    "needs the internal Gateway (eks-platform:ingress.gateways.internal.enabled): the smoke HTTPRoute attaches to it",
                );
            if (smoke.enabled && smoke.host === undefined)
                p.add(
                    ["eks-platform:smoke", "host"],
                    "is required while smoke.enabled: the route is served on the internal Gateway's HTTPS listener, whose certificate the load balancer controller finds in ACM by the route's host",
                );
            if (!smoke.enabled)
                for (const field of writtenFields(written, "eks-platform:smoke").filter((f) => f !== "enabled" && f !== "replicas"))
                    p.add(["eks-platform:smoke", field], "has no effect while smoke.enabled is false: remove it");
            return p.list;
        },
    }),
];
