// IAM roles for service accounts (IRSA), for the workloads EKS Pod Identity does not reach: pods on Fargate (the Pod
// Identity agent is a DaemonSet on EC2 nodes) and charts that only know the eks.amazonaws.com/role-arn annotation.
// Everything else uses Pod Identity (./iam.ts). The trust is scoped the same way: to one service account of this
// cluster, here through the OIDC provider's sub and aud claims (EKS user guide, "Assign IAM roles to Kubernetes
// service accounts": StringEquals on <issuer>:sub = system:serviceaccount:<namespace>:<name> and <issuer>:aud =
// sts.amazonaws.com).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, type PolicyDocument } from "./iam";

/** The audience the EKS Pod Identity webhook requests for projected service account tokens. */
export const IRSA_AUDIENCE = "sts.amazonaws.com";
/** The annotation the EKS pod identity webhook reads to inject the role into a service account's pods. */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/** The issuer as IAM condition keys name it: host and path, without the scheme. */
export const issuerHost = (issuer: string): string => issuer.replace(/^https:\/\//, "");

/** Trust policy of an IRSA role: one service account of one cluster, through the cluster's OIDC provider. */
export function irsaTrustPolicy(scope: {
    oidcProviderArn: string;
    oidcIssuer: string;
    namespace: string;
    serviceAccount: string;
}): PolicyDocument {
    const issuer = issuerHost(scope.oidcIssuer);
    return policyDocument({
        Sid: "AllowServiceAccountWebIdentity",
        Effect: "Allow",
        Principal: { Federated: scope.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
            StringEquals: {
                [`${issuer}:sub`]: `system:serviceaccount:${scope.namespace}:${scope.serviceAccount}`,
                [`${issuer}:aud`]: IRSA_AUDIENCE,
            },
        },
    });
}

/** An IRSA role as data: the service account it is bound to and what it may do (as PodIdentitySpec). */
export interface IrsaSpec {
    namespace: string;
    serviceAccount: string;
    description: pulumi.Input<string>;
    inlinePolicies?: Record<string, pulumi.Input<string>>;
    managedPolicies?: readonly string[];
}

/** The cluster's OIDC provider and the partition (for managed policy ARNs). */
export interface IrsaScope {
    oidcProviderArn: pulumi.Input<string>;
    oidcIssuer: pulumi.Input<string>;
    partition: string;
}

export interface IrsaRole {
    role: aws.iam.Role;
    policies: pulumi.Resource[];
    /** The annotation the service account needs (`eks.amazonaws.com/role-arn: <arn>`). */
    serviceAccountAnnotations: pulumi.Output<Record<string, string>>;
}

/**
 * An IAM role assumable only by one Kubernetes service account of this cluster through IRSA, and its policies. The
 * service account itself (with `serviceAccountAnnotations`) belongs to whoever deploys the workload.
 */
export function irsaRole(name: string, scope: IrsaScope, spec: IrsaSpec, parent: pulumi.Resource): IrsaRole {
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            description: spec.description,
            assumeRolePolicy: pulumi
                .all([scope.oidcProviderArn, scope.oidcIssuer])
                .apply(([oidcProviderArn, oidcIssuer]) =>
                    JSON.stringify(
                        irsaTrustPolicy({ oidcProviderArn, oidcIssuer, namespace: spec.namespace, serviceAccount: spec.serviceAccount }),
                    ),
                ),
        },
        { parent },
    );
    const policies: pulumi.Resource[] = [];
    for (const [policyName, document] of Object.entries(spec.inlinePolicies ?? {}))
        policies.push(new aws.iam.RolePolicy(`${name}-${policyName}`, { role: role.name, policy: document }, { parent }));
    for (const managed of spec.managedPolicies ?? [])
        policies.push(
            new aws.iam.RolePolicyAttachment(
                `${name}-${managed}`,
                { role: role.name, policyArn: `arn:${scope.partition}:iam::aws:policy/${managed}` },
                { parent },
            ),
        );
    return {
        role,
        policies,
        serviceAccountAnnotations: role.arn.apply((arn): Record<string, string> => ({ [IRSA_ROLE_ANNOTATION]: arn })),
    };
}
