// IAM documents as typed plain objects: rendered with JSON.stringify so the real document is in the plan, the
// policy pack reads it and the IAM simulator evaluates it (aws.iam.getPolicyDocument renders nothing offline).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export type ConditionBlock = Record<string, Record<string, string | string[] | boolean>>;

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Principal?: { Service?: string | string[]; AWS?: string | string[]; Federated?: string };
    Condition?: ConditionBlock;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

export const policyDocument = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** Pod Identity session tags the EKS Pod Identity agent sets on every session (docs: pod-id-abac). */
export const POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com";

/**
 * Trust policy for a role used through EKS Pod Identity, scoped to one service account of one cluster through the
 * session tags the agent sets (kubernetes-namespace, kubernetes-service-account, eks-cluster-name), and to the
 * account, so a second association elsewhere cannot reuse the role.
 */
export function podIdentityTrustPolicy(scope: {
    accountId: string;
    clusterName: string;
    namespace: string;
    serviceAccount: string;
}): PolicyDocument {
    return policyDocument({
        Sid: "AllowEksPodIdentity",
        Effect: "Allow",
        Principal: { Service: POD_IDENTITY_SERVICE },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
            StringEquals: {
                "aws:SourceAccount": scope.accountId,
                "aws:RequestTag/eks-cluster-name": scope.clusterName,
                "aws:RequestTag/kubernetes-namespace": scope.namespace,
                "aws:RequestTag/kubernetes-service-account": scope.serviceAccount,
            },
        },
    });
}

export interface PodIdentityRoleArgs {
    clusterName: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    namespace: string;
    serviceAccount: string;
    /** Inline policy documents by short name (rendered JSON in the plan). */
    inlinePolicies?: Record<string, pulumi.Input<string>>;
    /** AWS managed policy names (e.g. AmazonEBSCSIDriverPolicyV2); ARNs are built with the partition. */
    managedPolicies?: string[];
    description: string;
    /** Resources the association must wait for (e.g. the Pod Identity agent add-on). */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * An IAM role bound to one Kubernetes service account through EKS Pod Identity: the role, its policies and the
 * PodIdentityAssociation. Children are parented to `parent`; names derive from `name`.
 */
export function podIdentityRole(
    name: string,
    args: PodIdentityRoleArgs,
    parent: pulumi.Resource,
): { role: aws.iam.Role; association: aws.eks.PodIdentityAssociation } {
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            description: args.description,
            assumeRolePolicy: pulumi
                .all([args.accountId, args.clusterName])
                .apply(([accountId, clusterName]) =>
                    JSON.stringify(
                        podIdentityTrustPolicy({ accountId, clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount }),
                    ),
                ),
        },
        { parent },
    );
    for (const [policyName, document] of Object.entries(args.inlinePolicies ?? {})) {
        new aws.iam.RolePolicy(`${name}-${policyName}`, { role: role.name, policy: document }, { parent });
    }
    for (const managed of args.managedPolicies ?? []) {
        new aws.iam.RolePolicyAttachment(
            `${name}-${managed}`,
            { role: role.name, policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/${managed}` },
            { parent },
        );
    }
    const association = new aws.eks.PodIdentityAssociation(
        `${name}-pod-identity`,
        { clusterName: args.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, roleArn: role.arn },
        { parent, dependsOn: args.dependsOn },
    );
    return { role, association };
}
