import { z } from "zod";
import { chartVersion, cidrWithPrefix, type Environment } from "./common";
import { defineRule, problems, writtenFields, type Rule, type Written } from "./rule";

export const CNI_MODES = ["calico-policy", "vpc-cni-policy", "calico-cni"] as const;
export type CniMode = (typeof CNI_MODES)[number];

export const cniSchema = z
    .strictObject({
        mode: z
            .enum(CNI_MODES, { message: `must be one of ${CNI_MODES.join(", ")}` })
            .describe(
                "calico-policy: VPC CNI for pods, Calico (tigera-operator) for network policy. vpc-cni-policy: the VPC CNI's own policy agent, no Calico. calico-cni: Calico as the CNI (VXLAN), no aws-node (advanced).",
            ),
        calicoVersion: chartVersion.describe(
            "The tigera-operator chart version (Calico release), used by the calico-* modes; refused in mode vpc-cni-policy.",
        ),
        vpcCni: z
            .strictObject({
                prefixDelegation: z.boolean().describe("Assign /28 prefixes instead of single IPs: far more pods per node (max pods 110)."),
                warmIpTarget: z
                    .number()
                    .int()
                    .min(0, "must be 0 or more")
                    .optional()
                    .describe("Free IPs ipamd keeps attached (WARM_IP_TARGET); refused in mode calico-cni."),
                warmPrefixTarget: z
                    .number()
                    .int()
                    .min(0, "must be 0 or more")
                    .optional()
                    .describe(
                        "Free /28 prefixes ipamd keeps attached (WARM_PREFIX_TARGET): refused without prefixDelegation and in mode calico-cni.",
                    ),
                minimumIpTarget: z
                    .number()
                    .int()
                    .min(0, "must be 0 or more")
                    .optional()
                    .describe("IPs ipamd keeps attached at least, used or not (MINIMUM_IP_TARGET); refused in mode calico-cni."),
                customNetworking: z.boolean().describe("Pods get IPs from per-AZ subnets of network.podCidr (an ENIConfig per AZ)."),
                externalSnat: z
                    .boolean()
                    .describe(
                        "Leave SNAT to a NAT gateway or firewall instead of the node (AWS_VPC_K8S_CNI_EXTERNALSNAT); refused in mode calico-cni.",
                    ),
            })
            .describe("The vpc-cni add-on's settings."),
        calico: z
            .strictObject({
                ipPoolCidr: cidrWithPrefix(12, 20).describe(
                    "The VXLAN pod IP pool; must not overlap the VPC, network.podCidr or the service CIDR.",
                ),
                blockSize: z
                    .number()
                    .int()
                    .min(20, "must be between 20 and 28")
                    .max(28, "must be between 20 and 28")
                    .describe("Per-node IPAM block prefix (Calico default 26: 64 addresses a block)."),
                maxPods: z
                    .number()
                    .int()
                    .min(8, "must be between 8 and 250")
                    .max(250, "must be between 8 and 250")
                    .describe("Max pods each node's kubelet gets in calico-cni mode (overlay addresses are not bound to ENIs)."),
            })
            .describe("Calico as the CNI (mode calico-cni only: any of these written in another mode is refused)."),
        baselinePolicies: z
            .boolean()
            .describe("Install the baseline NetworkPolicies (default deny, DNS, add-on traffic) in the platform's namespaces."),
    })
    .describe("Pod networking and network policy.");
export type CniConfig = z.infer<typeof cniSchema>;

const at = (...path: (string | number)[]) => ["eks-platform:cni", ...path];

const KEY = "eks-platform:cni";
/** The vpcCni settings aws-node reads (prefixDelegation and customNetworking have their own rule above). */
const IPAMD_SETTINGS = ["warmIpTarget", "warmPrefixTarget", "minimumIpTarget", "externalSnat"] as const;

export const cniRules: readonly Rule<{ cni: CniConfig; written: Written }>[] = [
    defineRule({
        needs: ["cni.mode", "cni.vpcCni"],
        summary: "calico-cni: no prefixDelegation or customNetworking (Calico's IPAM replaces the VPC CNI)",
        reports: ["eks-platform:cni.vpcCni.prefixDelegation", "eks-platform:cni.vpcCni.customNetworking"],
        check: ({ cni }) => {
            const p = problems();
            if (cni.mode !== "calico-cni") return p.list;
            const ignored =
                "must be false in mode calico-cni: Calico's IPAM replaces the VPC CNI, whose settings would be silently ignored";
            if (cni.vpcCni.prefixDelegation) p.add(at("vpcCni", "prefixDelegation"), ignored);
            if (cni.vpcCni.customNetworking) p.add(at("vpcCni", "customNetworking"), ignored);
            return p.list;
        },
    }),
    defineRule({
        needs: ["cni.mode", "cni.vpcCni"],
        summary:
            "no setting that has no effect in the chosen mode: calico.* outside calico-cni, calicoVersion in vpc-cni-policy, the VPC CNI's IPAM settings in calico-cni, warmPrefixTarget without prefixDelegation",
        reports: [
            "eks-platform:cni.calico",
            "eks-platform:cni.calicoVersion",
            "eks-platform:cni.vpcCni.warmPrefixTarget",
            "eks-platform:cni.vpcCni.warmIpTarget",
            "eks-platform:cni.vpcCni.minimumIpTarget",
            "eks-platform:cni.vpcCni.externalSnat",
        ],
        check: ({ cni, written }) => {
            const p = problems();
            // What the stack file wrote: the defaults fill every setting whatever the mode, and are not the user's mistake.
            const vpcCniWritten = new Set(writtenFields(written, KEY, "vpcCni"));
            const kept = "remove it: a setting kept for a later change of mode would take effect unreviewed";
            if (cni.mode !== "calico-cni")
                for (const field of writtenFields(written, KEY, "calico"))
                    p.add(
                        at("calico", field),
                        `has no effect in mode ${cni.mode}: Calico's IP pool, block size and max pods apply in mode calico-cni only; ${kept}`,
                    );
            if (cni.mode === "vpc-cni-policy" && writtenFields(written, KEY).includes("calicoVersion"))
                p.add(at("calicoVersion"), `has no effect in mode vpc-cni-policy: no Calico is installed; ${kept}`);
            if (cni.mode === "calico-cni") {
                for (const field of IPAMD_SETTINGS)
                    if (vpcCniWritten.has(field))
                        p.add(at("vpcCni", field), `has no effect in mode calico-cni: there is no aws-node (VPC CNI) to read it; ${kept}`);
            } else if (!cni.vpcCni.prefixDelegation && vpcCniWritten.has("warmPrefixTarget"))
                p.add(
                    at("vpcCni", "warmPrefixTarget"),
                    "has no effect without eks-platform:cni.vpcCni.prefixDelegation: WARM_PREFIX_TARGET counts /28 prefixes, which only prefix delegation assigns (use warmIpTarget)",
                );
            return p.list;
        },
    }),
];

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
