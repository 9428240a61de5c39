// What no role of a stack's pipeline may ever do, and the preview role's own policy.
//
// The permissions boundary of a stack (attached to its deploy and preview roles, and with requirePermissionsBoundary
// to every role its deploy creates) follows the CDK bootstrap's `cdk-<qualifier>-permissions-boundary` and AWS's
// delegation pattern: allow everything, then deny what would let a pipeline escape its scope: writes to the pipeline's
// own identities (IAM path /eks-platform-pipeline/, the GitHub provider), the state bucket's configuration, managing
// or deleting the bootstrap's KMS keys, using another stack's secrets key, long-lived IAM user credentials, and (when
// enforced) creating a role without this boundary or removing it. A boundary only caps: what a role may do is still
// what its own policies grant.
import type { PolicyStatement } from "../components/lib/iam";
import { PIPELINE_PATH, type AccountScope } from "./names";
import { bucketArn, objectArn, stackReadObjects, stateStatements, type StateAccess } from "./state";

/** A statement that may use NotAction, which the main program's documents never need. */
export type GuardrailStatement = Omit<PolicyStatement, "Action"> & ({ Action: string | string[] } | { NotAction: string | string[] });
export interface GuardrailDocument {
    Version: "2012-10-17";
    Statement: GuardrailStatement[];
}

export interface BoundaryScope extends AccountScope {
    boundaryArn: string;
    githubProviderArn: string;
    requireBoundary: boolean;
    stateBucket?: string;
    /** The state key and this stack's secrets key: usable, never managed. */
    ownKeyArns: readonly string[];
    /** Other stacks' secrets keys: not usable at all. */
    otherStacksKeyArns: readonly string[];
}

/** What the state objects need from S3 and from the bootstrap's keys; everything else on them is denied. */
const STATE_OBJECT_ACTIONS = [
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:AbortMultipartUpload",
];
const KEY_USE_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"];

export function boundaryPolicy(scope: BoundaryScope): GuardrailDocument {
    const iam = (resource: string) => `arn:${scope.partition}:iam::${scope.accountId}:${resource}`;
    const statements: GuardrailStatement[] = [
        { Sid: "AllowWithinOwnPolicies", Effect: "Allow", Action: "*", Resource: "*" },
        {
            Sid: "DenyPipelineIdentityChanges",
            Effect: "Deny",
            NotAction: ["iam:Get*", "iam:List*"],
            Resource: [iam(`role${PIPELINE_PATH}*`), iam(`policy${PIPELINE_PATH}*`), scope.githubProviderArn],
        },
        {
            Sid: "DenyLongLivedCredentials",
            Effect: "Deny",
            Action: [
                "iam:CreateUser",
                "iam:CreateAccessKey",
                "iam:CreateLoginProfile",
                "iam:UpdateLoginProfile",
                "iam:CreateServiceSpecificCredential",
            ],
            Resource: "*",
        },
    ];
    if (scope.requireBoundary)
        statements.push(
            {
                Sid: "DenyRolesWithoutThisBoundary",
                Effect: "Deny",
                Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
                Resource: "*",
                Condition: { StringNotEquals: { "iam:PermissionsBoundary": scope.boundaryArn } },
            },
            { Sid: "DenyBoundaryRemoval", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
        );
    if (scope.stateBucket !== undefined)
        statements.push({
            Sid: "DenyStateBucketChanges",
            Effect: "Deny",
            NotAction: STATE_OBJECT_ACTIONS,
            Resource: [bucketArn(scope.stateBucket), objectArn(scope.stateBucket, "*")],
        });
    if (scope.ownKeyArns.length > 0)
        statements.push({ Sid: "DenyBootstrapKeyManagement", Effect: "Deny", NotAction: KEY_USE_ACTIONS, Resource: [...scope.ownKeyArns] });
    if (scope.otherStacksKeyArns.length > 0)
        statements.push({ Sid: "DenyOtherStacksSecretsKeys", Effect: "Deny", Action: "kms:*", Resource: [...scope.otherStacksKeyArns] });
    return { Version: "2012-10-17", Statement: statements };
}

/** The AWS managed policy the preview role reads the account's resources with (maintained by AWS as types grow). */
export const PREVIEW_MANAGED_POLICY = "ReadOnlyAccess";

/**
 * Data-plane reads ReadOnlyAccess would grant and a preview never makes: a preview reads resources' configuration,
 * never their contents. Pull requests run their own code with this role, so what it can read, a pull request's
 * author can.
 */
export const PREVIEW_DENIED_DATA_READS = [
    "secretsmanager:GetSecretValue",
    "sqs:ReceiveMessage",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "logs:StartQuery",
    "logs:GetLogRecord",
    "kinesis:GetRecords",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
    "ec2:GetConsoleOutput",
    "ec2:GetPasswordData",
] as const;

/**
 * The preview role's policy besides ReadOnlyAccess: read the stack's state (and decrypt it and its secrets), and the
 * denials of data reads: object contents except the stack's own state, parameters except AWS's public ones, and the
 * reads above.
 */
export function previewPolicy(scope: AccountScope & { stack: string; state?: StateAccess }): GuardrailDocument {
    const objectReads = ["s3:GetObject", "s3:GetObjectVersion"];
    const ownState = scope.state ? stackReadObjects(scope.state.bucket, scope.stack) : [];
    const statements: GuardrailStatement[] = [
        ...(scope.state ? stateStatements(scope.state, scope.stack, false) : []),
        ownState.length > 0
            ? { Sid: "DenyObjectReadsButOwnState", Effect: "Deny", Action: objectReads, NotResource: ownState }
            : { Sid: "DenyObjectReads", Effect: "Deny", Action: objectReads, Resource: "*" },
        {
            Sid: "DenyPrivateParameters",
            Effect: "Deny",
            Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"],
            NotResource: `arn:${scope.partition}:ssm:*::parameter/aws/*`,
        },
        { Sid: "DenyDataReads", Effect: "Deny", Action: [...PREVIEW_DENIED_DATA_READS], Resource: "*" },
    ];
    return { Version: "2012-10-17", Statement: statements };
}
