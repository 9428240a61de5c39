import { z } from "zod";
import { chartVersion, cidrWithPrefix, type Environment } from "./common";

export const CNI_MODES = ["calico-policy", "vpc-cni-policy", "calico-cni"] as const;
export type CniMode = (typeof CNI_MODES)[number];

export const cniSchema = z.strictObject({
    /**
     * calico-policy: VPC CNI for pods, Calico (tigera-operator) for network policy (default).
     * vpc-cni-policy: the VPC CNI's own network policy agent, no Calico.
     * calico-cni: Calico as the CNI (VXLAN overlay), no aws-node (advanced).
     */
    mode: z.enum(CNI_MODES, { message: `must be one of ${CNI_MODES.join(", ")}` }),
    /** The tigera-operator chart version (Calico release), used by the calico-* modes. */
    calicoVersion: chartVersion,
    vpcCni: z.strictObject({
        /** Assign /28 prefixes instead of single IPs: far more pods per node (max pods 110, or 250 on large types). */
        prefixDelegation: z.boolean(),
        /** Free IPs ipamd keeps attached (WARM_IP_TARGET); overrides warmPrefixTarget when set. */
        warmIpTarget: z.number().int().min(0, "must be 0 or more").optional(),
        /** Free /28 prefixes ipamd keeps attached (WARM_PREFIX_TARGET); only used with prefixDelegation. */
        warmPrefixTarget: z.number().int().min(0, "must be 0 or more").optional(),
        /** IPs ipamd keeps attached at least, used or not (MINIMUM_IP_TARGET). */
        minimumIpTarget: z.number().int().min(0, "must be 0 or more").optional(),
        /** Pods get IPs from per-AZ subnets of network.podCidr (ENIConfig per AZ). */
        customNetworking: z.boolean(),
        /** Leave SNAT to a NAT gateway or firewall instead of the node (AWS_VPC_K8S_CNI_EXTERNALSNAT). */
        externalSnat: z.boolean(),
    }),
    /** Calico as the CNI (mode calico-cni only): the VXLAN IP pool pods get their addresses from. */
    calico: z.strictObject({
        /** The pod IP pool; must not overlap the VPC, network.podCidr or the service CIDR. */
        ipPoolCidr: cidrWithPrefix(12, 20),
        /** Per-node IPAM block prefix (Calico default 26: 64 addresses a block). */
        blockSize: z.number().int().min(20, "must be between 20 and 28").max(28, "must be between 20 and 28"),
        /** Max pods each node's kubelet gets in calico-cni mode (no ENI limit applies to overlay addresses). */
        maxPods: z.number().int().min(8, "must be between 8 and 250").max(250, "must be between 8 and 250"),
    }),
    /** Install the baseline NetworkPolicies (default deny, DNS, add-on traffic) in the platform's namespaces. */
    baselinePolicies: z.boolean(),
});
export type CniConfig = z.infer<typeof cniSchema>;

const common: Partial<CniConfig> = {
    mode: "calico-policy",
    calicoVersion: "v3.32.1",
    // 172.16.0.0/16 is Calico's EKS example pool; it must stay clear of the VPC and the service CIDR.
    calico: { ipPoolCidr: "172.16.0.0/16", blockSize: 26, maxPods: 110 },
    baselinePolicies: true,
};

export const cniDefaults: Record<Environment, Partial<CniConfig>> = {
    dev: { ...common, vpcCni: { prefixDelegation: true, warmPrefixTarget: 1, customNetworking: false, externalSnat: false } },
    staging: { ...common, vpcCni: { prefixDelegation: true, warmPrefixTarget: 1, customNetworking: false, externalSnat: false } },
    prod: {
        ...common,
        vpcCni: { prefixDelegation: true, warmPrefixTarget: 1, minimumIpTarget: 16, customNetworking: false, externalSnat: false },
    },
};
