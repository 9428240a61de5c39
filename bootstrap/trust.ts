// Trust policies of the pipeline roles: who may assume them, as typed documents. Only GitHub Actions jobs of this
// repository, through GitHub's OIDC provider, with StringEquals on exact values (no StringLike, no wildcards).
//
// Claims AWS STS evaluates (condition keys `token.actions.githubusercontent.com:<claim>`):
//  - `aud` and `sub`: the standard OIDC keys (IAM User Guide, "Available keys for AWS OIDC federation");
//  - `repository_id`, `repository_owner_id`, `ref`, `environment`, ...: GitHub's own claims, which STS validates since
//    2026-01 (https://aws.amazon.com/about-aws/whats-new/2026/01/aws-sts-supports-validation-identity-provider-claims/;
//    listed for sts:AssumeRoleWithWebIdentity in the Service Authorization Reference).
//
// The `sub` forms (https://docs.github.com/en/actions/reference/security/oidc): a job in an environment gets
// `<prefix>:environment:<name>`, whatever its trigger; otherwise a pull_request run gets `<prefix>:pull_request` and a
// branch run `<prefix>:ref:refs/heads/<branch>`. `<prefix>` is `repo:<owner>/<repo>`, or with immutable subject claims
// (default for repositories created, renamed or transferred after GitHub's 2026 cut-over; github/docs#45221)
// `repo:<owner>@<ownerId>/<repo>@<repositoryId>`.
import type { PolicyDocument } from "../components/lib/iam";
import type { GithubConfig } from "./config";
import { GITHUB_OIDC_HOST, STS_AUDIENCE } from "./names";

export type RepositoryIdentity = Pick<GithubConfig, "owner" | "repository" | "subjectFormat" | "ownerId" | "repositoryId">;

export const claimKey = (claim: string): string => `${GITHUB_OIDC_HOST}:${claim}`;

/** The part of every `sub` claim that names the repository. */
export function subjectPrefix(repo: RepositoryIdentity): string {
    if (repo.subjectFormat === "names") return `repo:${repo.owner}/${repo.repository}`;
    if (repo.ownerId === undefined || repo.repositoryId === undefined)
        throw new Error("immutable subject claims need ownerId and repositoryId (the config schema requires them)");
    return `repo:${repo.owner}@${repo.ownerId}/${repo.repository}@${repo.repositoryId}`;
}

export const environmentSubject = (repo: RepositoryIdentity, environment: string): string =>
    `${subjectPrefix(repo)}:environment:${environment}`;
export const pullRequestSubject = (repo: RepositoryIdentity): string => `${subjectPrefix(repo)}:pull_request`;
export const branchSubject = (repo: RepositoryIdentity, branch: string): string => `${subjectPrefix(repo)}:ref:refs/heads/${branch}`;

/**
 * One statement: the GitHub provider may assume the role by web identity when the audience is STS's, the subject is
 * one of `subjects`, and (when the ids are configured) the repository and its owner are the ones with those ids, so a
 * recycled name can never match even under the `names` subject format.
 */
function githubTrust(providerArn: string, repo: RepositoryIdentity, subjects: readonly string[], claims: Record<string, string> = {}) {
    const ids: Record<string, string> = {};
    if (repo.repositoryId !== undefined) ids[claimKey("repository_id")] = repo.repositoryId;
    if (repo.ownerId !== undefined) ids[claimKey("repository_owner_id")] = repo.ownerId;
    const document: PolicyDocument = {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GitHubActionsOfThisRepository",
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [claimKey("aud")]: STS_AUDIENCE,
                        [claimKey("sub")]: subjects.length === 1 ? (subjects[0] as string) : [...subjects],
                        ...ids,
                        ...claims,
                    },
                },
            },
        ],
    };
    return document;
}

/**
 * The deploy role of a stack: only jobs running in that stack's GitHub environment, and only on the default branch.
 * The environment's protection rules (required reviewers for prod, deployment branches `main`) gate the job before
 * GitHub mints its token; the `ref` claim holds even if an environment's branch policy is left open, so a pull
 * request's workflow that names the environment (its sub would match) still gets no credentials.
 */
export function deployTrustPolicy(
    providerArn: string,
    repo: RepositoryIdentity,
    environment: string,
    defaultBranch: string,
): PolicyDocument {
    return githubTrust(providerArn, repo, [environmentSubject(repo, environment)], { [claimKey("ref")]: `refs/heads/${defaultBranch}` });
}

/**
 * The preview role of a stack: jobs without an environment, from pull requests (`pulumi preview` in preview.yml;
 * GitHub gives fork pull requests no token) and from the default branch (the scheduled drift check in drift.yml and
 * its workflow_dispatch). Other branches' pushes get nothing: no workflow previews them. Jobs in an environment never
 * match: their subject names the environment, and those jobs deploy.
 */
export function previewTrustPolicy(
    providerArn: string,
    repo: RepositoryIdentity,
    options: { pullRequests: boolean; defaultBranch: string },
): PolicyDocument {
    const subjects = [...(options.pullRequests ? [pullRequestSubject(repo)] : []), branchSubject(repo, options.defaultBranch)];
    return githubTrust(providerArn, repo, subjects);
}
