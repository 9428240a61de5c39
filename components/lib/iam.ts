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

/**
 * Key policy of a customer-managed KMS key the account owns and whose use it delegates to IAM: the root statement of
 * AWS's default key policy (KMS Developer Guide, "Default key policy"). Services that use the key (EKS for secrets,
 * ECR for repositories) create their grants as the calling identity, so they need no statement of their own.
 */
export const accountOwnedKeyPolicy = (accountId: string, partition: string): PolicyDocument =>
    policyDocument({
        Sid: "AccountAdministersTheKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
    });

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

/** A Pod Identity role as data: the service account it is bound to and what it may do. */
export interface PodIdentitySpec {
    namespace: string;
    serviceAccount: string;
    description: pulumi.Input<string>;
    /** Inline policy documents by short name (rendered JSON in the plan). */
    inlinePolicies?: Record<string, pulumi.Input<string>>;
    /** AWS managed policy names (e.g. AmazonEBSCSIDriverPolicyV2); ARNs are built with the partition. */
    managedPolicies?: readonly string[];
}

/** Where a Pod Identity role lives: the cluster, the account and partition, and the agent its pods need. */
export interface PodIdentityScope {
    clusterName: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    partition: string;
    /** The EKS Pod Identity agent add-on: the association waits for it. */
    podIdentityAgent: pulumi.Resource;
}

export interface PodIdentityRole {
    role: aws.iam.Role;
    association: aws.eks.PodIdentityAssociation;
    /** The role's policy attachments and inline policies: what the workload waits for besides the association. */
    policies: pulumi.Resource[];
}

/**
 * An IAM role bound to one Kubernetes service account through EKS Pod Identity: the role (trust scoped to that
 * service account of this cluster), its policies and the PodIdentityAssociation. Children are parented to `parent`;
 * names derive from `name`.
 */
export function podIdentityRole(name: string, scope: PodIdentityScope, spec: PodIdentitySpec, parent: pulumi.Resource): PodIdentityRole {
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            description: spec.description,
            assumeRolePolicy: pulumi
                .all([scope.accountId, scope.clusterName])
                .apply(([accountId, clusterName]) =>
                    JSON.stringify(
                        podIdentityTrustPolicy({ accountId, clusterName, namespace: spec.namespace, serviceAccount: spec.serviceAccount }),
                    ),
                ),
        },
        { parent },
    );
    const policies: pulumi.Resource[] = [];
    for (const [policyName, document] of Object.entries(spec.inlinePolicies ?? {})) {
        policies.push(new aws.iam.RolePolicy(`${name}-${policyName}`, { role: role.name, policy: document }, { parent }));
    }
    for (const managed of spec.managedPolicies ?? []) {
        policies.push(
            new aws.iam.RolePolicyAttachment(
                `${name}-${managed}`,
                { role: role.name, policyArn: `arn:${scope.partition}:iam::aws:policy/${managed}` },
                { parent },
            ),
        );
    }
    const association = new aws.eks.PodIdentityAssociation(
        `${name}-pod-identity`,
        { clusterName: scope.clusterName, namespace: spec.namespace, serviceAccount: spec.serviceAccount, roleArn: role.arn },
        { parent, dependsOn: [scope.podIdentityAgent] },
    );
    return { role, association, policies };
}
