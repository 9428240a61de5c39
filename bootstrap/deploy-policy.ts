// What a stack's deploy role may do: create, update and destroy what the main program declares for that stack, and
// nothing the program never touches. Chosen over AdministratorAccess:
//  - per service, only the services the program and its destroy-time sweep call (EC2, EKS, IAM, KMS, CloudWatch
//    Logs, S3, SQS, EventBridge, SSM public parameters, ELBv2 for the sweep), and only in the stack's region;
//  - by name where the program names things after the cluster (EKS cluster and its node groups, add-ons, access
//    entries and pod identity associations; log groups /aws/eks/<cluster>/ and /aws/vpc/<cluster>/; buckets
//    <cluster>-*; the interruption queue <cluster>; KMS aliases alias/<cluster>-*): a stack cannot touch another
//    stack's cluster, logs, buckets or queue even when both share an account;
//  - IAM writes on roles and policies of the account (the program's role names are generated, not prefixed), with
//    pass-role only to the services the program hands roles to, and the pipeline itself out of reach (the stack's
//    permissions boundary, ./guardrails.ts, denies every write under the pipeline path, the GitHub provider, the
//    state bucket's configuration and the bootstrap's keys). With `requirePermissionsBoundary` every role created must
//    carry that boundary, which caps what a created role can do (the CDK bootstrap's and AWS's delegation pattern).
// EC2 and EventBridge rules are not named after the cluster (generated ids and names): they are scoped to the region.
import type { PolicyDocument, PolicyStatement } from "../components/lib/iam";
import type { AccountScope } from "./names";
import { stateStatements, type StateAccess } from "./state";

/** Services the main program passes roles to: EKS (cluster and node roles), Pod Identity, VPC flow logs. */
export const PASS_ROLE_SERVICES = ["eks.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"] as const;

/** Service-linked roles EKS needs on an account's first cluster and first managed node group. */
export const SERVICE_LINKED_ROLE_SERVICES = ["eks.amazonaws.com", "eks-nodegroup.amazonaws.com"] as const;

/** Writes on IAM roles and customer managed policies that aws.iam.Role, RolePolicy, RolePolicyAttachment and Policy make. */
export const ROLE_WRITE_ACTIONS = [
    "iam:DeleteRole",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
    "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
] as const;
export const POLICY_WRITE_ACTIONS = [
    "iam:CreatePolicy",
    "iam:DeletePolicy",
    "iam:CreatePolicyVersion",
    "iam:DeletePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:TagPolicy",
    "iam:UntagPolicy",
] as const;
/** The cluster's IRSA provider (@pulumi/eks `createOidcProvider`). */
export const OIDC_PROVIDER_WRITE_ACTIONS = [
    "iam:CreateOpenIDConnectProvider",
    "iam:DeleteOpenIDConnectProvider",
    "iam:UpdateOpenIDConnectProviderThumbprint",
    "iam:AddClientIDToOpenIDConnectProvider",
    "iam:RemoveClientIDFromOpenIDConnectProvider",
    "iam:TagOpenIDConnectProvider",
    "iam:UntagOpenIDConnectProvider",
] as const;

export interface DeployScope extends AccountScope {
    stack: string;
    clusterName: string;
    /** The stack's permissions boundary (./guardrails.ts). */
    boundaryArn: string;
    /** Every role the deploy role creates must carry the boundary. */
    requireBoundary: boolean;
    /** The self-managed state backend, when there is one. */
    state?: StateAccess;
}

const regional = (scope: AccountScope) => ({ StringEquals: { "aws:RequestedRegion": scope.region } });

/**
 * The deploy role's permissions, in two managed policies (one document would pass IAM's size limit): `platform`, the
 * services the program's resources live in, and `identity`, IAM and the state backend.
 */
export function deployPolicies(scope: DeployScope): { platform: PolicyDocument; identity: PolicyDocument } {
    const { partition: p, accountId: a, region: r, clusterName: c } = scope;
    const iam = (resource: string) => `arn:${p}:iam::${a}:${resource}`;
    const bucketPrefix = c.toLowerCase();
    const createRole: PolicyStatement = {
        Sid: "CreateRoles",
        Effect: "Allow",
        Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
        Resource: iam("role/*"),
    };
    if (scope.requireBoundary) createRole.Condition = { StringEquals: { "iam:PermissionsBoundary": scope.boundaryArn } };
    const platform: PolicyStatement[] = [
        { Sid: "Ec2InRegion", Effect: "Allow", Action: "ec2:*", Resource: "*", Condition: regional(scope) },
        {
            Sid: "EksClusterOfStack",
            Effect: "Allow",
            Action: "eks:*",
            Resource: [
                `arn:${p}:eks:${r}:${a}:cluster/${c}`,
                `arn:${p}:eks:${r}:${a}:nodegroup/${c}/*`,
                `arn:${p}:eks:${r}:${a}:addon/${c}/*`,
                `arn:${p}:eks:${r}:${a}:access-entry/${c}/*`,
                `arn:${p}:eks:${r}:${a}:podidentityassociation/${c}/*`,
            ],
        },
        {
            // CreateCluster, DescribeAddonVersions and the List calls take no resource ARN.
            Sid: "EksUnscoped",
            Effect: "Allow",
            Action: ["eks:CreateCluster", "eks:Describe*", "eks:List*"],
            Resource: "*",
            Condition: regional(scope),
        },
        {
            Sid: "LogGroupsOfStack",
            Effect: "Allow",
            Action: "logs:*",
            Resource: [`arn:${p}:logs:${r}:${a}:log-group:/aws/eks/${c}/*`, `arn:${p}:logs:${r}:${a}:log-group:/aws/vpc/${c}/*`],
        },
        { Sid: "LogsRead", Effect: "Allow", Action: ["logs:Describe*", "logs:List*"], Resource: "*", Condition: regional(scope) },
        {
            Sid: "BucketsOfStack",
            Effect: "Allow",
            Action: "s3:*",
            Resource: [`arn:${p}:s3:::${bucketPrefix}-*`, `arn:${p}:s3:::${bucketPrefix}-*/*`],
        },
        { Sid: "InterruptionQueueOfStack", Effect: "Allow", Action: "sqs:*", Resource: `arn:${p}:sqs:${r}:${a}:${c}` },
        { Sid: "EventRulesInRegion", Effect: "Allow", Action: "events:*", Resource: `arn:${p}:events:${r}:${a}:rule/*` },
        {
            Sid: "KmsKeysInRegion",
            Effect: "Allow",
            Action: "kms:*",
            Resource: [`arn:${p}:kms:${r}:${a}:key/*`, `arn:${p}:kms:${r}:${a}:alias/${c}-*`],
        },
        {
            Sid: "KmsUnscoped",
            Effect: "Allow",
            Action: ["kms:CreateKey", "kms:ListKeys", "kms:ListAliases"],
            Resource: "*",
            Condition: regional(scope),
        },
        {
            Sid: "PublicParameters",
            Effect: "Allow",
            Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
            Resource: `arn:${p}:ssm:${r}::parameter/aws/service/*`,
        },
        {
            // The destroy-time sweep (components/lib/sweep) deletes what the Load Balancer Controller left behind.
            Sid: "SweepLoadBalancersOfCluster",
            Effect: "Allow",
            Action: ["elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteTargetGroup"],
            Resource: [`arn:${p}:elasticloadbalancing:${r}:${a}:loadbalancer/*`, `arn:${p}:elasticloadbalancing:${r}:${a}:targetgroup/*`],
            Condition: { StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": c } },
        },
        { Sid: "LoadBalancersRead", Effect: "Allow", Action: "elasticloadbalancing:Describe*", Resource: "*", Condition: regional(scope) },
    ];
    const identity: PolicyStatement[] = [
        { Sid: "IamRead", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
        createRole,
        { Sid: "ManageRoles", Effect: "Allow", Action: [...ROLE_WRITE_ACTIONS], Resource: iam("role/*") },
        { Sid: "ManagePolicies", Effect: "Allow", Action: [...POLICY_WRITE_ACTIONS], Resource: iam("policy/*") },
        {
            Sid: "ClusterOidcProvider",
            Effect: "Allow",
            Action: [...OIDC_PROVIDER_WRITE_ACTIONS],
            Resource: iam(`oidc-provider/oidc.eks.${r}.amazonaws.com/id/*`),
        },
        {
            Sid: "PassRolesToPlatformServices",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: iam("role/*"),
            Condition: { StringEquals: { "iam:PassedToService": [...PASS_ROLE_SERVICES] } },
        },
        {
            Sid: "EksServiceLinkedRoles",
            Effect: "Allow",
            Action: "iam:CreateServiceLinkedRole",
            Resource: iam("role/aws-service-role/*"),
            Condition: { StringEquals: { "iam:AWSServiceName": [...SERVICE_LINKED_ROLE_SERVICES] } },
        },
        {
            // No deploy assumes another role (the providers use the job's credentials); a role the deploy created,
            // trusting the deploy role, must not become a way around this policy.
            Sid: "DenyRoleChaining",
            Effect: "Deny",
            Action: "sts:AssumeRole",
            Resource: "*",
        },
        ...(scope.state ? stateStatements(scope.state, scope.stack, true) : []),
    ];
    return { platform: { Version: "2012-10-17", Statement: platform }, identity: { Version: "2012-10-17", Statement: identity } };
}

/** IAM's limit on a managed policy document, whitespace excluded (IAM User Guide, "IAM and AWS STS quotas"). */
export const MANAGED_POLICY_MAX_CHARS = 6144;
