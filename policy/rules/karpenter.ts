// Karpenter rules over the NodePool and EC2NodeClass custom resources (kubernetes:karpenter.sh/v1:NodePool,
// kubernetes:karpenter.k8s.aws/v1:EC2NodeClass), whose specs are plain inputs both offline and in a real preview.
import {
    asArray,
    at,
    describe,
    EC2_NODE_CLASS,
    isRecord,
    isUnknown,
    NODE_POOL,
    resourceRule,
    type EnforcementLevel,
    type ResourceValidationPolicy,
} from "./lib";

export const nodePoolLimits = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "karpenter-nodepool-limits",
            description: describe(
                "Every NodePool caps what it may launch with spec.limits on cpu and memory.",
                "Karpenter docs, NodePools: spec.limits; EKS Best Practices Guide, Karpenter: configure limits for NodePools",
            ),
            types: [NODE_POOL],
            validate: (props, _args, report) => {
                const limits = at(props, "spec.limits");
                if (isUnknown(limits)) return;
                const missing = ["cpu", "memory"].filter(
                    (k) => !isRecord(limits) || limits[k] === undefined || limits[k] === null || limits[k] === "",
                );
                if (missing.length > 0) report(`spec.limits has no ${missing.join(" or ")}: the pool can grow without bound`);
            },
        },
        level,
    );

export const nodePoolDisruptionBudget = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "karpenter-nodepool-disruption-budget",
            description: describe(
                "Every NodePool declares disruption budgets (spec.disruption.budgets), each limiting nodes, so consolidation and drift cannot drain too much at once.",
                "Karpenter docs, Disruption: NodePool disruption budgets; EKS Best Practices Guide, Karpenter: use disruption budgets",
            ),
            types: [NODE_POOL],
            validate: (props, _args, report) => {
                const budgets = at(props, "spec.disruption.budgets");
                if (isUnknown(budgets)) return;
                const list = asArray(budgets);
                if (list.length === 0) return report("spec.disruption.budgets is empty: only Karpenter's implicit 10% applies");
                list.forEach((b, i) => {
                    const nodes = at(b, "nodes");
                    if (isUnknown(nodes)) return;
                    if (typeof nodes !== "string" || nodes === "" || nodes === "100%")
                        report(`budget ${i} does not limit nodes (nodes: ${JSON.stringify(nodes ?? null)})`);
                });
            },
        },
        level,
    );

export const nodePoolExpiry = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "karpenter-nodepool-expiry",
            description: describe(
                'NodePools expire nodes (spec.template.spec.expireAfter not "Never"), so nodes are replaced with patched AMIs.',
                "Karpenter docs, NodePools: expireAfter; EKS Best Practices Guide, Karpenter: use node expiry to rotate nodes",
            ),
            types: [NODE_POOL],
            validate: (props, _args, report) => {
                const expire = at(props, "spec.template.spec.expireAfter");
                if (expire === "Never") report('spec.template.spec.expireAfter is "Never": nodes are never rotated onto patched AMIs');
            },
        },
        level,
    );

export const amiPinned = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "karpenter-ami-pinned",
            description: describe(
                "EC2NodeClasses select a pinned AMI: an alias with a version (al2023@v20251117, not @latest) or AMI ids; tag/name selectors float.",
                "Karpenter docs, Managing AMIs: pin AMIs in production; EKS Best Practices Guide, Karpenter: control AMI upgrades",
            ),
            types: [EC2_NODE_CLASS],
            validate: (props, _args, report) => {
                const terms = at(props, "spec.amiSelectorTerms");
                if (isUnknown(terms)) return;
                const list = asArray(terms);
                if (list.length === 0) return report("spec.amiSelectorTerms is empty");
                list.forEach((term, i) => {
                    if (!isRecord(term)) return;
                    const alias = term.alias;
                    if (isUnknown(alias) || isUnknown(term.id)) return;
                    if (typeof alias === "string") {
                        const version = alias.split("@")[1];
                        if (!version || version === "latest") report(`amiSelectorTerms[${i}] alias ${alias} is not pinned to a version`);
                    } else if (typeof term.id !== "string") {
                        report(`amiSelectorTerms[${i}] selects AMIs by ${Object.keys(term).join("/")}: new AMIs roll out unreviewed`);
                    }
                });
            },
        },
        level,
    );
