// The teams' ECR repositories: what each stack declares, and the repository policy under the IAM simulator (only the
// team's CI role pushes, even against another role whose own policy allows it).
import { describe, expect, it } from "vitest";
import { ECR_WRITE_ACTIONS, teamLifecyclePolicy, teamRepositoryPolicy } from "../../components/teams";
import { platformConfigFor, type PlannedResource } from "../../plan";
import { ACCOUNT, request } from "../bootstrap/simulate";
import { sharedPlan } from "../helpers/shared-plan";

const byType = (stack: string, type: string) => sharedPlan(stack).resources.filter((r) => r.type === type);
const REPOSITORY = "aws:ecr/repository:Repository";

describe("repositories per stack", () => {
    it.each([
        ["dev", ["eks-platform-dev/storefront/web"]],
        ["staging", ["eks-platform-staging/storefront/web", "eks-platform-staging/storefront/api", "eks-platform-staging/payments/api"]],
        [
            "prod",
            [
                "eks-platform-prod/payments/api",
                "eks-platform-prod/payments/ledger-worker",
                "eks-platform-prod/storefront/web",
                "eks-platform-prod/storefront/api",
            ],
        ],
    ] as const)("%s: %j, each scanned on push, immutable, KMS-encrypted, tagged with its team", (stack, names) => {
        const repos = byType(stack, REPOSITORY);
        expect(repos.map((r) => r.inputs.name)).toEqual(names);
        const key = byType(stack, "aws:kms/key:Key").find((k) => k.name === "team-registries-key") as PlannedResource;
        expect(key.inputs).toMatchObject({ enableKeyRotation: true });
        for (const repo of repos) {
            expect(repo.inputs).toMatchObject({
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS" }],
                forceDelete: stack !== "prod",
            });
            expect(repo.dependencies).toContain(key.urn);
            expect(repo.protect).toBe(stack === "prod");
        }
        expect(key.protect).toBe(stack === "prod");
    });

    it("each repository has the lifecycle and the team CI role's policy; enhanced scanning only where the stack asks (prod)", () => {
        const policies = byType("prod", "aws:ecr/repositoryPolicy:RepositoryPolicy");
        const payments = policies.find((p) => p.name === "team-registries-payments-api");
        expect(JSON.parse(payments?.inputs.policy as string)).toEqual(teamRepositoryPolicy("arn:aws:iam::333333333333:role/payments-ci"));
        const lifecycle = byType("prod", "aws:ecr/lifecyclePolicy:LifecyclePolicy").find((p) => p.name === "team-registries-payments-api");
        expect(JSON.parse(lifecycle?.inputs.policy as string)).toEqual(teamLifecyclePolicy(platformConfigFor("prod").teams.ecr));
        expect(byType("prod", "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration").map((r) => r.inputs)).toEqual([
            {
                scanType: "ENHANCED",
                rules: [
                    { scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: "eks-platform-prod/*", filterType: "WILDCARD" }] },
                ],
            },
        ]);
        expect(byType("dev", "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration")).toEqual([]);
    });

    it("the lifecycle expires untagged images first, then all but the newest (the any rule last, as ECR requires)", () => {
        const { rules } = teamLifecyclePolicy({ untaggedExpiryDays: 7, maxImages: 50 });
        expect(rules.map((r) => [r.rulePriority, r.selection.tagStatus, r.selection.countType, r.selection.countNumber])).toEqual([
            [1, "untagged", "sinceImagePushed", 7],
            [2, "any", "imageCountMoreThan", 50],
        ]);
    });
});

describe("the repository policy under the IAM simulator", () => {
    const ci = `arn:aws:iam::${ACCOUNT}:role/storefront-ci`;
    const repo = `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/eks-platform-dev/storefront/web`;
    const policy = teamRepositoryPolicy(ci);
    const mayPush = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecr:*", Resource: "*" }] };

    it.each(ECR_WRITE_ACTIONS)("%s: the team's CI role may", async (action) => {
        expect(await request({ arn: ci, policies: {} }, action, repo, { "aws:PrincipalArn": ci }, { resourcePolicy: policy })).toBe(
            "Allowed",
        );
    });

    it.each(ECR_WRITE_ACTIONS)("%s: another role may not, whatever its own policy allows", async (action) => {
        const other = `arn:aws:iam::${ACCOUNT}:role/platform-admin`;
        expect(
            await request(
                { arn: other, policies: { admin: mayPush } },
                action,
                repo,
                { "aws:PrincipalArn": other },
                { resourcePolicy: policy },
            ),
        ).toBe("ExplicitlyDenied");
    });

    it("pulling stays with IAM: a role allowed to pull by its own policy still pulls", async () => {
        const node = `arn:aws:iam::${ACCOUNT}:role/karpenter-node`;
        expect(
            await request(
                { arn: node, policies: { read: mayPush } },
                "ecr:BatchGetImage",
                repo,
                { "aws:PrincipalArn": node },
                { resourcePolicy: policy },
            ),
        ).toBe("Allowed");
    });
});
