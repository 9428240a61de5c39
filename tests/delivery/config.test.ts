// The delivery section's rules: each bad input gets one clear error naming the setting, the value and the rule.
import { describe, expect, it } from "vitest";
import { configProblems, problemLine } from "../helpers/config";
import { platformConfigFor, rawConfigFor } from "../../plan";
import { ConfigError, parsePlatformConfig, type ConfigProblem } from "../../stacks/config";

const lines = (stack: string, overrides: Record<string, unknown>) => configProblems({ stack, overrides }).map(problemLine);

/** The problems of a stack file with delivery settings removed (overrides merge; they cannot delete a key). */
function withoutDelivery(stack: string, keys: string[], codebuildKeys: string[] = []): string[] {
    const raw = rawConfigFor({ stack });
    const delivery = { ...(raw["eks-platform:delivery"] as Record<string, unknown>) };
    for (const k of keys) delete delivery[k];
    const codebuild = { ...(delivery.codebuild as Record<string, unknown>) };
    for (const k of codebuildKeys) delete codebuild[k];
    raw["eks-platform:delivery"] = { ...delivery, codebuild };
    try {
        parsePlatformConfig(raw, stack);
        return [];
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return err.problems.map((p: ConfigProblem) => problemLine(p));
    }
}

describe("eks-platform:delivery", () => {
    it("the shipped stacks parse, with the pipeline roles and the CodeBuild runner", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const d = platformConfigFor(stack).delivery;
            expect(d.runner).toBe("codebuild");
            expect(d.deployRoleArn).toContain(`eks-platform-${stack}-deploy`);
            expect(d.workflows).toBe(true);
        }
        expect(platformConfigFor("prod").delivery.argocd.mode).toBe("managed");
        expect(platformConfigFor("dev").delivery.argocd).toMatchObject({ mode: "self-managed", chartVersion: "10.4.0", ha: false });
    });

    it("refuses a prod stack whose deploy role has no access entry", () => {
        expect(withoutDelivery("prod", ["deployRoleArn"])).toEqual([
            expect.stringMatching(
                /^eks-platform:delivery\.deployRoleArn: is required in prod: the pipeline deploys prod.*\(got nothing\)$/,
            ),
        ]);
        // dev may go without one (it is then deployed by hand).
        expect(withoutDelivery("dev", ["deployRoleArn"])).toEqual([]);
    });

    it("refuses a pipeline role that cluster.accessEntries lists too (one access entry per principal)", () => {
        const arn = platformConfigFor("staging").delivery.previewRoleArn;
        const entries = [...platformConfigFor("staging").cluster.accessEntries, { principalArn: arn, accessPolicy: "view" }];
        expect(lines("staging", { "eks-platform:cluster": { accessEntries: entries } })).toEqual([
            expect.stringMatching(/^eks-platform:delivery\.previewRoleArn: is also listed in eks-platform:cluster\.accessEntries/),
        ]);
        expect(lines("dev", { "eks-platform:delivery": { previewRoleArn: platformConfigFor("dev").delivery.deployRoleArn } })).toEqual([
            expect.stringMatching(/^eks-platform:delivery\.previewRoleArn: must differ from deployRoleArn/),
        ]);
    });

    it("refuses a role that is not a role ARN", () => {
        expect(lines("dev", { "eks-platform:delivery": { deployRoleArn: "arn:aws:iam::111111111111:user/ci" } })).toEqual([
            expect.stringMatching(/^eks-platform:delivery\.deployRoleArn: must be an IAM role ARN/),
        ]);
    });

    it("needs the repository and the connection for the CodeBuild runner, the label for a self-hosted one", () => {
        expect(withoutDelivery("dev", ["repository"], ["connectionArn"])).toEqual([
            expect.stringMatching(/^eks-platform:delivery\.repository: is required with runner codebuild/),
            expect.stringMatching(/^eks-platform:delivery\.codebuild\.connectionArn: is required with runner codebuild/),
        ]);
        expect(lines("dev", { "eks-platform:delivery": { runner: "self-hosted-label" } })).toEqual([
            expect.stringMatching(/^eks-platform:delivery\.runnerLabel: is required with runner self-hosted-label/),
        ]);
        expect(lines("dev", { "eks-platform:delivery": { runner: "self-hosted-label", runnerLabel: "eks-platform-dev" } })).toEqual([]);
    });

    it("refuses GitHub-hosted runners for a private endpoint and warns that their addresses must be listed", () => {
        expect(lines("prod", { "eks-platform:delivery": { runner: "github-hosted" } })).toEqual([
            expect.stringMatching(/^eks-platform:delivery\.runner: cannot be github-hosted with a private-only endpoint/),
        ]);
        const dev = platformConfigFor({ stack: "dev", overrides: { "eks-platform:delivery": { runner: "github-hosted" } } });
        expect(dev.warnings.map((w) => w.path)).toContain("eks-platform:delivery.runner");
    });

    it("self-managed Argo CD: prod needs SSO, SSO needs the host and the client secret, HA needs three system nodes", () => {
        expect(lines("prod", { "eks-platform:delivery": { argocd: { mode: "self-managed" } } })).toEqual([
            expect.stringMatching(/^eks-platform:delivery\.argocd\.sso: is required in prod/),
            expect.stringMatching(/^eks-platform:delivery\.argocd\.identityCenter: applies to mode managed only/),
        ]);
        const sso = { issuer: "https://idp.example.com", clientId: "argocd", adminGroups: ["platform"], readonlyGroups: [] };
        expect(lines("dev", { "eks-platform:delivery": { argocd: { sso } } })).toEqual([
            expect.stringMatching(/^eks-platform:delivery\.argocd\.host: is required with sso/),
            expect.stringMatching(/^eks-platform:argocdSsoClientSecret: is required with eks-platform:delivery\.argocd\.sso/),
        ]);
        expect(
            lines("dev", {
                "eks-platform:delivery": { argocd: { sso, host: "argocd.dev.example.com" } },
                "eks-platform:argocdSsoClientSecret": "s3cr3t",
            }),
        ).toEqual([]);
        expect(
            lines("dev", {
                "eks-platform:delivery": { argocd: { ha: true } },
                "eks-platform:cluster": { systemNodeGroup: { minSize: 2, desiredSize: 2 } },
            }),
        ).toEqual([
            expect.stringMatching(
                /^eks-platform:delivery\.argocd\.ha: needs eks-platform:cluster\.systemNodeGroup\.minSize of at least 3 \(it is 2\)/,
            ),
        ]);
        // staging's system node group has three nodes: HA fits.
        expect(lines("staging", { "eks-platform:delivery": { argocd: { ha: true } } })).toEqual([]);
    });

    it("managed Argo CD needs IAM Identity Center and takes no OIDC settings", () => {
        expect(lines("dev", { "eks-platform:delivery": { argocd: { mode: "managed" } } })).toEqual([
            expect.stringMatching(/^eks-platform:delivery\.argocd\.identityCenter: is required with mode managed/),
        ]);
    });
});
