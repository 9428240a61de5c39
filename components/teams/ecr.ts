// The teams' ECR repositories as data: their names, the registry host, the repository policy that lets only the
// team's CI role push, the lifecycle policy, the key policy of the repositories' KMS key and the enhanced scanning
// rule. Pure; the TeamRegistries component declares them.
import { accountOwnedKeyPolicy, policyDocument, type PolicyDocument } from "../lib/iam";

/** What pushing an image takes (ECR user guide, "Private repository policy examples": allow push). */
export const ECR_PUSH_ACTIONS = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
] as const;
/** The push actions that write: denied to every principal but the team's CI role. */
export const ECR_WRITE_ACTIONS = ["ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"] as const;
/** Pulling, so the CI role can reuse layers and verify what it pushed. */
export const ECR_PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] as const;

/** Every team repository of a stack lives under the cluster's name (two stacks may share an account). */
export const teamRepositoryPrefix = (clusterName: string, team: string): string => `${clusterName}/${team}`;
export const teamRepositoryName = (clusterName: string, team: string, repository: string): string =>
    `${teamRepositoryPrefix(clusterName, team)}/${repository}`;

/** The account's private registry host (<account>.dkr.ecr.<region>.amazonaws.com, .com.cn in China). */
export const registryHost = (accountId: string, region: string, dnsSuffix: string): string => `${accountId}.dkr.ecr.${region}.${dnsSuffix}`;

/**
 * The repository policy: the team's CI role may push and pull; every other principal is denied the writing push
 * actions, even one whose own IAM policy allows them (an explicit deny wins; aws:PrincipalArn is the role's ARN for its
 * sessions). Reading stays with IAM: the nodes pull through their role's ECR read policy.
 */
export function teamRepositoryPolicy(ciRoleArn: string): PolicyDocument {
    return policyDocument(
        {
            Sid: "TeamCiPushesAndPulls",
            Effect: "Allow",
            Principal: { AWS: ciRoleArn },
            Action: [...ECR_PUSH_ACTIONS, ...ECR_PULL_ACTIONS],
        },
        {
            Sid: "NobodyElsePushes",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: [...ECR_WRITE_ACTIONS],
            Condition: { ArnNotEquals: { "aws:PrincipalArn": ciRoleArn } },
        },
    );
}

export interface LifecycleSettings {
    untaggedExpiryDays: number;
    maxImages: number;
}

/**
 * The lifecycle policy (ECR user guide, "Lifecycle policy properties"): untagged images expire after some days, and
 * beyond the newest maxImages the oldest expire. A tagStatus "any" rule must have the highest rulePriority.
 */
export function teamLifecyclePolicy(settings: LifecycleSettings) {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${settings.untaggedExpiryDays} days`,
                selection: {
                    tagStatus: "untagged",
                    countType: "sinceImagePushed",
                    countUnit: "days",
                    countNumber: settings.untaggedExpiryDays,
                },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the newest ${settings.maxImages} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: settings.maxImages },
                action: { type: "expire" },
            },
        ],
    };
}

/** Key policy of the repositories' key: the account owns it and delegates use to IAM (ECR creates its grants). */
export const repositoryKeyPolicy = accountOwnedKeyPolicy;

/**
 * The enhanced scanning rule (Amazon Inspector): every repository under the stack's prefix, rescanned continuously as
 * new findings are published (which includes the scan on push).
 */
export const enhancedScanningRule = (clusterName: string) => ({
    scanFrequency: "CONTINUOUS_SCAN",
    repositoryFilters: [{ filter: `${clusterName}/*`, filterType: "WILDCARD" }],
});
