// The vpc-cni EKS add-on's configuration values and the kubelet max pods for each CNI mode. Pure: the Cluster
// component creates the add-on from these (index.ts passes them), the Karpenter EC2NodeClasses use maxPodsFor.
//
// Every key below is in the add-on's published configuration schema (`aws eks describe-addon-configuration
// --addon-name vpc-cni`, definitions VpcCni and Env): env values are strings with format "boolean" or "integer",
// `enableNetworkPolicy` is a boolean string, `eniConfig` creates ENIConfigs. tests/cni.test.ts validates the output
// against those schema rules. Semantics of each variable: amazon-vpc-cni-k8s README ("CNI configuration variables").
import type { CniConfig } from "../../stacks/config";

/** The zone label ipamd reads to pick a node's ENIConfig; ENIConfigs are then named after the zone. */
export const ENI_CONFIG_LABEL = "topology.kubernetes.io/zone";

/** Max pods with prefix delegation: AWS's recommended cap for instances under 30 vCPUs (the EKS max-pods calculator). */
export const PREFIX_DELEGATION_MAX_PODS = 110;

/** The add-on's values we emit; a subset of the published schema's VpcCni definition. */
// A type alias (not an interface) so it is assignable to the Cluster's Record<string, unknown>.
export type VpcCniConfigurationValues = {
    env: Record<string, string>;
    /** Network policy agent of the VPC CNI (aws-network-policy-agent): "true" only in vpc-cni-policy. */
    enableNetworkPolicy: "true" | "false";
    /** Add-on-managed ENIConfigs (an alternative to the Cni component's): one per zone, keyed by zone name. */
    eniConfig?: { create: boolean; region: string; subnets: Record<string, { id: string; securityGroups?: string[] }> };
};

export interface VpcCniAddonSettings {
    /** False in calico-cni: the cluster must not run aws-node at all. */
    install: boolean;
    configurationValues: VpcCniConfigurationValues;
}

export interface VpcCniAddonOptions {
    /**
     * Let the add-on create the per-zone ENIConfigs instead of the Cni component (custom networking only): they then
     * exist before any node joins. Plain values: call inside `apply` when subnet ids are Outputs.
     */
    eniConfigs?: { region: string; subnets: { availabilityZone: string; subnetId: string; securityGroupIds?: string[] }[] };
}

const bool = (v: boolean): "true" | "false" => (v ? "true" : "false");

/** The vpc-cni add-on's configuration values for the stack's CNI mode and settings. */
export function vpcCniAddonSettings(cni: CniConfig, opts: VpcCniAddonOptions = {}): VpcCniAddonSettings {
    const v = cni.vpcCni;
    const env: Record<string, string> = {
        ENABLE_PREFIX_DELEGATION: bool(v.prefixDelegation),
        AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: bool(v.customNetworking),
        AWS_VPC_K8S_CNI_EXTERNALSNAT: bool(v.externalSnat),
    };
    // WARM_PREFIX_TARGET only means something with prefixes; WARM_IP_TARGET/MINIMUM_IP_TARGET work in both modes
    // (with prefixes they override the prefix target, per the README).
    if (v.prefixDelegation && v.warmPrefixTarget !== undefined) env.WARM_PREFIX_TARGET = String(v.warmPrefixTarget);
    if (v.warmIpTarget !== undefined) env.WARM_IP_TARGET = String(v.warmIpTarget);
    if (v.minimumIpTarget !== undefined) env.MINIMUM_IP_TARGET = String(v.minimumIpTarget);
    if (v.customNetworking) env.ENI_CONFIG_LABEL_DEF = ENI_CONFIG_LABEL;
    if (cni.mode === "calico-policy") {
        // kubelet reports a new pod's IP late (kubernetes#39113) and Calico cannot program policy for it until then;
        // ipamd annotating the pod with its IP closes that gap. aws-node needs `patch pods` for it (the Cni component
        // grants it).
        env.ANNOTATE_POD_IP = "true";
    }
    const configurationValues: VpcCniConfigurationValues = {
        env,
        // Two policy engines on one node program conflicting rules: only vpc-cni-policy turns the agent on.
        enableNetworkPolicy: bool(cni.mode === "vpc-cni-policy"),
    };
    if (v.customNetworking && opts.eniConfigs) {
        const subnets: Record<string, { id: string; securityGroups?: string[] }> = {};
        for (const s of opts.eniConfigs.subnets) {
            subnets[s.availabilityZone] = s.securityGroupIds
                ? { id: s.subnetId, securityGroups: [...s.securityGroupIds] }
                : { id: s.subnetId };
        }
        configurationValues.eniConfig = { create: true, region: opts.eniConfigs.region, subnets };
    }
    return { install: cni.mode !== "calico-cni", configurationValues };
}

/**
 * The max pods a node's kubelet gets: an explicit value wins; 110 with prefix delegation (nodeadm derives max pods
 * from the ENI limits, which prefixes make meaningless); Calico's configured maximum in calico-cni (overlay
 * addresses are not bound to ENIs, the ENI-derived value, e.g. 35 on a t4g.large, would waste the node); otherwise
 * undefined, so nodeadm derives it from the instance type's ENI limits.
 */
export function maxPodsFor(cni: CniConfig, explicit?: number): number | undefined {
    if (explicit !== undefined) return explicit;
    if (cni.mode === "calico-cni") return cni.calico.maxPods;
    if (cni.vpcCni.prefixDelegation) return PREFIX_DELEGATION_MAX_PODS;
    return undefined;
}
