// The eks-platform:certificates section: cert-manager, installed by the platform (Helm, pinned) for what needs
// certificates inside the cluster: the ADOT operator's admission webhooks first, teams' Certificates next.
import { z } from "zod";
import { chartVersion, type DeepPartial, type Environment } from "./common";
import { defineRule, problems, type Rule } from "./rule";

export const certificatesSchema = z
    .strictObject({
        certManager: z
            .strictObject({
                enabled: z.boolean().describe("Install cert-manager (its CRDs with it, kept on uninstall) on the system nodes."),
                chartVersion: chartVersion.describe(
                    "The cert-manager chart (https://charts.jetstack.io); the chart's version is the app's, v1.21.1.",
                ),
                replicas: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 3")
                    .max(3, "must be between 1 and 3")
                    .describe(
                        "Replicas of the controller, webhook and CA injector each (leader-elected; 2 or more get a PDB, the chart's README advises 2 or 3 in production).",
                    ),
            })
            .describe("cert-manager (cert-manager/cert-manager)."),
    })
    .describe("Certificates in the cluster: cert-manager.");
export type CertificatesConfig = z.infer<typeof certificatesSchema>;

/** cert-manager/cert-manager v1.21.1 (24e33194, 2026-07-29): the newest tag; the chart is released with the app. */
export const CERT_MANAGER_CHART_VERSION = "v1.21.1";

const cm = (replicas: number): DeepPartial<z.input<typeof certificatesSchema>> => ({
    certManager: { enabled: true, chartVersion: CERT_MANAGER_CHART_VERSION, replicas },
});
export const certificatesDefaults: Record<Environment, DeepPartial<z.input<typeof certificatesSchema>>> = {
    dev: cm(1),
    staging: cm(2),
    prod: cm(2),
};

export const certificatesRules: readonly Rule<{ environment: Environment; certificates: CertificatesConfig }>[] = [
    defineRule({
        needs: ["environment", "certificates.certManager"],
        summary: "prod: at least 2 replicas of each cert-manager part (its webhook fails closed for cert-manager.io objects)",
        reports: ["eks-platform:certificates.certManager.replicas"],
        check: ({ environment, certificates }) => {
            const p = problems();
            const c = certificates.certManager;
            if (environment === "prod" && c.enabled && c.replicas < 2)
                p.add(
                    ["eks-platform:certificates", "certManager", "replicas"],
                    "must be at least 2 in prod: cert-manager's webhook is failurePolicy Fail for cert-manager.io objects, so one replica's restart blocks every Certificate change",
                );
            return p.list;
        },
    }),
];
