// Cluster access of the pipeline roles: the deploy role gets cluster admin (pulumi up creates and deletes every
// Kubernetes object of the stack), the preview role reads (pulumi preview reads the API: discovery and the OpenAPI
// schema at provider configuration, server-side dry runs of creates and updates, which fall back to client-side when
// forbidden; --refresh reads every object, Helm releases' storage Secrets included). Pure specs here, resources in
// ./index.ts: aws.eks.AccessEntry and aws.eks.AccessPolicyAssociation of our own, beside the cluster's entries.
import type { PlatformConfig } from "../../stacks/config";

type Delivery = PlatformConfig["delivery"];

/**
 * EKS access policies by the names the config uses (EKS User Guide, "Review access policy permissions").
 * AmazonEKSAdminViewPolicy: "list/view all resources in a cluster. Note this includes Kubernetes Secrets."
 * AmazonEKSViewPolicy: view, without Secrets.
 */
export const PIPELINE_ACCESS_POLICIES = {
    deploy: "AmazonEKSClusterAdminPolicy",
    "admin-view": "AmazonEKSAdminViewPolicy",
    view: "AmazonEKSViewPolicy",
} as const;

export interface PipelineAccessSpec {
    /** deploy or preview: the logical name's suffix. */
    key: "deploy" | "preview";
    principalArn: string;
    policyArn: string;
    /** Every pipeline entry is cluster-wide: a deploy touches every namespace, a preview reads them all. */
    accessScope: { type: "cluster" };
}

export const accessPolicyArn = (partition: string, policy: string): string => `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;

/** The access entries the stack's pipeline roles get, from the roles its config names. */
export function pipelineAccessSpecs(
    delivery: Pick<Delivery, "deployRoleArn" | "previewRoleArn" | "previewAccess">,
    partition: string,
): PipelineAccessSpec[] {
    const specs: PipelineAccessSpec[] = [];
    if (delivery.deployRoleArn)
        specs.push({
            key: "deploy",
            principalArn: delivery.deployRoleArn,
            policyArn: accessPolicyArn(partition, PIPELINE_ACCESS_POLICIES.deploy),
            accessScope: { type: "cluster" },
        });
    if (delivery.previewRoleArn)
        specs.push({
            key: "preview",
            principalArn: delivery.previewRoleArn,
            policyArn: accessPolicyArn(partition, PIPELINE_ACCESS_POLICIES[delivery.previewAccess]),
            accessScope: { type: "cluster" },
        });
    return specs;
}
