// Rules that span sections or depend on the environment; they run once every section has parsed.
import type { z } from "zod";
import type { clusterSchema } from "./cluster";
import type { cniSchema } from "./cni";
import type { karpenterSchema } from "./karpenter";
import type { networkSchema } from "./network";
import type { observabilitySchema } from "./observability";
import type { Environment } from "./common";

export interface ParsedSections {
    "eks-platform:environment": Environment;
    "eks-platform:network": z.infer<typeof networkSchema>;
    "eks-platform:cluster": z.infer<typeof clusterSchema>;
    "eks-platform:karpenter": z.infer<typeof karpenterSchema>;
    "eks-platform:cni": z.infer<typeof cniSchema>;
    "eks-platform:observability": z.infer<typeof observabilitySchema>;
}

export interface RuleProblem {
    pathParts: (string | number)[];
    rule: string;
}

const OPEN_TO_THE_INTERNET = new Set(["0.0.0.0/0"]);

export function crossSectionRules(c: ParsedSections, _stack: string): RuleProblem[] {
    const problems: RuleProblem[] = [];
    const add = (pathParts: (string | number)[], rule: string) => problems.push({ pathParts, rule });
    const env = c["eks-platform:environment"];
    const network = c["eks-platform:network"];
    const cluster = c["eks-platform:cluster"];
    const karpenter = c["eks-platform:karpenter"];
    const cni = c["eks-platform:cni"];
    const prod = env === "prod";

    // --- cluster
    if (prod && cluster.endpoint.publicAccess) {
        cluster.endpoint.publicAccessCidrs.forEach((cidr, i) => {
            if (OPEN_TO_THE_INTERNET.has(cidr)) {
                add(["eks-platform:cluster", "endpoint", "publicAccessCidrs", i], "must not open the public API endpoint to the whole internet in prod (CIS EKS 5.4.2): list your networks");
            }
        });
    }
    if (prod && cluster.systemNodeGroup.minSize < 2) {
        add(["eks-platform:cluster", "systemNodeGroup", "minSize"], "must be at least 2 in prod so system add-ons survive the loss of a node");
    }
    if (prod && !cluster.protect) {
        add(["eks-platform:cluster", "protect"], "must be true in prod: the cluster, its KMS key and the log buckets are protected from deletion");
    }

    // --- karpenter
    const classNames = new Set<string>();
    karpenter.nodeClasses.forEach((nodeClass, i) => {
        if (classNames.has(nodeClass.name)) add(["eks-platform:karpenter", "nodeClasses", i, "name"], `must be unique: another EC2NodeClass is already named ${nodeClass.name}`);
        classNames.add(nodeClass.name);
        if (prod && nodeClass.amiAlias?.endsWith("@latest")) {
            add(["eks-platform:karpenter", "nodeClasses", i, "amiAlias"], "must pin an AMI version in prod (al2023@vYYYYMMDD), not @latest: a new AMI would roll every node unreviewed");
        }
        if (nodeClass.maxPods !== undefined && nodeClass.podsPerCore !== undefined) {
            add(["eks-platform:karpenter", "nodeClasses", i, "podsPerCore"], "must not be set together with maxPods: choose one pod density rule");
        }
    });
    if (prod && karpenter.amiAlias.endsWith("@latest")) {
        add(["eks-platform:karpenter", "amiAlias"], "must pin an AMI version in prod (al2023@vYYYYMMDD), not @latest: a new AMI would roll every node unreviewed");
    }
    if (prod && karpenter.replicas < 2) add(["eks-platform:karpenter", "replicas"], "must be at least 2 in prod (the controller runs leader-elected with a PDB)");

    const poolNames = new Set<string>();
    const zones = network.availabilityZones;
    karpenter.nodePools.forEach((pool, i) => {
        const at = (...rest: (string | number)[]) => ["eks-platform:karpenter", "nodePools", i, ...rest];
        if (poolNames.has(pool.name)) add(at("name"), `must be unique: another NodePool is already named ${pool.name}`);
        poolNames.add(pool.name);
        if (!classNames.has(pool.nodeClass)) add(at("nodeClass"), `must name an EC2NodeClass declared in eks-platform:karpenter.nodeClasses (${[...classNames].join(", ")})`);
        if (zones && pool.zones) {
            pool.zones.forEach((zone, z) => {
                if (!zones.includes(zone)) add(at("zones", z), `must be one of the network's availabilityZones (${zones.join(", ")})`);
            });
        }
        if (pool.preset === "team" && pool.taints.length === 0) add(at("taints"), "must hold at least one taint for a team pool");
        if (prod && !pool.disruption.budgets.some((b) => b.schedule !== undefined)) {
            add(at("disruption", "budgets"), "must include a schedule-bound budget in prod (e.g. nodes: \"0\" during business hours)");
        }
        if (pool.disruption.consolidationPolicy === "WhenEmptyOrUnderutilized" && pool.disruption.consolidateAfter === "Never") {
            // Karpenter accepts it, but then never consolidates underutilized nodes: almost always a mistake.
            add(at("disruption", "consolidateAfter"), "must be a duration when consolidationPolicy is WhenEmptyOrUnderutilized");
        }
    });

    // --- cni
    if (cni.vpcCni.customNetworking && !network.podCidr) {
        add(["eks-platform:cni", "vpcCni", "customNetworking"], "needs eks-platform:network.podCidr: custom networking puts pods in subnets of a secondary CIDR");
    }
    if (cni.mode === "calico-cni" && (cni.vpcCni.customNetworking || cni.vpcCni.prefixDelegation)) {
        add(["eks-platform:cni", "mode"], "calico-cni replaces the VPC CNI: turn off vpcCni.prefixDelegation and vpcCni.customNetworking");
    }
    const maxPods = cluster.nodeSettings.maxPods;
    if (maxPods !== undefined && cni.mode !== "calico-cni" && !cni.vpcCni.prefixDelegation && maxPods > 110) {
        add(["eks-platform:cluster", "nodeSettings", "maxPods"], "must be at most 110 without vpcCni.prefixDelegation: each pod needs a VPC address from the node's ENIs");
    }
    if (maxPods !== undefined && cni.vpcCni.prefixDelegation && maxPods < 110 && cni.mode !== "calico-cni") {
        add(["eks-platform:cluster", "nodeSettings", "maxPods"], "contradicts vpcCni.prefixDelegation, which exists to raise pod density: leave maxPods unset (110, or 250 on large types) or set it to at least 110");
    }
    return problems;
}
