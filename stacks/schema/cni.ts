import { z } from "zod";
import { chartVersion, type Environment } from "./common";

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
        warmIpTarget: z.number().int().min(0, "must be 0 or more").optional(),
        warmPrefixTarget: z.number().int().min(0, "must be 0 or more").optional(),
        minimumIpTarget: z.number().int().min(0, "must be 0 or more").optional(),
        /** Pods get IPs from per-AZ subnets of network.podCidr (ENIConfig per AZ). */
        customNetworking: z.boolean(),
        /** Leave SNAT to a NAT gateway or firewall instead of the node (AWS_VPC_K8S_CNI_EXTERNALSNAT). */
        externalSnat: z.boolean(),
    }),
    /** Install the baseline NetworkPolicies (default deny, DNS, add-on traffic) in the platform's namespaces. */
    baselinePolicies: z.boolean(),
});
export type CniConfig = z.infer<typeof cniSchema>;

const common: Partial<CniConfig> = {
    mode: "calico-policy",
    calicoVersion: "v3.32.1",
    baselinePolicies: true,
};

export const cniDefaults: Record<Environment, Partial<CniConfig>> = {
    dev: { ...common, vpcCni: { prefixDelegation: true, warmPrefixTarget: 1, customNetworking: false, externalSnat: false } },
    staging: { ...common, vpcCni: { prefixDelegation: true, warmPrefixTarget: 1, customNetworking: false, externalSnat: false } },
    prod: { ...common, vpcCni: { prefixDelegation: true, warmPrefixTarget: 1, minimumIpTarget: 16, customNetworking: false, externalSnat: false } },
};
