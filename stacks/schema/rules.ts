// Rules that span sections: each names the values it reads and runs whenever they parsed (stacks/config.ts).
// Rules that judge a setting against aws:region are in ./region-rules.
import { instanceType, maxPodsFor } from "../../lib/catalog";
import { ENI_LIMITS_SOURCE } from "./catalog";
import type { z } from "zod";
import { parseCidr } from "./common";
import type { ClusterConfig } from "./cluster";
import type { CniConfig } from "./cni";
import type { KarpenterConfig } from "./karpenter";
import type { IngressConfig } from "./ingress";
import type { NetworkConfig } from "./network";
import type { teamsSchema } from "./teams";
import { defineRule, problems, type Rule } from "./rule";

type View = {
    network: NetworkConfig;
    cluster: ClusterConfig;
    karpenter: KarpenterConfig;
    cni: CniConfig;
    ingress: IngressConfig;
    teams: z.infer<typeof teamsSchema>;
};

const overlaps = (a: string | undefined, b: string | undefined): boolean => {
    const x = a === undefined ? undefined : parseCidr(a);
    const y = b === undefined ? undefined : parseCidr(b);
    return !!x && !!y && (x.address.isInSubnet(y.address) || y.address.isInSubnet(x.address));
};

export const crossSectionRules: readonly Rule<View>[] = [
    defineRule({
        needs: ["cluster.serviceCidr", "network.vpcCidr", "network.podCidr"],
        summary: "the service CIDR overlaps neither the VPC nor the pod CIDR",
        reports: ["eks-platform:cluster.serviceCidr"],
        check: ({ cluster, network }) => {
            const p = problems();
            for (const [key, other] of [
                ["vpcCidr", network.vpcCidr],
                ["podCidr", network.podCidr],
            ] as const) {
                if (overlaps(cluster.serviceCidr, other))
                    p.add(
                        ["eks-platform:cluster", "serviceCidr"],
                        `must not overlap eks-platform:network.${key} ${other}: Services and VPC addresses would collide`,
                    );
            }
            return p.list;
        },
    }),
    defineRule({
        needs: ["cni.vpcCni", "network.podCidr"],
        summary: "customNetworking needs network.podCidr",
        reports: ["eks-platform:cni.vpcCni.customNetworking"],
        check: ({ cni, network }) => {
            const p = problems();
            if (cni.vpcCni.customNetworking && !network.podCidr)
                p.add(
                    ["eks-platform:cni", "vpcCni", "customNetworking"],
                    "needs eks-platform:network.podCidr: custom networking puts pods in subnets of a secondary CIDR",
                );
            return p.list;
        },
    }),
    defineRule({
        needs: ["cni.mode", "cni.calico", "network.vpcCidr", "network.podCidr", "cluster.serviceCidr"],
        summary: "calico-cni: the IP pool overlaps neither the VPC, the pod CIDR nor the service CIDR",
        reports: ["eks-platform:cni.calico.ipPoolCidr"],
        check: ({ cni, network, cluster }) => {
            const p = problems();
            if (cni.mode !== "calico-cni") return p.list;
            for (const [key, other] of [
                ["eks-platform:network.vpcCidr", network.vpcCidr],
                ["eks-platform:network.podCidr", network.podCidr],
                ["eks-platform:cluster.serviceCidr", cluster.serviceCidr],
            ] as const) {
                if (overlaps(cni.calico.ipPoolCidr, other))
                    p.add(
                        ["eks-platform:cni", "calico", "ipPoolCidr"],
                        `must not overlap ${key} ${other}: pod and VPC or Service addresses would collide`,
                    );
            }
            return p.list;
        },
    }),
    defineRule({
        needs: ["cni.mode", "cluster.addons"],
        summary: "vpc-cni-policy needs vpc-cni v1.14.0 or later (the network policy agent)",
        reports: ["eks-platform:cluster.addons.vpcCni"],
        check: ({ cni, cluster }) => {
            const p = problems();
            const version = /^v(\d+)\.(\d+)\./.exec(cluster.addons.vpcCni);
            if (
                cni.mode === "vpc-cni-policy" &&
                version &&
                (Number(version[1]) < 1 || (Number(version[1]) === 1 && Number(version[2]) < 14))
            )
                p.add(
                    ["eks-platform:cluster", "addons", "vpcCni"],
                    "must be v1.14.0 or later in cni mode vpc-cni-policy: earlier VPC CNI versions have no network policy agent",
                );
            return p.list;
        },
    }),
    defineRule({
        needs: ["cni.mode", "cni.vpcCni", "cluster.nodeSettings", "karpenter.nodeClasses"],
        summary: "an explicit maxPods fits the CNI mode: at most 110 without prefix delegation, at least 110 with it",
        reports: ["eks-platform:cluster.nodeSettings.maxPods", "eks-platform:karpenter.nodeClasses"],
        check: ({ cni, cluster, karpenter }) => {
            const p = problems();
            if (cni.mode === "calico-cni") return p.list;
            const explicit: { path: (string | number)[]; value: number }[] = [];
            if (cluster.nodeSettings.maxPods !== undefined)
                explicit.push({ path: ["eks-platform:cluster", "nodeSettings", "maxPods"], value: cluster.nodeSettings.maxPods });
            karpenter.nodeClasses.forEach((nodeClass, i) => {
                if (nodeClass.maxPods !== undefined)
                    explicit.push({ path: ["eks-platform:karpenter", "nodeClasses", i, "maxPods"], value: nodeClass.maxPods });
            });
            for (const { path, value } of explicit) {
                if (!cni.vpcCni.prefixDelegation && value > 110)
                    p.add(
                        path,
                        "must be at most 110 without eks-platform:cni.vpcCni.prefixDelegation: each pod needs a VPC address from the node's ENIs",
                    );
                if (cni.vpcCni.prefixDelegation && value < 110)
                    p.add(
                        path,
                        "contradicts eks-platform:cni.vpcCni.prefixDelegation, which exists to raise pod density: leave maxPods unset (110) or set it to at least 110",
                    );
            }
            return p.list;
        },
    }),
    defineRule({
        needs: ["cni.mode", "cni.vpcCni", "cluster.nodeSettings", "cluster.systemNodeGroup"],
        summary:
            "an explicit maxPods is no more than each system node group instance type's ENIs can address (the VPC CNI's limits table; x16 per slot with prefix delegation)",
        reports: ["eks-platform:cluster.nodeSettings.maxPods"],
        check: ({ cni, cluster }) => {
            const p = problems();
            const value = cluster.nodeSettings.maxPods;
            // Calico's overlay addresses are not bound to ENIs; above 110 without prefix delegation the rule above reports.
            if (value === undefined || cni.mode === "calico-cni" || (!cni.vpcCni.prefixDelegation && value > 110)) return p.list;
            const options = {
                prefixDelegation: cni.vpcCni.prefixDelegation,
                customNetworking: cni.vpcCni.customNetworking,
                maxPodsCap: Infinity,
            };
            for (const type of cluster.systemNodeGroup.instanceTypes) {
                const limits = instanceType(type)?.networking;
                if (!limits) continue;
                const ceiling = maxPodsFor(limits, options, type);
                if (value <= ceiling) continue;
                const enis = limits.enis - (cni.vpcCni.customNetworking ? 1 : 0);
                const perSlot = options.prefixDelegation ? " x 16 (a /28 prefix per slot)" : "";
                p.add(
                    ["eks-platform:cluster", "nodeSettings", "maxPods"],
                    `must be at most ${ceiling} for system node group instance type ${type}: its ${enis} ENI${enis === 1 ? "" : "s"}${cni.vpcCni.customNetworking ? " (one fewer with custom networking)" : ""} x (${limits.ipv4PerEni} IPv4 addresses - 1)${perSlot} + 2 = ${ceiling} pods ${cni.vpcCni.prefixDelegation ? "with" : "without"} prefix delegation (the VPC CNI's limits, ${ENI_LIMITS_SOURCE}); pods past that never get an address`,
                );
            }
            return p.list;
        },
    }),
    defineRule({
        needs: ["teams.teams", "ingress.gateways"],
        summary: "a team's gateways are shared Gateways the stack enables",
        reports: ["eks-platform:teams.teams"],
        check: ({ teams, ingress }) => {
            const p = problems();
            teams.teams.forEach((team, i) =>
                team.gateways.forEach((key, g) => {
                    if (!ingress.gateways[key].enabled)
                        p.add(
                            ["eks-platform:teams", "teams", i, "gateways", g],
                            `must name a shared Gateway the stack enables: eks-platform:ingress.gateways.${key}.enabled is false`,
                        );
                }),
            );
            return p.list;
        },
    }),
];
