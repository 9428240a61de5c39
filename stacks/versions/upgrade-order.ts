// The order a Kubernetes upgrade takes on this platform, as data: for dependency checks on the planned resources and
// for the docs. One minor at a time: EKS's UpdateClusterVersion moves the control plane by one minor only.
import { KUBERNETES_MINORS, isKubernetesMinor, type KubernetesMinor } from "./model";
import { UnknownKubernetesVersionError } from "./support";

export type UpgradeStepId = "control-plane" | "addons" | "system-node-group" | "karpenter-nodes";

export interface UpgradeStep {
    id: UpgradeStepId;
    /** What changes, in the stack's terms. */
    what: string;
    /** The Pulumi resource types the step updates. */
    resourceTypes: readonly string[];
    /** Steps that must have finished first. */
    after: readonly UpgradeStepId[];
    why: string;
}

export const UPGRADE_ORDER: readonly UpgradeStep[] = [
    {
        id: "control-plane",
        what: "the EKS cluster's version (eks-platform:cluster.kubernetesVersion)",
        resourceTypes: ["aws:eks/cluster:Cluster"],
        after: [],
        why:
            "components may not be newer than kube-apiserver (Kubernetes version skew policy), so the control plane goes first; " +
            "EKS moves it one minor per update",
    },
    {
        id: "addons",
        what: "the EKS add-ons to the table's builds for the new minor (kube-proxy must match it)",
        resourceTypes: ["aws:eks/addon:Addon"],
        after: ["control-plane"],
        why:
            "add-on builds are published per cluster version (DescribeAddonVersions compatibilities), and EKS leaves add-ons and " +
            "nodes to be updated after the control plane (user guide, 'Amazon EKS extended support FAQs')",
    },
    {
        id: "system-node-group",
        what: "the system managed node group's version and AMI releaseVersion",
        resourceTypes: ["aws:eks/nodeGroup:NodeGroup"],
        after: ["addons"],
        why:
            "kubelet may not be newer than the control plane; the system nodes run CoreDNS and the Karpenter controller, " +
            "so they roll (drained, one at a time) before the nodes Karpenter manages",
    },
    {
        id: "karpenter-nodes",
        what: "each EC2NodeClass's amiSelectorTerms alias (al2023@vYYYYMMDD of the new minor's AMI release)",
        resourceTypes: ["kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"],
        after: ["system-node-group"],
        why:
            "a changed alias resolves to new AMIs and Karpenter's drift replaces the nodes within the NodePools' disruption " +
            "budgets, after its own controller runs on upgraded nodes",
    },
];

/** The minors a stack passes through from `from` to `to`, one control-plane update each (`from` excluded). */
export function upgradePath(from: string, to: string): KubernetesMinor[] {
    if (!isKubernetesMinor(from)) throw new UnknownKubernetesVersionError(from);
    if (!isKubernetesMinor(to)) throw new UnknownKubernetesVersionError(to);
    const start = KUBERNETES_MINORS.indexOf(from);
    const end = KUBERNETES_MINORS.indexOf(to);
    if (end < start) throw new Error(`cannot go from Kubernetes ${from} to ${to}: EKS does not downgrade a cluster`);
    return KUBERNETES_MINORS.slice(start + 1, end + 1);
}
