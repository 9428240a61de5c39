// Helm values of self-managed Argo CD (argoproj/argo-helm argo-cd chart, 10.x: the paths checked against 10.1.1's
// values.yaml and rendered with `helm template`; see tests/argocd/values.test.ts). On the system nodes, HA when asked
// (the chart's README, "High Availability": redis-ha, two replicas of the server, repo server and ApplicationSet
// controller), SSO through OIDC with the client secret referenced from a Kubernetes Secret (never in the values), and
// no admin password in the values at all: with SSO the local admin is disabled, without it Argo CD generates the
// initial password into the argocd-initial-admin-secret Secret on first start.
import type { PlatformConfig } from "../../stacks/config";
import { placementValues, type Placement } from "../lib/placement";

type ArgoCd = PlatformConfig["delivery"]["argocd"];

/** The chart's repository (https; the same chart is at oci://ghcr.io/argoproj/argo-helm/argo-cd). */
export const ARGOCD_CHART = { chart: "argo-cd", repo: "https://argoproj.github.io/argo-helm" } as const;
export const ARGOCD_RELEASE = "argocd";

/**
 * The Secret holding the OIDC client secret: Argo CD resolves `$<secret>:<key>` in argocd-cm from a Secret labelled
 * app.kubernetes.io/part-of: argocd (Argo CD operator manual, "SSO: sensitive data and SSO client secrets").
 */
export const SSO_SECRET = { name: "argocd-sso", key: "clientSecret" } as const;

/** The oidc.config block of argocd-cm (a YAML document in a string; JSON is YAML). */
export function oidcConfig(sso: NonNullable<ArgoCd["sso"]>): string {
    return JSON.stringify({
        name: "SSO",
        issuer: sso.issuer,
        clientID: sso.clientId,
        clientSecret: `$${SSO_SECRET.name}:${SSO_SECRET.key}`,
        requestedScopes: ["openid", "profile", "email", "groups"],
    });
}

/** argocd-rbac-cm's policy.csv: the configured groups to the built-in roles; nobody else gets anything. */
export function rbacPolicy(sso: ArgoCd["sso"]): string {
    if (!sso) return "";
    return [...sso.adminGroups.map((g) => `g, ${g}, role:admin`), ...sso.readonlyGroups.map((g) => `g, ${g}, role:readonly`)].join("\n");
}

export function argocdValues(a: ArgoCd, system: Placement): Record<string, unknown> {
    const placement = placementValues(system);
    const replicas = a.ha ? 2 : 1;
    const pdb = { enabled: a.ha, minAvailable: 1 };
    return {
        global: { ...(a.host ? { domain: a.host } : {}), ...placement },
        // The CRDs come with the release and stay when it goes (the Applications in them outlive an uninstall).
        crds: { install: true, keep: true },
        configs: {
            cm: {
                // No admin user with SSO; without it, Argo CD's own generated initial password (never in the values).
                "admin.enabled": !a.sso,
                "exec.enabled": false,
                ...(a.sso ? { "oidc.config": oidcConfig(a.sso) } : {}),
            },
            rbac: { "policy.default": "", "policy.csv": rbacPolicy(a.sso), scopes: "[groups]" },
            secret: { createSecret: true },
        },
        // One controller: more replicas shard clusters between them, and this Argo CD manages one cluster.
        controller: { replicas: 1 },
        server: { replicas, pdb },
        repoServer: { replicas, pdb },
        applicationSet: { replicas, pdb },
        // Dex is not needed: oidc.config talks to the issuer directly.
        dex: { enabled: false },
        "redis-ha": { enabled: a.ha, ...placement },
    };
}
