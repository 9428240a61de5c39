// Kubernetes upgrades as one-line changes: everything that follows the cluster's minor (EKS add-on builds, the node
// AMI release for the managed node group and Karpenter, the EKS support dates) comes from one table keyed by the
// minor (stacks/versions/table.ts). Pure: plain values in, plain objects out; no Pulumi, no AWS calls.
import { isKubernetesMinor, type MinorVersions, type VersionTable } from "./versions/model";
import { UnknownKubernetesVersionError } from "./versions/support";
import { VERSION_TABLE } from "./versions/table";

export * from "./versions/model";
export { VERSION_TABLE } from "./versions/table";
export {
    CLUSTER_HOUR_PRICE_USD,
    STANDARD_SUPPORT_NOTICE_DAYS,
    SUPPORT_SETTING_PATHS,
    UnknownKubernetesVersionError,
    supportFindings,
    supportStatus,
    type SupportFinding,
    type SupportPhase,
    type SupportPolicyInput,
    type SupportStatus,
} from "./versions/support";
export { UPGRADE_ORDER, upgradePath, type UpgradeStep, type UpgradeStepId } from "./versions/upgrade-order";
export { entryProblems } from "./versions/check";

/** The day the table was checked: the plan prints it beside the support status it implies. */
export const VERSIONS_AS_OF = VERSION_TABLE.asOf;

/** Everything pinned for one Kubernetes minor. Throws UnknownKubernetesVersionError for a minor not in the table. */
export function versionsFor(minor: string, table: VersionTable = VERSION_TABLE): MinorVersions {
    if (!isKubernetesMinor(minor)) throw new UnknownKubernetesVersionError(minor);
    return table.minors[minor];
}

/** The minor's builds under the keys of eks-platform:cluster.addons. */
export function clusterAddonVersions(minor: string, table: VersionTable = VERSION_TABLE) {
    const { addons } = versionsFor(minor, table);
    return {
        vpcCni: addons["vpc-cni"].version,
        coredns: addons.coredns.version,
        kubeProxy: addons["kube-proxy"].version,
        podIdentityAgent: addons["eks-pod-identity-agent"].version,
        ebsCsiDriver: addons["aws-ebs-csi-driver"].version,
        efsCsiDriver: addons["aws-efs-csi-driver"].version,
        metricsServer: addons["metrics-server"].version,
    };
}

/** The minor's builds of the observability add-ons (eks-platform:observability: Container Insights and ADOT). */
export function observabilityAddonVersions(minor: string, table: VersionTable = VERSION_TABLE) {
    const { addons } = versionsFor(minor, table);
    return { containerInsights: addons["amazon-cloudwatch-observability"].version, adot: addons.adot.version };
}
