// The EKS Argo CD capability as data (aws.eks.Capability, type ARGOCD, @pulumi/aws 7.48): its role's trust (EKS User
// Guide, "Amazon EKS capability IAM role": capabilities.eks.amazonaws.com, sts:AssumeRole and sts:TagSession), its
// Identity Center sign-in and role mappings, and the access it needs to deploy here. EKS makes the capability role's
// access entry with AmazonEKSArgoCDClusterPolicy and AmazonEKSArgoCDPolicy, which cover Argo CD's own objects only;
// Argo CD's cluster cache lists every kind, so it reads the cluster (AmazonEKSAdminViewPolicy) and it writes only the
// teams' namespaces (AmazonEKSAdminPolicy scoped to them).
import type { PlatformConfig } from "../../stacks/config";
import { policyDocument, type PolicyDocument } from "../lib/iam";

type ArgoCd = PlatformConfig["delivery"]["argocd"];

const accessPolicyArn = (partition: string, policy: string): string => `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;

export const CAPABILITY_SERVICE = "capabilities.eks.amazonaws.com";
export const CAPABILITY_NAME = "argocd";

export function capabilityTrustPolicy(accountId: string): PolicyDocument {
    return policyDocument({
        Sid: "EksCapabilities",
        Effect: "Allow",
        Principal: { Service: CAPABILITY_SERVICE },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
}

/** The capability's configuration.argoCd block. */
export function capabilityConfiguration(a: Pick<ArgoCd, "identityCenter" | "namespace">) {
    const idc = a.identityCenter;
    if (!idc) throw new Error("eks-platform:delivery.argocd.identityCenter is required with mode managed (config rule)");
    const group = (id: string) => ({ id, type: "SSO_GROUP" });
    const mappings = [
        { role: "ADMIN", identities: idc.adminGroupIds.map(group) },
        { role: "VIEWER", identities: idc.viewerGroupIds.map(group) },
    ].filter((m) => m.identities.length > 0);
    return {
        argoCd: {
            namespace: a.namespace,
            awsIdc: { idcInstanceArn: idc.instanceArn, ...(idc.region ? { idcRegion: idc.region } : {}) },
            ...(mappings.length > 0 ? { rbacRoleMappings: mappings } : {}),
        },
    };
}

export interface CapabilityAccessSpec {
    key: string;
    policyArn: string;
    accessScope: { type: "cluster" } | { type: "namespace"; namespaces: string[] };
}

/** The capability role's policies beyond the two EKS associates itself. */
export function capabilityAccessSpecs(teamNamespaces: readonly string[], partition: string): CapabilityAccessSpec[] {
    const specs: CapabilityAccessSpec[] = [
        { key: "read", policyArn: accessPolicyArn(partition, "AmazonEKSAdminViewPolicy"), accessScope: { type: "cluster" } },
    ];
    if (teamNamespaces.length > 0)
        specs.push({
            key: "teams",
            policyArn: accessPolicyArn(partition, "AmazonEKSAdminPolicy"),
            accessScope: { type: "namespace", namespaces: [...new Set(teamNamespaces)].sort() },
        });
    return specs;
}
