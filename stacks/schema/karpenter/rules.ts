// Rules over the Karpenter section that need more than one value: unique names, references between pools and
// classes, labels and tags Karpenter reserves, the spot overflow split, and what prod requires.
import { typesOfFamily } from "../../../lib/catalog";
import type { Environment } from "../common";
import { defineRule, problems, type Rule } from "../rule";
import { DEFAULT_OVERFLOW_WEIGHT, effectiveNodePools } from "./pools";
import type { KarpenterConfig } from "./schema";

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

/** The name of the NodePool the Karpenter component makes for the platform's own workloads (platformNodePool). */
export const PLATFORM_POOL_NAME = "platform";

const LATEST = "must pin an AMI version in prod (al2023@vYYYYMMDD), not @latest: a new AMI would roll every node unreviewed";
const at = (...path: (string | number)[]) => ["eks-platform:karpenter", ...path];
type View = { environment: Environment; karpenter: KarpenterConfig };

export const karpenterRules: readonly Rule<View>[] = [
    defineRule({
        needs: ["environment", "karpenter.nodeClasses"],
        summary: "EC2NodeClass names are unique; no tag Karpenter sets itself; maxPods or podsPerCore, not both; prod pins the AMI",
        reports: ["eks-platform:karpenter.nodeClasses"],
        check: ({ environment, karpenter }) => {
            const p = problems();
            const names = new Set<string>();
            karpenter.nodeClasses.forEach((nodeClass, i) => {
                if (names.has(nodeClass.name))
                    p.add(at("nodeClasses", i, "name"), `must be unique: another EC2NodeClass is already named ${nodeClass.name}`);
                names.add(nodeClass.name);
                if (environment === "prod" && nodeClass.amiAlias?.endsWith("@latest")) p.add(at("nodeClasses", i, "amiAlias"), LATEST);
                for (const key of Object.keys(nodeClass.tags ?? {}))
                    if (KARPENTER_RESTRICTED_TAGS.some((re) => re.test(key)))
                        p.add(
                            at("nodeClasses", i, "tags", key),
                            "is a tag Karpenter sets itself (its IAM policy is scoped by it): remove it",
                        );
                if (nodeClass.maxPods !== undefined && nodeClass.podsPerCore !== undefined)
                    p.add(at("nodeClasses", i, "podsPerCore"), "must not be set together with maxPods: choose one pod density rule");
            });
            return p.list;
        },
    }),
    defineRule({
        needs: ["environment", "karpenter.amiAlias"],
        summary: "prod pins the AMI (no @latest)",
        reports: ["eks-platform:karpenter.amiAlias"],
        check: ({ environment, karpenter }) => {
            const p = problems();
            if (environment === "prod" && karpenter.amiAlias.endsWith("@latest")) p.add(at("amiAlias"), LATEST);
            return p.list;
        },
    }),
    defineRule({
        needs: ["environment", "karpenter.replicas"],
        summary: "prod: at least 2 controllers",
        reports: ["eks-platform:karpenter.replicas"],
        check: ({ environment, karpenter }) => {
            const p = problems();
            if (environment === "prod" && karpenter.replicas < 2)
                p.add(at("replicas"), "must be at least 2 in prod (the controller runs leader-elected with a PDB)");
            return p.list;
        },
    }),
    defineRule({
        needs: ["environment", "karpenter.nodePools", "karpenter.nodeClasses"],
        summary:
            "NodePool names are unique (derived spot pools included); each names a declared EC2NodeClass; team pools are tainted; no reserved label; the spot overflow splits an on-demand baseline with a higher weight; prod has a schedule-bound budget",
        reports: ["eks-platform:karpenter.nodePools"],
        check: ({ environment, karpenter }) => {
            const p = problems();
            const classNames = new Set(karpenter.nodeClasses.map((c) => c.name));
            const poolNames = new Set<string>();
            karpenter.nodePools.forEach((pool, i) => {
                const here = (...rest: (string | number)[]) => at("nodePools", i, ...rest);
                if (poolNames.has(pool.name)) p.add(here("name"), `must be unique: another NodePool is already named ${pool.name}`);
                if (pool.name === PLATFORM_POOL_NAME)
                    p.add(
                        here("name"),
                        `must not be ${PLATFORM_POOL_NAME}: that NodePool is the platform's own (set it with platformNodePool)`,
                    );
                poolNames.add(pool.name);
                if (!classNames.has(pool.nodeClass))
                    p.add(
                        here("nodeClass"),
                        `must name an EC2NodeClass declared in eks-platform:karpenter.nodeClasses (${[...classNames].join(", ")})`,
                    );
                if (pool.preset === "team" && pool.taints.length === 0)
                    p.add(here("taints"), "must hold at least one taint for a team pool");
                for (const key of Object.keys(pool.labels))
                    if (restrictedLabel(key))
                        p.add(
                            here("labels", key),
                            "uses a label Karpenter reserves (karpenter.sh, karpenter.k8s.aws, kubernetes.io/hostname): the NodePool CRD refuses it",
                        );
                if (pool.spotOverflow) {
                    if (pool.capacityTypes.length !== 1 || pool.capacityTypes[0] !== "on-demand")
                        p.add(
                            here("spotOverflow"),
                            "needs capacityTypes [on-demand]: the overflow splits an on-demand baseline from its spot overflow",
                        );
                    const overflowWeight = pool.spotOverflow.weight ?? DEFAULT_OVERFLOW_WEIGHT;
                    if (pool.weight === undefined || pool.weight <= overflowWeight)
                        p.add(
                            here("weight"),
                            `must be higher than spotOverflow.weight (${overflowWeight}) so Karpenter fills the on-demand baseline first`,
                        );
                }
                if (environment === "prod" && !pool.disruption.budgets.some((b) => b.schedule !== undefined))
                    p.add(
                        here("disruption", "budgets"),
                        'must include a schedule-bound budget in prod (e.g. nodes: "0" during business hours)',
                    );
                // Karpenter accepts it, but then never consolidates underutilized nodes: almost always a mistake.
                if (pool.disruption.consolidationPolicy === "WhenEmptyOrUnderutilized" && pool.disruption.consolidateAfter === "Never")
                    p.add(
                        here("disruption", "consolidateAfter"),
                        "must be a duration when consolidationPolicy is WhenEmptyOrUnderutilized",
                    );
            });
            // A derived spot overflow pool must not take a declared pool's name (or another overflow's).
            const declared = new Set(karpenter.nodePools.map((pool) => pool.name));
            const derivedNames = new Set<string>();
            for (const pool of effectiveNodePools(karpenter.nodePools)) {
                if (!pool.derivedFrom) continue;
                if (declared.has(pool.name) || derivedNames.has(pool.name) || pool.name === PLATFORM_POOL_NAME)
                    p.add(
                        at("nodePools", pool.derivedFrom.index, "spotOverflow", "name"),
                        `must be unique: the spot pool derived from ${pool.derivedFrom.name} would be named ${pool.name}, like another NodePool (set spotOverflow.name)`,
                    );
                derivedNames.add(pool.name);
            }
            return p.list;
        },
    }),
    defineRule({
        needs: ["karpenter.nodePools"],
        summary:
            "each of a NodePool's instanceFamilies matches its architectures, instanceCategories and minGeneration (by the instance-type catalogue), or Karpenter could never launch it",
        reports: ["eks-platform:karpenter.nodePools"],
        check: ({ karpenter }) => {
            const p = problems();
            karpenter.nodePools.forEach((pool, i) =>
                pool.instanceFamilies?.forEach((family, f) => {
                    const sample = typesOfFamily(family)[0];
                    if (!sample) return; // not in the catalogue: its schema reports it
                    const clash: string[] = [];
                    if (!pool.architectures.includes(sample.architecture))
                        clash.push(`it is ${sample.architecture} and the pool's architectures are ${pool.architectures.join(", ")}`);
                    if (pool.instanceCategories && !(pool.instanceCategories as readonly string[]).includes(sample.series))
                        clash.push(
                            `its category is ${sample.series} and the pool's instanceCategories are ${pool.instanceCategories.join(", ")}`,
                        );
                    if (pool.minGeneration !== undefined && sample.generation !== undefined && sample.generation < pool.minGeneration)
                        clash.push(`it is generation ${sample.generation} and the pool's minGeneration is ${pool.minGeneration}`);
                    if (clash.length > 0)
                        p.add(
                            at("nodePools", i, "instanceFamilies", f),
                            `can never be launched by this pool: ${clash.join("; ")} (Karpenter requires all of them at once; presets set instanceCategories and minGeneration, override them)`,
                        );
                }),
            );
            return p.list;
        },
    }),
    defineRule({
        needs: ["environment", "karpenter.platformNodePool", "karpenter.nodeClasses"],
        summary: "the platform NodePool names a declared EC2NodeClass; prod: it has a schedule-bound budget",
        reports: ["eks-platform:karpenter.platformNodePool"],
        check: ({ environment, karpenter }) => {
            const p = problems();
            const pool = karpenter.platformNodePool;
            const classNames = karpenter.nodeClasses.map((c) => c.name);
            if (!classNames.includes(pool.nodeClass))
                p.add(
                    at("platformNodePool", "nodeClass"),
                    `must name an EC2NodeClass declared in eks-platform:karpenter.nodeClasses (${classNames.join(", ")})`,
                );
            if (environment === "prod" && !pool.disruption.budgets.some((b) => b.schedule !== undefined))
                p.add(
                    at("platformNodePool", "disruption", "budgets"),
                    'must include a schedule-bound budget in prod (e.g. nodes: "0" during business hours)',
                );
            return p.list;
        },
    }),
];
