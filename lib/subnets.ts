// The tags each subnet role carries, as data: the Network puts them on its subnets, load balancers are placed by
// them (the LB controller's subnet discovery and the Gateways' subnet selectors), and the config checks that a
// Gateway's selector lands on the subnets its scheme needs. Pure; imports nothing of the project.

export const SUBNET_ROLES = ["public", "private", "pod"] as const;
export type SubnetRole = (typeof SUBNET_ROLES)[number];

/** Tags of each subnet role. Load balancers find subnets by the elb tags; Karpenter finds node subnets by discovery. */
export function subnetTags(role: SubnetRole, clusterName: string): Record<string, string> {
    switch (role) {
        case "public":
            return { "kubernetes.io/role/elb": "1" };
        case "private":
            return { "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": clusterName };
        case "pod":
            // Pod subnets (VPC CNI custom networking) hold pod ENIs only: no LB or Karpenter discovery tags.
            return { "eks-platform/subnet-role": "pods" };
    }
}

/**
 * The subnets a load balancer of each scheme belongs in: internet-facing ones need a route to the internet gateway
 * (public subnets), internal ones sit beside the nodes (private subnets). The role tags are the ones the LB controller's
 * own subnet discovery reads (docs/deploy/subnet_discovery.md).
 */
export const LOAD_BALANCER_SUBNET_ROLE = { "internet-facing": "public", internal: "private" } as const satisfies Record<string, SubnetRole>;

/** A subnet tag selector as LoadBalancerConfiguration's loadBalancerSubnetsSelector reads it: tag key -> allowed values. */
export type SubnetSelector = Readonly<Record<string, readonly string[]>>;

/** The selector of a role's load-balancer tag (the kubernetes.io/role/* tag alone, the same in every cluster). */
export function roleSelector(role: "public" | "private"): SubnetSelector {
    return role === "public" ? { "kubernetes.io/role/elb": ["1"] } : { "kubernetes.io/role/internal-elb": ["1"] };
}

/** True when every key of the selector is a tag of the subnet with one of the listed values (the controller's rule). */
export function selectorMatches(selector: SubnetSelector, tags: Readonly<Record<string, string>>): boolean {
    return Object.entries(selector).every(([key, values]) => tags[key] !== undefined && values.includes(tags[key]));
}

/** The roles of the Network's subnets a selector picks (a role's subnets all carry the same tags). */
export function selectedRoles(selector: SubnetSelector, clusterName: string, withPodSubnets: boolean): SubnetRole[] {
    return SUBNET_ROLES.filter((role) => (role !== "pod" || withPodSubnets) && selectorMatches(selector, subnetTags(role, clusterName)));
}
