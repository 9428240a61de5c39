// Rules that span sections or depend on the environment; they run once every section has parsed.
import type { z } from "zod";
import type { clusterSchema } from "./cluster";
import type { cniSchema } from "./cni";
import type { ingressSchema } from "./ingress";
import { DEFAULT_OVERFLOW_WEIGHT, effectiveNodePools, type karpenterSchema } from "./karpenter";
import type { networkSchema } from "./network";
import type { observabilitySchema } from "./observability";
import { parseCidr, type Environment } from "./common";

export interface ParsedSections {
    "eks-platform:environment": Environment;
    "eks-platform:network": z.infer<typeof networkSchema>;
    "eks-platform:cluster": z.infer<typeof clusterSchema>;
    "eks-platform:karpenter": z.infer<typeof karpenterSchema>;
    "eks-platform:cni": z.infer<typeof cniSchema>;
    "eks-platform:ingress": z.infer<typeof ingressSchema>;
    "eks-platform:observability": z.infer<typeof observabilitySchema>;
}

export interface RuleProblem {
    pathParts: (string | number)[];
    rule: string;
}

const OPEN_TO_THE_INTERNET = new Set(["0.0.0.0/0"]);

/** EC2NodeClass tags Karpenter sets itself and refuses from users (karpenter-provider-aws RestrictedTagPatterns). */
const KARPENTER_RESTRICTED_TAGS = [
    /^kubernetes\.io\/cluster\/[0-9A-Za-z][A-Za-z0-9\-_]*$/,
    /^karpenter\.sh\/nodepool$/,
    /^eks:eks-cluster-name$/,
    /^karpenter\.k8s\.aws\/ec2nodeclass$/,
    /^karpenter\.sh\/nodeclaim$/,
];
/** NodePool label domains the v1 CRD refuses in template.metadata.labels (CEL rules of karpenter.sh_nodepools). */
function restrictedLabel(key: string): boolean {
    const domain = key.includes("/") ? key.slice(0, key.indexOf("/")) : "";
    return key === "kubernetes.io/hostname" || domain.endsWith("karpenter.sh") || domain.endsWith("karpenter.k8s.aws");
}

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
                add(
                    ["eks-platform:cluster", "endpoint", "publicAccessCidrs", i],
                    "must not open the public API endpoint to the whole internet in prod (CIS EKS 5.4.2): list your networks",
                );
            }
        });
    }
    if (prod && cluster.systemNodeGroup.minSize < 2) {
        add(
            ["eks-platform:cluster", "systemNodeGroup", "minSize"],
            "must be at least 2 in prod so system add-ons survive the loss of a node",
        );
    }
    for (const [key, other] of [
        ["vpcCidr", network.vpcCidr],
        ["podCidr", network.podCidr],
    ] as const) {
        const service = parseCidr(cluster.serviceCidr);
        const net = other === undefined ? undefined : parseCidr(other);
        if (service && net && (service.address.isInSubnet(net.address) || net.address.isInSubnet(service.address))) {
            add(
                ["eks-platform:cluster", "serviceCidr"],
                `must not overlap eks-platform:network.${key} ${other}: Services and VPC addresses would collide`,
            );
        }
    }
    if (prod && !cluster.protect) {
        add(
            ["eks-platform:cluster", "protect"],
            "must be true in prod: the cluster, its KMS key and the log buckets are protected from deletion",
        );
    }

    // --- karpenter
    const classNames = new Set<string>();
    karpenter.nodeClasses.forEach((nodeClass, i) => {
        if (classNames.has(nodeClass.name))
            add(
                ["eks-platform:karpenter", "nodeClasses", i, "name"],
                `must be unique: another EC2NodeClass is already named ${nodeClass.name}`,
            );
        classNames.add(nodeClass.name);
        if (prod && nodeClass.amiAlias?.endsWith("@latest")) {
            add(
                ["eks-platform:karpenter", "nodeClasses", i, "amiAlias"],
                "must pin an AMI version in prod (al2023@vYYYYMMDD), not @latest: a new AMI would roll every node unreviewed",
            );
        }
        for (const key of Object.keys(nodeClass.tags ?? {})) {
            if (KARPENTER_RESTRICTED_TAGS.some((re) => re.test(key))) {
                add(
                    ["eks-platform:karpenter", "nodeClasses", i, "tags", key],
                    "is a tag Karpenter sets itself (its IAM policy is scoped by it): remove it",
                );
            }
        }
        if (nodeClass.maxPods !== undefined && nodeClass.podsPerCore !== undefined) {
            add(
                ["eks-platform:karpenter", "nodeClasses", i, "podsPerCore"],
                "must not be set together with maxPods: choose one pod density rule",
            );
        }
    });
    if (prod && karpenter.amiAlias.endsWith("@latest")) {
        add(
            ["eks-platform:karpenter", "amiAlias"],
            "must pin an AMI version in prod (al2023@vYYYYMMDD), not @latest: a new AMI would roll every node unreviewed",
        );
    }
    if (prod && karpenter.replicas < 2)
        add(["eks-platform:karpenter", "replicas"], "must be at least 2 in prod (the controller runs leader-elected with a PDB)");

    const poolNames = new Set<string>();
    const zones = network.availabilityZones;
    karpenter.nodePools.forEach((pool, i) => {
        const at = (...rest: (string | number)[]) => ["eks-platform:karpenter", "nodePools", i, ...rest];
        if (poolNames.has(pool.name)) add(at("name"), `must be unique: another NodePool is already named ${pool.name}`);
        poolNames.add(pool.name);
        if (!classNames.has(pool.nodeClass))
            add(
                at("nodeClass"),
                `must name an EC2NodeClass declared in eks-platform:karpenter.nodeClasses (${[...classNames].join(", ")})`,
            );
        if (zones && pool.zones) {
            pool.zones.forEach((zone, z) => {
                if (!zones.includes(zone)) add(at("zones", z), `must be one of the network's availabilityZones (${zones.join(", ")})`);
            });
        }
        if (pool.preset === "team" && pool.taints.length === 0) add(at("taints"), "must hold at least one taint for a team pool");
        for (const key of Object.keys(pool.labels)) {
            if (restrictedLabel(key))
                add(
                    at("labels", key),
                    "uses a label Karpenter reserves (karpenter.sh, karpenter.k8s.aws, kubernetes.io/hostname): the NodePool CRD refuses it",
                );
        }
        if (pool.spotOverflow) {
            if (pool.capacityTypes.length !== 1 || pool.capacityTypes[0] !== "on-demand") {
                add(
                    at("spotOverflow"),
                    "needs capacityTypes [on-demand]: the overflow splits an on-demand baseline from its spot overflow",
                );
            }
            const overflowWeight = pool.spotOverflow.weight ?? DEFAULT_OVERFLOW_WEIGHT;
            if (pool.weight === undefined || pool.weight <= overflowWeight) {
                add(
                    at("weight"),
                    `must be higher than spotOverflow.weight (${overflowWeight}) so Karpenter fills the on-demand baseline first`,
                );
            }
        }
        if (prod && !pool.disruption.budgets.some((b) => b.schedule !== undefined)) {
            add(at("disruption", "budgets"), 'must include a schedule-bound budget in prod (e.g. nodes: "0" during business hours)');
        }
        if (pool.disruption.consolidationPolicy === "WhenEmptyOrUnderutilized" && pool.disruption.consolidateAfter === "Never") {
            // Karpenter accepts it, but then never consolidates underutilized nodes: almost always a mistake.
            add(at("disruption", "consolidateAfter"), "must be a duration when consolidationPolicy is WhenEmptyOrUnderutilized");
        }
    });
    // A derived spot overflow pool must not take a declared pool's name (or another overflow's).
    const declared = new Set(karpenter.nodePools.map((p) => p.name));
    const derivedNames = new Set<string>();
    for (const pool of effectiveNodePools(karpenter.nodePools)) {
        if (!pool.derivedFrom) continue;
        if (declared.has(pool.name) || derivedNames.has(pool.name)) {
            add(
                ["eks-platform:karpenter", "nodePools", pool.derivedFrom.index, "spotOverflow", "name"],
                `must be unique: the spot pool derived from ${pool.derivedFrom.name} would be named ${pool.name}, like another NodePool (set spotOverflow.name)`,
            );
        }
        derivedNames.add(pool.name);
    }

    // --- cni (vpc-cni add-on settings, Calico); maxPods rules apply to the system nodes and every EC2NodeClass
    if (cni.vpcCni.customNetworking && !network.podCidr) {
        add(
            ["eks-platform:cni", "vpcCni", "customNetworking"],
            "needs eks-platform:network.podCidr: custom networking puts pods in subnets of a secondary CIDR",
        );
    }
    if (cni.mode === "calico-cni") {
        if (cni.vpcCni.prefixDelegation)
            add(
                ["eks-platform:cni", "vpcCni", "prefixDelegation"],
                "must be false in mode calico-cni: Calico's IPAM replaces the VPC CNI, whose settings would be silently ignored",
            );
        if (cni.vpcCni.customNetworking)
            add(
                ["eks-platform:cni", "vpcCni", "customNetworking"],
                "must be false in mode calico-cni: Calico's IPAM replaces the VPC CNI, whose settings would be silently ignored",
            );
        const pool = parseCidr(cni.calico.ipPoolCidr);
        for (const [key, other] of [
            ["eks-platform:network.vpcCidr", network.vpcCidr],
            ["eks-platform:network.podCidr", network.podCidr],
            ["eks-platform:cluster.serviceCidr", cluster.serviceCidr],
        ] as const) {
            const net = other === undefined ? undefined : parseCidr(other);
            if (pool && net && (pool.address.isInSubnet(net.address) || net.address.isInSubnet(pool.address))) {
                add(
                    ["eks-platform:cni", "calico", "ipPoolCidr"],
                    `must not overlap ${key} ${other}: pod and VPC or Service addresses would collide`,
                );
            }
        }
    }
    if (cni.mode === "vpc-cni-policy") {
        const version = /^v(\d+)\.(\d+)\./.exec(cluster.addons.vpcCni);
        if (version && (Number(version[1]) < 1 || (Number(version[1]) === 1 && Number(version[2]) < 14))) {
            add(
                ["eks-platform:cluster", "addons", "vpcCni"],
                "must be v1.14.0 or later in cni mode vpc-cni-policy: earlier VPC CNI versions have no network policy agent",
            );
        }
    }
    const explicitMaxPods: { path: (string | number)[]; value: number }[] = [];
    if (cluster.nodeSettings.maxPods !== undefined)
        explicitMaxPods.push({ path: ["eks-platform:cluster", "nodeSettings", "maxPods"], value: cluster.nodeSettings.maxPods });
    karpenter.nodeClasses.forEach((nodeClass, i) => {
        if (nodeClass.maxPods !== undefined)
            explicitMaxPods.push({ path: ["eks-platform:karpenter", "nodeClasses", i, "maxPods"], value: nodeClass.maxPods });
    });
    for (const { path, value } of explicitMaxPods) {
        if (cni.mode === "calico-cni") continue;
        if (!cni.vpcCni.prefixDelegation && value > 110) {
            add(
                path,
                "must be at most 110 without eks-platform:cni.vpcCni.prefixDelegation: each pod needs a VPC address from the node's ENIs",
            );
        }
        if (cni.vpcCni.prefixDelegation && value < 110) {
            add(
                path,
                "contradicts eks-platform:cni.vpcCni.prefixDelegation, which exists to raise pod density: leave maxPods unset (110) or set it to at least 110",
            );
        }
    }

    // --- ingress
    const ingress = c["eks-platform:ingress"];
    if (prod && ingress.loadBalancerController.replicas < 2) {
        add(
            ["eks-platform:ingress", "loadBalancerController", "replicas"],
            "must be at least 2 in prod: the controller's webhooks fail closed, one replica blocks Services and Ingresses while it restarts",
        );
    }
    if (prod && ingress.nginx.enabled && ingress.nginx.replicas < 2) {
        add(["eks-platform:ingress", "nginx", "replicas"], "must be at least 2 in prod so ingress-nginx survives the loss of a node");
    }
    return problems;
}
