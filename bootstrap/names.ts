// Names the bootstrap gives its resources, and the names of the main program's resources that its deploy roles are
// scoped to. Pure: the policies, the program and the tests derive every ARN from here.

/** The main program's Pulumi project: its state lives under .pulumi/stacks/<project>/ in a self-managed backend. */
export const PLATFORM_PROJECT = "eks-platform";

/** This project's name (bootstrap/Pulumi.yaml). */
export const BOOTSTRAP_PROJECT = "eks-platform-bootstrap";

/**
 * IAM path of every role and policy the bootstrap creates. The deploy roles are denied any IAM write under it, so a
 * pipeline can never widen its own permissions or its trust, nor those of another stack's pipeline.
 */
export const PIPELINE_PATH = "/eks-platform-pipeline/";

/** KMS alias prefix of the bootstrap's keys; distinct from the main program's `alias/<cluster>-secrets`. */
export const PIPELINE_ALIAS_PREFIX = "alias/eks-platform-pipeline/";

/** GitHub's OIDC issuer (without the scheme, as IAM writes it in condition keys and provider ARNs). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** The audience aws-actions/configure-aws-credentials requests (its default `audience` input). */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** The default EKS cluster name of a main stack (stacks/config.ts: `eks-platform:cluster.name` or eks-platform-<stack>). */
export const defaultClusterName = (stack: string): string => `${PLATFORM_PROJECT}-${stack}`;

export const deployRoleName = (stack: string): string => `${PLATFORM_PROJECT}-${stack}-deploy`;
export const previewRoleName = (stack: string): string => `${PLATFORM_PROJECT}-${stack}-preview`;
export const boundaryPolicyName = (stack: string): string => `${PLATFORM_PROJECT}-${stack}-boundary`;
export const secretsKeyAlias = (stack: string): string => `${PIPELINE_ALIAS_PREFIX}${stack}-secrets`;
export const STATE_KEY_ALIAS = `${PIPELINE_ALIAS_PREFIX}state`;

/** IAM role names are at most 64 characters; the longest suffix above is "-preview". */
export const MAX_STACK_NAME_LENGTH = 64 - `${PLATFORM_PROJECT}--preview`.length;

export interface AccountScope {
    partition: string;
    accountId: string;
    region: string;
}

export const iamArn = (scope: AccountScope, resource: string): string => `arn:${scope.partition}:iam::${scope.accountId}:${resource}`;

export const pipelineRoleArn = (scope: AccountScope, roleName: string): string => iamArn(scope, `role${PIPELINE_PATH}${roleName}`);

export const boundaryPolicyArn = (scope: AccountScope, stack: string): string =>
    iamArn(scope, `policy${PIPELINE_PATH}${boundaryPolicyName(stack)}`);

export const githubOidcProviderArn = (scope: AccountScope): string => iamArn(scope, `oidc-provider/${GITHUB_OIDC_HOST}`);
