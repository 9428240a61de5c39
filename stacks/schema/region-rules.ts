// Rules that judge a setting against the stack's region (aws:region): availability zones must be zones of it, and
// IAM principals must be of its partition. They need the region to have parsed; a bad region is reported on its own.
import { isZoneOfRegion, partitionOfRegion, regionOfZone } from "../../lib/catalog";
import { parseArn } from "./catalog";
import type { ClusterConfig } from "./cluster";
import type { KarpenterConfig } from "./karpenter";
import type { NetworkConfig } from "./network";
import { defineRule, problems, type Rule } from "./rule";

type View = { region: string; network: NetworkConfig; cluster: ClusterConfig; karpenter: KarpenterConfig };

/**
 * Why `zone` is not an availability zone of `region`, or undefined. Which letters a region has only EC2 can say
 * (DescribeAvailabilityZones); offline the name is what can be checked, and it catches the common mistake: a zone of
 * another region, copied from another stack. (Local Zone names and zone IDs fail the name's schema already.)
 */
export function zoneProblem(zone: string, region: string): string | undefined {
    if (isZoneOfRegion(zone, region)) return undefined;
    const example = `${region}${zone.slice(-1)}`;
    const other = regionOfZone(zone);
    return `must be an availability zone of aws:region ${region}${other ? ` (${zone} is in ${other}): did you mean ${example}?` : ` such as ${example}`}`;
}

export const regionRules: readonly Rule<View>[] = [
    defineRule({
        needs: ["region", "network.availabilityZones"],
        summary: "availabilityZones are zones of aws:region, each listed once",
        reports: ["eks-platform:network.availabilityZones"],
        check: ({ region, network }) => {
            const p = problems();
            const seen = new Set<string>();
            network.availabilityZones?.forEach((zone, i) => {
                const problem = zoneProblem(zone, region);
                if (problem) p.add(["eks-platform:network", "availabilityZones", i], problem);
                else if (seen.has(zone))
                    p.add(["eks-platform:network", "availabilityZones", i], "must be listed once: each zone gets one subnet of each kind");
                seen.add(zone);
            });
            return p.list;
        },
    }),
    defineRule({
        needs: ["region", "karpenter.nodePools", "network.availabilityZones"],
        summary:
            "a NodePool's zones are zones of aws:region and among the network's availabilityZones, which must then be explicit (the network's subnets are where nodes launch)",
        reports: ["eks-platform:karpenter.nodePools"],
        check: ({ region, karpenter, network }) => {
            const p = problems();
            const zones = network.availabilityZones;
            karpenter.nodePools.forEach((pool, i) =>
                pool.zones?.forEach((zone, z) => {
                    const at = ["eks-platform:karpenter", "nodePools", i, "zones", z];
                    const problem = zoneProblem(zone, region);
                    if (problem) p.add(at, problem);
                    else if (!zones)
                        p.add(
                            at,
                            "needs eks-platform:network.availabilityZones: without them the network takes the first azCount zones EC2 reports at deploy time, so this zone may have no subnet and the pool could never launch a node there",
                        );
                    else if (!zones.includes(zone)) p.add(at, `must be one of the network's availabilityZones (${zones.join(", ")})`);
                }),
            );
            return p.list;
        },
    }),
    defineRule({
        needs: ["region", "cluster.accessEntries"],
        summary: "access-entry principals are ARNs of the partition of aws:region",
        reports: ["eks-platform:cluster.accessEntries"],
        check: ({ region, cluster }) => {
            const p = problems();
            const partition = partitionOfRegion(region);
            if (!partition) return p.list;
            cluster.accessEntries.forEach((entry, i) => {
                const arn = parseArn(entry.principalArn);
                if (arn && arn.partition !== partition)
                    p.add(
                        ["eks-platform:cluster", "accessEntries", i, "principalArn"],
                        `must be an ARN of partition ${partition}, the partition of aws:region ${region} (arn:${partition}:iam::${arn.account}:${arn.resource}): IAM principals of partition ${arn.partition} cannot sign in to a cluster there`,
                    );
            });
            return p.list;
        },
    }),
];
