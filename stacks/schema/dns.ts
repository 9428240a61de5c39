// The eks-platform:dns section: external-dns (Helm, pinned) writing the records of Services, Ingresses and
// HTTPRoutes into the Route 53 zones listed here, and only those: its Pod Identity role may change no other zone.
import { z } from "zod";
import { chartVersion, type DeepPartial, type Environment } from "./common";
import { defineRule, problems, type Rule } from "./rule";

/** external-dns's policies (chart values.yaml `policy`): create-only, upsert-only (never deletes), sync. */
export const EXTERNAL_DNS_POLICIES = ["create-only", "upsert-only", "sync"] as const;
/** The sources the platform offers (external-dns chart 1.21.1 RBAC covers them: templates/clusterrole.yaml). */
export const EXTERNAL_DNS_SOURCES = ["service", "ingress", "gateway-httproute", "gateway-grpcroute"] as const;

/** A DNS name such as example.com: lowercase labels, at least two. */
const domainName = z
    .string()
    .regex(/^(?=.{4,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a DNS name such as example.com (no trailing dot)");

export const dnsSchema = z
    .strictObject({
        externalDns: z
            .strictObject({
                enabled: z.boolean().describe("Install external-dns (needs zones)."),
                chartVersion: chartVersion.describe(
                    "The external-dns chart (https://kubernetes-sigs.github.io/external-dns/); 1.21.1 is external-dns v0.21.0.",
                ),
                policy: z
                    .enum(EXTERNAL_DNS_POLICIES, { message: `must be one of ${EXTERNAL_DNS_POLICIES.join(", ")}` })
                    .describe(
                        "upsert-only never deletes a record; sync also deletes the records it owns (TXT registry) once their source goes.",
                    ),
                sources: z
                    .array(z.enum(EXTERNAL_DNS_SOURCES, { message: `must be one of ${EXTERNAL_DNS_SOURCES.join(", ")}` }))
                    .min(1, "must list at least one source")
                    .describe("Kubernetes objects whose hostnames become records."),
                zones: z
                    .array(
                        z
                            .strictObject({
                                id: z
                                    .string()
                                    .regex(/^Z[0-9A-Z]{1,31}$/, "must be a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ")
                                    .describe("The hosted zone's ID."),
                                domain: domainName.describe("The zone's domain (external-dns's domain filter)."),
                            })
                            .describe("A Route 53 hosted zone."),
                    )
                    .describe(
                        "The hosted zones external-dns manages: its role may change records in these only (route53:ChangeResourceRecordSets on their ARNs).",
                    ),
            })
            .describe("external-dns (kubernetes-sigs/external-dns) for Route 53."),
    })
    .describe("DNS records from the cluster: external-dns.");
export type DnsConfig = z.infer<typeof dnsSchema>;

/** kubernetes-sigs/external-dns tag external-dns-helm-chart-1.21.1 (9f264513, 2026-04-30): appVersion 0.21.0. */
export const EXTERNAL_DNS_CHART_VERSION = "1.21.1";

const edns: DeepPartial<z.input<typeof dnsSchema>> = {
    externalDns: {
        enabled: false,
        chartVersion: EXTERNAL_DNS_CHART_VERSION,
        policy: "upsert-only",
        sources: ["service", "ingress", "gateway-httproute"],
        zones: [],
    },
};
export const dnsDefaults: Record<Environment, DeepPartial<z.input<typeof dnsSchema>>> = { dev: edns, staging: edns, prod: edns };

export const dnsRules: readonly Rule<{ dns: DnsConfig }>[] = [
    defineRule({
        needs: ["dns.externalDns"],
        summary: "external-dns needs at least one zone; zone IDs are unique",
        reports: ["eks-platform:dns.externalDns.zones"],
        check: ({ dns }) => {
            const p = problems();
            const e = dns.externalDns;
            if (e.enabled && e.zones.length === 0)
                p.add(
                    ["eks-platform:dns", "externalDns", "zones"],
                    "must list at least one Route 53 hosted zone while externalDns.enabled: its role may change records only in the zones listed",
                );
            const ids = new Set<string>();
            e.zones.forEach((zone, i) => {
                if (ids.has(zone.id))
                    p.add(["eks-platform:dns", "externalDns", "zones", i, "id"], `must be unique: ${zone.id} is listed twice`);
                ids.add(zone.id);
            });
            return p.list;
        },
    }),
];
