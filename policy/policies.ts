// The registry of the pack's policies: one factory per policy, each taking an enforcement level. Side-effect free:
// policy/index.ts builds the PolicyPack from it, the offline runner and the tests call the factories directly.
// Per-environment enforcement lives in policy/config/<env>.json (Pulumi's policy pack config format).
import type { EnforcementLevel } from "@pulumi/policy";
import * as cluster from "./rules/cluster";
import * as helm from "./rules/helm";
import * as iam from "./rules/iam";
import * as karpenter from "./rules/karpenter";
import type { Policy, PolicyFactory } from "./rules/lib";
import * as network from "./rules/network";
import * as nodes from "./rules/nodes";
import * as protect from "./rules/protect";
import * as storage from "./rules/storage";
import * as tags from "./rules/tags";
import * as teams from "./rules/teams";
import * as workloads from "./rules/workloads";

export const POLICY_PACK_NAME = "eks-platform";

/** Every policy factory, grouped by the concern it checks. */
export const policyFactories: readonly PolicyFactory[] = [
    cluster.endpointNotPublic,
    cluster.endpointPrivateAccess,
    cluster.secretsEncryption,
    cluster.kmsKeyRotation,
    cluster.controlPlaneLogging,
    cluster.accessEntriesAuthMode,
    cluster.noAwsAuthConfigMap,
    cluster.kubernetesVersionAllowed,
    cluster.noDefaultNodeGroup,
    cluster.addonVersionPinned,
    nodes.nodesInPrivateSubnets,
    nodes.imdsv2Required,
    nodes.imdsHopLimit,
    nodes.ebsEncrypted,
    nodes.noPublicIp,
    nodes.noSshAccess,
    network.noPublicIngress,
    network.vpcFlowLogs,
    network.subnetNoPublicIpOnLaunch,
    iam.noWildcardOnAllResources,
    iam.passRoleScoped,
    iam.workloadTrustScoped,
    iam.trustNoPublicPrincipal,
    karpenter.nodePoolLimits,
    karpenter.nodePoolDisruptionBudget,
    karpenter.nodePoolExpiry,
    karpenter.amiPinned,
    helm.helmVersionPinned,
    helm.helmRepositoryTls,
    helm.helmChartNotRetired,
    workloads.noPrivileged,
    workloads.noHostNetwork,
    workloads.noHostPid,
    tags.requiredTags,
    protect.protectStateful,
    storage.bucketPublicAccessBlocked,
    storage.bucketEncrypted,
    storage.queueEncrypted,
    storage.storageClassEncrypted,
    teams.teamNamespaceGuardrails,
    teams.ecrScanAndImmutable,
    teams.teamAccessNamespaced,
];

/**
 * The pack's policies at one level. The pack's own default is mandatory (prod's), so a preview run without a
 * config file is strict; policy/config/<env>.json lowers levels per environment.
 */
export function createPolicies(level: EnforcementLevel = "mandatory"): Policy[] {
    return policyFactories.map((factory) => factory(level));
}

export interface PolicyDefinition {
    name: string;
    description: string;
    kind: "resource" | "stack";
}

/** Name, description (with its source) and kind of every policy (docs/policy.md's table is rendered from the pack by npm run docs). */
export const policyDefinitions: readonly PolicyDefinition[] = createPolicies().map((p) => ({
    name: p.name,
    description: p.description,
    kind: "validateStack" in p ? "stack" : "resource",
}));
