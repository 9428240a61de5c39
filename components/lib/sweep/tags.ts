// Which AWS resources the sweep may touch: the ownership tags the controllers put on what they create, and pure
// predicates over them. A resource is swept only when it carries THIS cluster's tag and the creating controller's
// own tag; everything else (other clusters, hand-made resources, Pulumi-managed ones) is left alone.

/**
 * AWS Load Balancer Controller. Every load balancer, target group and security group it creates is tagged
 * `elbv2.k8s.aws/cluster=<cluster>`; its IAM policy scopes DeleteLoadBalancer, DeleteTargetGroup and
 * DeleteSecurityGroup to `aws:ResourceTag/elbv2.k8s.aws/cluster` (kubernetes-sigs/aws-load-balancer-controller
 * docs/install/iam_policy.json). Load balancers, target groups and per-LB (frontend) security groups also carry the
 * stack tag `<prefix>/stack` of what asked for them: an Ingress (`ingress.k8s.aws`), a Service (`service.k8s.aws`), an
 * ALB Gateway (`gateway.k8s.aws.alb`) or an NLB Gateway (`gateway.k8s.aws.nlb`), the value `<namespace>/<name>`
 * (pkg/deploy/tracking/provider.go StackTags; the Gateway prefixes in pkg/gateway/constants/controller_constants.go,
 * both at v3.5.0). The shared backend security group `k8s-traffic-<cluster>-<hash>` carries
 * `elbv2.k8s.aws/resource=backend-sg` instead (docs/deploy/security_groups.md).
 */
export const LBC_CLUSTER_TAG = "elbv2.k8s.aws/cluster";
export const LBC_STACK_TAGS = [
    "ingress.k8s.aws/stack",
    "service.k8s.aws/stack",
    "gateway.k8s.aws.alb/stack",
    "gateway.k8s.aws.nlb/stack",
] as const;
export const LBC_RESOURCE_TAG = "elbv2.k8s.aws/resource";

/**
 * Karpenter v1. Instances are launched with `karpenter.sh/nodepool=<pool>`, `karpenter.sh/nodeclaim=<claim>`,
 * `kubernetes.io/cluster/<cluster>=owned` and `eks:eks-cluster-name=<cluster>` (the v1 upgrade guide: the
 * `eks:eks-cluster-name` tag replaces `karpenter.sh/managed-by`; the v1 controller policy only allows RunInstances
 * and CreateFleet with `aws:RequestTag/kubernetes.io/cluster/<cluster>=owned`, `aws:RequestTag/eks:eks-cluster-name`
 * and `aws:RequestTag/karpenter.sh/nodepool`).
 */
export const KARPENTER_NODEPOOL_TAG = "karpenter.sh/nodepool";
export const EKS_CLUSTER_NAME_TAG = "eks:eks-cluster-name";
/** Set by this project on the cluster's node subnets (components/network.ts); used only to find the VPC. */
export const KARPENTER_DISCOVERY_TAG = "karpenter.sh/discovery";
export const clusterOwnershipTag = (clusterName: string): string => `kubernetes.io/cluster/${clusterName}`;

/**
 * Amazon VPC CNI. ipamd creates the secondary ENIs it attaches to nodes with `cluster.k8s.amazonaws.com/name=<cluster>`
 * and `node.k8s.amazonaws.com/instance_id=<instance>` (the scoped CNI policy requires
 * `aws:RequestTag/cluster.k8s.amazonaws.com/name` on CreateNetworkInterface). One left `available` (detached) after
 * its node went away is a leak: nothing will ever attach or delete it, and it blocks its subnet's deletion.
 */
export const CNI_CLUSTER_TAG = "cluster.k8s.amazonaws.com/name";
export const CNI_INSTANCE_TAG = "node.k8s.amazonaws.com/instance_id";

export type Tags = Readonly<Record<string, string>>;

/** AWS's `[{ Key, Value }]` tag lists as a map. */
export function tagMap(list: readonly { Key?: string; Value?: string }[] | undefined): Tags {
    const out: Record<string, string> = {};
    for (const tag of list ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? "";
    return out;
}

const hasStackTag = (tags: Tags) => LBC_STACK_TAGS.some((key) => tags[key] !== undefined);

/** A load balancer or target group the LB controller made for an Ingress, a Service or a Gateway of this cluster. */
export function isControllerElbResourceOf(clusterName: string, tags: Tags): boolean {
    return tags[LBC_CLUSTER_TAG] === clusterName && hasStackTag(tags);
}

/** A security group the LB controller made for this cluster: a load balancer's own, or the shared backend one. */
export function isControllerSecurityGroupOf(clusterName: string, tags: Tags): boolean {
    return tags[LBC_CLUSTER_TAG] === clusterName && (hasStackTag(tags) || tags[LBC_RESOURCE_TAG] !== undefined);
}

/** An instance Karpenter launched for this cluster (a managed node group's instances have no NodePool tag). */
export function isKarpenterInstanceOf(clusterName: string, tags: Tags): boolean {
    if (tags[KARPENTER_NODEPOOL_TAG] === undefined) return false;
    if (tags[clusterOwnershipTag(clusterName)] !== "owned") return false;
    // When present (Karpenter v1+), the EKS cluster-name tag must agree too.
    return tags[EKS_CLUSTER_NAME_TAG] === undefined || tags[EKS_CLUSTER_NAME_TAG] === clusterName;
}

export interface InterfaceFacts {
    status: string | undefined;
    vpcId: string | undefined;
    tags: Tags;
}

/** A detached ENI the VPC CNI made for this cluster, in this cluster's VPC. */
export function isLeakedCniInterfaceOf(clusterName: string, vpcId: string, eni: InterfaceFacts): boolean {
    return eni.status === "available" && eni.vpcId === vpcId && eni.tags[CNI_CLUSTER_TAG] === clusterName;
}
