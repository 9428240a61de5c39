// The bootstrap program under Pulumi's mock runtime: what it declares for an account, with the inputs that matter,
// and the documents it renders evaluated as IAM would (the trust policies, the boundary wired to the real keys).
import { describe, expect, it } from "vitest";
import { parseBootstrapConfig, type BootstrapConfig } from "../../bootstrap/config";
import { MANAGED_POLICY_MAX_CHARS } from "../../bootstrap/deploy-policy";
import { documentInput, exampleConfig, mockKeyArn, planBootstrap, type BootstrapPlan } from "./mocks";
import { ACCOUNT, assumeWithWebIdentity, claims, GITHUB_PROVIDER, request } from "./simulate";

function config(changes: Record<string, unknown> = {}): BootstrapConfig {
    const raw: Record<string, unknown> = { ...exampleConfig(), ...changes };
    for (const [k, v] of Object.entries(changes)) if (v === undefined) delete raw[k];
    return parseBootstrapConfig(raw, "nonprod");
}

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const KEY = "aws:kms/key:Key";
const PIPELINE = `arn:aws:iam::${ACCOUNT}:role/eks-platform-pipeline`;

/** The ARN the mocks gave a KMS key, checking the program declared it. */
const keyArn = (plan: BootstrapPlan, name: string) => {
    plan.one(KEY, name);
    return mockKeyArn(name, ACCOUNT, "eu-west-1");
};

describe("an account hosting dev and staging, with self-managed state", async () => {
    const plan = await planBootstrap(config());

    it("creates GitHub's OIDC provider for STS's audience, without a thumbprint", () => {
        const provider = plan.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github");
        expect(provider.inputs.url).toBe("https://token.actions.githubusercontent.com");
        expect(provider.inputs.clientIdLists).toEqual(["sts.amazonaws.com"]);
        expect(provider.inputs.thumbprintLists).toBeUndefined();
    });

    it("runs only against the configured account, in its region", () => {
        const provider = plan.one("pulumi:providers:aws", "aws");
        expect(provider.inputs.region).toBe("eu-west-1");
        expect(JSON.parse(String(provider.inputs.allowedAccountIds))).toEqual([ACCOUNT]);
    });

    it.each(["dev", "staging"])("gives %s a deploy role its environment's jobs on main can assume, and no other", async (stack) => {
        const role = plan.one(ROLE, `${stack}-deploy`);
        expect(role.inputs).toMatchObject({
            name: `eks-platform-${stack}-deploy`,
            path: "/eks-platform-pipeline/",
            maxSessionDuration: 10800,
        });
        const trust = documentInput(role, "assumeRolePolicy");
        const token = (sub: string) =>
            claims({ aud: "sts.amazonaws.com", sub, ref: "refs/heads/main", repository_id: "456789", repository_owner_id: "123456" });
        const prefix = "repo:acme@123456/eks-platform@456789";
        const arn = `${PIPELINE}/eks-platform-${stack}-deploy`;
        expect(await assumeWithWebIdentity(trust, arn, token(`${prefix}:environment:${stack}`))).toBe("Allowed");
        const other = stack === "dev" ? "staging" : "dev";
        expect(await assumeWithWebIdentity(trust, arn, token(`${prefix}:environment:${other}`))).toBe("ImplicitlyDenied");
        expect(await assumeWithWebIdentity(trust, arn, token(`${prefix}:pull_request`))).toBe("ImplicitlyDenied");
    });

    it("gives each stack a preview role for pull requests and main, with ReadOnlyAccess and its own policy", async () => {
        const role = plan.one(ROLE, "dev-preview");
        const trust = documentInput(role, "assumeRolePolicy");
        const arn = `${PIPELINE}/eks-platform-dev-preview`;
        const token = (sub: string, ref: string) =>
            claims({ aud: "sts.amazonaws.com", sub, ref, repository_id: "456789", repository_owner_id: "123456" });
        expect(
            await assumeWithWebIdentity(trust, arn, token("repo:acme@123456/eks-platform@456789:pull_request", "refs/pull/1/merge")),
        ).toBe("Allowed");
        expect(
            await assumeWithWebIdentity(trust, arn, token("repo:acme@123456/eks-platform@456789:ref:refs/heads/main", "refs/heads/main")),
        ).toBe("Allowed");
        expect(
            await assumeWithWebIdentity(trust, arn, token("repo:acme@123456/eks-platform@456789:environment:dev", "refs/heads/main")),
        ).toBe("ImplicitlyDenied");
        const attached = plan.byType(ATTACHMENT).filter((a) => a.name.startsWith("dev-preview"));
        expect(attached.map((a) => a.inputs.policyArn).sort()).toEqual(
            [
                "arn:aws:iam::aws:policy/ReadOnlyAccess",
                `arn:aws:iam::${ACCOUNT}:policy/eks-platform-pipeline/eks-platform-dev-preview`,
            ].sort(),
        );
    });

    it("bounds both roles of a stack by that stack's boundary", () => {
        const boundary = `arn:aws:iam::${ACCOUNT}:policy/eks-platform-pipeline/eks-platform-dev-boundary`;
        expect(plan.one(ROLE, "dev-deploy").inputs.permissionsBoundary).toBe(boundary);
        expect(plan.one(ROLE, "dev-preview").inputs.permissionsBoundary).toBe(boundary);
        expect(plan.one(POLICY, "dev-boundary").inputs).toMatchObject({
            name: "eks-platform-dev-boundary",
            path: "/eks-platform-pipeline/",
        });
    });

    it("attaches the deploy policies, each under the managed-policy size, wired to the real state and secrets keys", async () => {
        const attached = plan.byType(ATTACHMENT).filter((a) => a.name.startsWith("dev-deploy"));
        expect(attached.map((a) => a.inputs.policyArn).sort()).toEqual([
            `arn:aws:iam::${ACCOUNT}:policy/eks-platform-pipeline/eks-platform-dev-deploy-identity`,
            `arn:aws:iam::${ACCOUNT}:policy/eks-platform-pipeline/eks-platform-dev-deploy-platform`,
        ]);
        const policies = {
            platform: documentInput(plan.one(POLICY, "dev-deploy-platform"), "policy"),
            identity: documentInput(plan.one(POLICY, "dev-deploy-identity"), "policy"),
        };
        for (const document of Object.values(policies))
            expect(JSON.stringify(document).length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
        const dev = {
            arn: `${PIPELINE}/eks-platform-dev-deploy`,
            policies,
            boundary: documentInput(plan.one(POLICY, "dev-boundary"), "policy"),
        };
        const keyPolicy = { resourcePolicy: documentInput(plan.one(KEY, "dev-secrets"), "policy") };
        const via = { "kms:ViaService": "s3.eu-west-1.amazonaws.com" };
        expect(await request(dev, "kms:GenerateDataKey", keyArn(plan, "state"), via, keyPolicy)).toBe("Allowed");
        expect(await request(dev, "kms:Encrypt", keyArn(plan, "dev-secrets"), {}, keyPolicy)).toBe("Allowed");
        expect(await request(dev, "kms:Decrypt", keyArn(plan, "staging-secrets"), {}, keyPolicy)).toBe("ExplicitlyDenied");
        expect(await request(dev, "kms:ScheduleKeyDeletion", keyArn(plan, "state"), {}, keyPolicy)).toBe("ExplicitlyDenied");
        const state = "arn:aws:s3:::acme-eks-platform-state-111111111111";
        expect(await request(dev, "s3:PutObject", `${state}/.pulumi/stacks/eks-platform/dev.json`)).toBe("Allowed");
        expect(await request(dev, "s3:PutObject", `${state}/.pulumi/stacks/eks-platform/staging.json`)).toBe("ImplicitlyDenied");
    });

    it("keeps state in a protected, versioned, KMS-encrypted, private, owner-enforced, TLS-only bucket", () => {
        const bucket = plan.one("aws:s3/bucket:Bucket", "state");
        expect(bucket.inputs.bucket).toBe("acme-eks-platform-state-111111111111");
        expect(bucket.protect).toBe(true);
        expect(bucket.inputs.forceDestroy).not.toBe(true);
        expect(plan.one("aws:s3/bucketVersioning:BucketVersioning", "state").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
        expect(
            plan.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "state").inputs.rules,
        ).toEqual([
            {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn(plan, "state") },
                bucketKeyEnabled: true,
            },
        ]);
        expect(plan.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "state").inputs).toMatchObject({
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        expect(plan.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "state").inputs.rule).toEqual({
            objectOwnership: "BucketOwnerEnforced",
        });
        const policy = documentInput<{ Statement: { Effect: string; Condition?: unknown }[] }>(
            plan.one("aws:s3/bucketPolicy:BucketPolicy", "state"),
            "policy",
        );
        expect(policy.Statement).toEqual([
            expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": false } } }),
        ]);
    });

    it("protects and rotates the state key and one secrets key per stack", () => {
        for (const name of ["state", "dev-secrets", "staging-secrets"]) {
            const key = plan.one(KEY, name);
            expect(key.protect, name).toBe(true);
            expect(key.inputs.enableKeyRotation, name).toBe(true);
        }
        expect(
            plan
                .byType("aws:kms/alias:Alias")
                .map((a) => a.inputs.name)
                .sort(),
        ).toEqual([
            "alias/eks-platform-pipeline/dev-secrets",
            "alias/eks-platform-pipeline/staging-secrets",
            "alias/eks-platform-pipeline/state",
        ]);
    });

    it("outputs what the stack files and the workflows take, by name", () => {
        expect(plan.outputs).toMatchObject({
            accountId: ACCOUNT,
            region: "eu-west-1",
            oidcProviderArn: GITHUB_PROVIDER,
            backendUrl: "s3://acme-eks-platform-state-111111111111?region=eu-west-1",
            stateBucketName: "acme-eks-platform-state-111111111111",
            stacks: {
                dev: {
                    environment: "dev",
                    deployRoleArn: `${PIPELINE}/eks-platform-dev-deploy`,
                    previewRoleArn: `${PIPELINE}/eks-platform-dev-preview`,
                    secretsProvider: "awskms://alias/eks-platform-pipeline/dev-secrets?region=eu-west-1",
                },
            },
            githubVariables: {
                repository: {
                    AWS_REGION: "eu-west-1",
                    PULUMI_BACKEND_URL: "s3://acme-eks-platform-state-111111111111?region=eu-west-1",
                    AWS_PREVIEW_ROLE_ARN_DEV: `${PIPELINE}/eks-platform-dev-preview`,
                    AWS_PREVIEW_ROLE_ARN_STAGING: `${PIPELINE}/eks-platform-staging-preview`,
                },
                environments: { staging: { AWS_DEPLOY_ROLE_ARN: `${PIPELINE}/eks-platform-staging-deploy` } },
            },
        });
    });
});

describe("an account with Pulumi Cloud state and an existing GitHub provider", async () => {
    const existing = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const plan = await planBootstrap(
        config({
            "bootstrap:stateBucket": undefined,
            "bootstrap:stacks": [{ name: "prod", previewFromPullRequests: false }],
            "bootstrap:github": { ...(exampleConfig()["bootstrap:github"] as object), oidcProviderArn: existing },
        }),
    );

    it("declares no provider, bucket or key, and trusts the existing provider", async () => {
        expect(plan.byType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toEqual([]);
        expect(plan.byType("aws:s3/bucket:Bucket")).toEqual([]);
        expect(plan.byType(KEY)).toEqual([]);
        const trust = documentInput(plan.one(ROLE, "prod-deploy"), "assumeRolePolicy");
        const token = claims({
            aud: "sts.amazonaws.com",
            sub: "repo:acme@123456/eks-platform@456789:environment:prod",
            ref: "refs/heads/main",
            repository_id: "456789",
            repository_owner_id: "123456",
        });
        expect(await assumeWithWebIdentity(trust, `${PIPELINE}/eks-platform-prod-deploy`, token, existing)).toBe("Allowed");
    });

    it("grants no state access and keeps prod's preview from pull requests", async () => {
        const identity = documentInput<{ Statement: { Sid?: string }[] }>(plan.one(POLICY, "prod-deploy-identity"), "policy");
        expect(identity.Statement.map((s) => s.Sid)).not.toContain("WriteStackState");
        const trust = documentInput(plan.one(ROLE, "prod-preview"), "assumeRolePolicy");
        const token = (sub: string) => claims({ aud: "sts.amazonaws.com", sub, repository_id: "456789", repository_owner_id: "123456" });
        const arn = `${PIPELINE}/eks-platform-prod-preview`;
        expect(await assumeWithWebIdentity(trust, arn, token("repo:acme@123456/eks-platform@456789:pull_request"))).toBe(
            "ImplicitlyDenied",
        );
        expect(await assumeWithWebIdentity(trust, arn, token("repo:acme@123456/eks-platform@456789:ref:refs/heads/main"))).toBe("Allowed");
        expect(plan.outputs.backendUrl).toBeUndefined();
        expect(plan.outputs.githubVariables).toEqual({
            repository: { AWS_REGION: "eu-west-1", AWS_PREVIEW_ROLE_ARN_PROD: arn },
            environments: { prod: { AWS_DEPLOY_ROLE_ARN: `${PIPELINE}/eks-platform-prod-deploy` } },
        });
    });
});

describe("SSE-S3 state without secrets keys", async () => {
    const plan = await planBootstrap(config({ "bootstrap:stateBucket": { name: "acme-state", encryption: "AES256", secretsKeys: false } }));

    it("encrypts with AES256 and makes no key", () => {
        expect(plan.byType(KEY)).toEqual([]);
        expect(
            plan.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "state").inputs.rules,
        ).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }]);
        expect((plan.outputs.stacks as Record<string, object>).dev).not.toHaveProperty("secretsProvider");
    });
});
