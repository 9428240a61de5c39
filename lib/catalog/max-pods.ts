// How many pods the VPC CNI lets a node of a given instance type run, by the EKS max-pods calculator:
// awslabs/amazon-eks-ami templates/al2/runtime/max-pods-calculator.sh at v20260304 (578abdc2a5951a9fd4b8ea968b0abcc36a7166b0,
// the last release that ships it; AL2 support was removed in b2289030):
//   secondary IPs:      ENIs * (IPv4 per ENI - 1) + 2
//   prefix delegation:  ENIs * ((IPv4 per ENI - 1) * 16) + 2      (each ENI slot holds a /28 prefix of 16 addresses)
//   custom networking:  one ENI fewer (the primary ENI is not in the pod subnet)
//   recommended value:  at most 110 on types with 30 vCPUs or fewer, 250 above (`CPU_COUNT -gt 30`)
// The ENI limit is the default network card's (the CNI's own table). The +2 is the host-network pods (aws-node,
// kube-proxy) that take no pod address.
//
// Where the value ends up on a node (EKS user guide, nodes/choosing-instance-type, "How maxPods is determined"): managed
// node groups without a custom AMI enforce the 110/250 ceiling in user data; AL2023's nodeadm on its own
// (nodeadm/internal/kubelet/eni_max_pods.go at v20260724) sets the uncapped secondary-IP value and knows nothing of prefix
// delegation unless NodeConfig's maxPodsExpression or kubelet maxPods says otherwise, which Karpenter and self-managed
// nodes must therefore set.
import { instanceType, type InstanceTypeNetworking } from "./instance-types";

/** Addresses per /28 prefix the VPC CNI assigns to an ENI slot in prefix-delegation mode. */
export const IPS_PER_PREFIX = 16;
/** The calculator's ceilings (MAX_POD_CEILING_FOR_LOW_CPU / _HIGH_CPU) and the vCPU count above which the high one applies. */
export const MAX_PODS_CEILING = { lowCpu: 110, highCpu: 250, highCpuAbove: 30 } as const;

export interface MaxPodsOptions {
    /** The VPC CNI's ENABLE_PREFIX_DELEGATION. */
    prefixDelegation: boolean;
    /** The VPC CNI's custom networking (AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG): pods are not on the primary ENI. */
    customNetworking?: boolean;
    /**
     * The ceiling in place of the calculator's vCPU-based 110/250 (e.g. a kubelet maxPods the stack sets).
     * `Infinity` gives the uncapped value (the calculator's --show-max-allowed, and what eni-max-pods.txt lists).
     */
    maxPodsCap?: number;
}

/** The calculator's ceiling for a type with this many vCPUs. */
export function maxPodsCeiling(vcpu: number): number {
    return vcpu > MAX_PODS_CEILING.highCpuAbove ? MAX_PODS_CEILING.highCpu : MAX_PODS_CEILING.lowCpu;
}

/**
 * Prefix delegation needs a Nitro instance; the VPC CNI also accepts bare metal, which EC2 reports with no hypervisor
 * (pkg/awsutils IsPrefixDelegationSupported; on other types it falls back to secondary IPs). The calculator script
 * checks only for nitro; on bare metal the ceiling makes the difference moot.
 */
export function supportsPrefixDelegation(networking: Pick<InstanceTypeNetworking, "hypervisor" | "bareMetal">): boolean {
    return networking.hypervisor === "nitro" || networking.bareMetal;
}

/** The calculator's arithmetic on plain limits. `vcpu` is needed only when no `maxPodsCap` replaces the vCPU ceiling. */
export function maxPodsFor(
    limits: InstanceTypeNetworking & { vcpu?: number },
    options: MaxPodsOptions,
    typeName = "instance type",
): number {
    const enis = Math.max(0, limits.enis - (options.customNetworking ? 1 : 0));
    const perEni = limits.ipv4PerEni - 1;
    const addresses = options.prefixDelegation && supportsPrefixDelegation(limits) ? enis * perEni * IPS_PER_PREFIX : enis * perEni;
    const uncapped = addresses + 2;
    if (options.maxPodsCap !== undefined) return Math.min(uncapped, options.maxPodsCap);
    if (limits.vcpu === undefined) {
        throw new Error(`${typeName}: its vCPU count is unknown, so the 110/250 max-pods ceiling cannot be chosen; pass maxPodsCap`);
    }
    return Math.min(uncapped, maxPodsCeiling(limits.vcpu));
}

/** The max-pods value for a catalogued type; throws for a type the catalogue does not know (validate the name first). */
export function maxPods(type: string, options: MaxPodsOptions): number {
    const info = instanceType(type);
    if (!info) throw new Error(`${type}: not a known EC2 instance type`);
    if (!info.networking) throw new Error(`${type}: the VPC CNI's limits table does not list it, so its ENI limits are unknown`);
    return maxPodsFor({ ...info.networking, vcpu: info.vcpu }, options, type);
}
