// The bootstrap of one AWS account: GitHub's OIDC provider, per hosted stack a deploy and a preview role with their
// permissions boundary, and (when the team keeps its own state) the state bucket with its keys. Every document is a
// typed object from ./trust, ./deploy-policy, ./guardrails and ./state, JSON.stringify'd into its resource.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BootstrapConfig, HostedStack } from "./config";
import { deployPolicies } from "./deploy-policy";
import { boundaryPolicy, PREVIEW_MANAGED_POLICY, previewPolicy } from "./guardrails";
import {
    BOOTSTRAP_PROJECT,
    boundaryPolicyArn,
    boundaryPolicyName,
    deployRoleName,
    GITHUB_OIDC_HOST,
    PIPELINE_PATH,
    previewRoleName,
    secretsKeyAlias,
    STATE_KEY_ALIAS,
    STS_AUDIENCE,
} from "./names";
import { accountKeyPolicy, backendUrl, secretsProviderUrl, stateBucketPolicy, type StateAccess } from "./state";
import { deployTrustPolicy, previewTrustPolicy } from "./trust";

/**
 * Long enough for the longest deploy job (deploy.yml: prod 90 minutes); the job asks for it with
 * configure-aws-credentials' `role-duration-seconds` (its default is one hour).
 */
export const DEPLOY_SESSION_SECONDS = 3 * 3600;
export const PREVIEW_SESSION_SECONDS = 3600;

export interface StackPipeline {
    environment: string;
    clusterName: string;
    deployRoleArn: pulumi.Output<string>;
    previewRoleArn: pulumi.Output<string>;
    permissionsBoundaryArn: pulumi.Output<string>;
    /** `secretsprovider:` of the stack file (pulumi stack init --secrets-provider ...), with a self-managed backend. */
    secretsProvider?: pulumi.Output<string>;
}

export interface BootstrapOutputs {
    accountId: string;
    region: string;
    oidcProviderArn: pulumi.Output<string>;
    stacks: Record<string, StackPipeline>;
    /** `pulumi login` URL and the PULUMI_BACKEND_URL workflow variable, with a self-managed backend. */
    backendUrl?: string;
    stateBucketName?: pulumi.Output<string>;
    /** What to set in GitHub: repository variables, and each environment's variables. */
    githubVariables: {
        repository: Record<string, pulumi.Output<string> | string>;
        environments: Record<string, Record<string, pulumi.Output<string>>>;
    };
}

const json = (value: unknown) => JSON.stringify(value);

function secretsKey(stack: HostedStack, config: BootstrapConfig, opts: pulumi.CustomResourceOptions): aws.kms.Key {
    const key = new aws.kms.Key(
        `${stack.name}-secrets`,
        {
            description: `Pulumi secrets provider of the eks-platform stack ${stack.name} (awskms://${secretsKeyAlias(stack.name)})`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: json(accountKeyPolicy(config.partition, config.accountId)),
        },
        { ...opts, protect: true },
    );
    new aws.kms.Alias(`${stack.name}-secrets`, { name: secretsKeyAlias(stack.name), targetKeyId: key.keyId }, opts);
    return key;
}

/** The state bucket: versioned, encrypted, private, owner-enforced, TLS-only and protected. */
function stateBucket(config: BootstrapConfig, opts: pulumi.CustomResourceOptions) {
    const settings = config.stateBucket;
    if (settings === undefined) return undefined;
    let key: aws.kms.Key | undefined;
    if (settings.encryption === "aws:kms") {
        key = new aws.kms.Key(
            "state",
            {
                description: `Encryption of the Pulumi state bucket ${settings.name}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: json(accountKeyPolicy(config.partition, config.accountId)),
            },
            { ...opts, protect: true },
        );
        new aws.kms.Alias("state", { name: STATE_KEY_ALIAS, targetKeyId: key.keyId }, opts);
    }
    const bucket = new aws.s3.Bucket("state", { bucket: settings.name }, { ...opts, protect: true });
    new aws.s3.BucketVersioning("state", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(
        "state",
        {
            bucket: bucket.id,
            rules: [
                {
                    applyServerSideEncryptionByDefault: key
                        ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }
                        : { sseAlgorithm: "AES256" },
                    bucketKeyEnabled: true,
                },
            ],
        },
        opts,
    );
    new aws.s3.BucketPublicAccessBlock(
        "state",
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new aws.s3.BucketOwnershipControls("state", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    new aws.s3.BucketPolicy("state", { bucket: bucket.id, policy: json(stateBucketPolicy(settings.name)) }, opts);
    return { bucket, key };
}

export function bootstrapAccount(config: BootstrapConfig): BootstrapOutputs {
    const provider = new aws.Provider("aws", {
        region: config.region as aws.Region,
        // Refuses to run with another account's credentials: the ARNs below are built from this id.
        allowedAccountIds: [config.accountId],
        defaultTags: { tags: { ...config.tags, Project: BOOTSTRAP_PROJECT, ManagedBy: "pulumi", BootstrapStack: config.stack } },
    });
    const opts: pulumi.CustomResourceOptions = { provider };
    const scope = { partition: config.partition, accountId: config.accountId, region: config.region };

    // AWS validates GitHub's tokens against its library of trusted root CAs, not a thumbprint (since 2023-07;
    // aws-actions/configure-aws-credentials#763), and the provider no longer requires `thumbprintLists`.
    const oidcProviderArn: pulumi.Output<string> = config.github.oidcProviderArn
        ? pulumi.output(config.github.oidcProviderArn)
        : new aws.iam.OpenIdConnectProvider("github", { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [STS_AUDIENCE] }, opts).arn;

    const state = stateBucket(config, opts);
    const secretsKeys = new Map<string, aws.kms.Key>();
    if (config.stateBucket?.secretsKeys) for (const s of config.stacks) secretsKeys.set(s.name, secretsKey(s, config, opts));

    const stacks: Record<string, StackPipeline> = {};
    for (const stack of config.stacks) {
        const own = secretsKeys.get(stack.name);
        const others = [...secretsKeys].filter(([name]) => name !== stack.name).map(([, key]) => key.arn);
        const access: pulumi.Output<StateAccess | undefined> = state
            ? pulumi.all([state.bucket.bucket, state.key?.arn, own?.arn]).apply(([bucket, stateKeyArn, secretsKeyArn]) => ({
                  bucket,
                  region: config.region,
                  ...(stateKeyArn !== undefined ? { stateKeyArn } : {}),
                  ...(secretsKeyArn !== undefined ? { secretsKeyArn } : {}),
              }))
            : pulumi.output(undefined);
        const boundaryArn = boundaryPolicyArn(scope, stack.name);

        const boundary = new aws.iam.Policy(
            `${stack.name}-boundary`,
            {
                name: boundaryPolicyName(stack.name),
                path: PIPELINE_PATH,
                description: `Permissions boundary of the ${stack.name} pipeline roles (and, when required, of the roles they create)`,
                policy: pulumi.all([oidcProviderArn, access, pulumi.all(others)]).apply(([githubProviderArn, a, otherStacksKeyArns]) =>
                    json(
                        boundaryPolicy({
                            ...scope,
                            boundaryArn,
                            githubProviderArn,
                            requireBoundary: config.requirePermissionsBoundary,
                            ...(a ? { stateBucket: a.bucket } : {}),
                            ownKeyArns: [a?.stateKeyArn, a?.secretsKeyArn].filter((k): k is string => k !== undefined),
                            otherStacksKeyArns,
                        }),
                    ),
                ),
            },
            opts,
        );

        const deployRole = new aws.iam.Role(
            `${stack.name}-deploy`,
            {
                name: deployRoleName(stack.name),
                path: PIPELINE_PATH,
                description: `pulumi up of eks-platform/${stack.name} from the GitHub environment ${stack.environment}`,
                assumeRolePolicy: oidcProviderArn.apply((arn) =>
                    json(deployTrustPolicy(arn, config.github, stack.environment, config.github.defaultBranch)),
                ),
                permissionsBoundary: boundary.arn,
                maxSessionDuration: DEPLOY_SESSION_SECONDS,
            },
            opts,
        );
        for (const part of ["platform", "identity"] as const) {
            const policy = new aws.iam.Policy(
                `${stack.name}-deploy-${part}`,
                {
                    name: `${deployRoleName(stack.name)}-${part}`,
                    path: PIPELINE_PATH,
                    description: `What pulumi up of eks-platform/${stack.name} may do: ${part === "platform" ? "the platform's services" : "IAM and state"}`,
                    policy: access.apply((a) =>
                        json(
                            deployPolicies({
                                ...scope,
                                stack: stack.name,
                                clusterName: stack.clusterName,
                                boundaryArn,
                                requireBoundary: config.requirePermissionsBoundary,
                                ...(a ? { state: a } : {}),
                            })[part],
                        ),
                    ),
                },
                opts,
            );
            new aws.iam.RolePolicyAttachment(`${stack.name}-deploy-${part}`, { role: deployRole.name, policyArn: policy.arn }, opts);
        }

        const previewRole = new aws.iam.Role(
            `${stack.name}-preview`,
            {
                name: previewRoleName(stack.name),
                path: PIPELINE_PATH,
                description: `pulumi preview and drift checks of eks-platform/${stack.name} (read-only)`,
                assumeRolePolicy: oidcProviderArn.apply((arn) =>
                    json(
                        previewTrustPolicy(arn, config.github, {
                            pullRequests: stack.previewFromPullRequests,
                            defaultBranch: config.github.defaultBranch,
                        }),
                    ),
                ),
                permissionsBoundary: boundary.arn,
                maxSessionDuration: PREVIEW_SESSION_SECONDS,
            },
            opts,
        );
        new aws.iam.RolePolicyAttachment(
            `${stack.name}-preview-readonly`,
            { role: previewRole.name, policyArn: `arn:${config.partition}:iam::aws:policy/${PREVIEW_MANAGED_POLICY}` },
            opts,
        );
        const preview = new aws.iam.Policy(
            `${stack.name}-preview`,
            {
                name: previewRoleName(stack.name),
                path: PIPELINE_PATH,
                description: `State reads of eks-platform/${stack.name} and the data reads its preview role is denied`,
                policy: access.apply((a) => json(previewPolicy({ ...scope, stack: stack.name, ...(a ? { state: a } : {}) }))),
            },
            opts,
        );
        new aws.iam.RolePolicyAttachment(`${stack.name}-preview`, { role: previewRole.name, policyArn: preview.arn }, opts);

        stacks[stack.name] = {
            environment: stack.environment,
            clusterName: stack.clusterName,
            deployRoleArn: deployRole.arn,
            previewRoleArn: previewRole.arn,
            permissionsBoundaryArn: boundary.arn,
            ...(own ? { secretsProvider: pulumi.output(secretsProviderUrl(secretsKeyAlias(stack.name), config.region)) } : {}),
        };
    }

    const url = config.stateBucket ? backendUrl(config.stateBucket.name, config.region) : undefined;
    const repository: Record<string, pulumi.Output<string> | string> = { AWS_REGION: config.region };
    if (url !== undefined) repository.PULUMI_BACKEND_URL = url;
    const environments: Record<string, Record<string, pulumi.Output<string>>> = {};
    for (const stack of config.stacks) {
        const pipeline = stacks[stack.name] as StackPipeline;
        repository[`AWS_PREVIEW_ROLE_ARN_${stack.name.toUpperCase().replace(/-/g, "_")}`] = pipeline.previewRoleArn;
        environments[stack.environment] = { AWS_DEPLOY_ROLE_ARN: pipeline.deployRoleArn };
    }
    return {
        accountId: config.accountId,
        region: config.region,
        oidcProviderArn,
        stacks,
        ...(url !== undefined ? { backendUrl: url } : {}),
        ...(state ? { stateBucketName: state.bucket.bucket } : {}),
        githubVariables: { repository, environments },
    };
}
