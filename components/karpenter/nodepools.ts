// NodePool (karpenter.sh/v1) and EC2NodeClass (karpenter.k8s.aws/v1) objects from the stack's config. Pure: plain
// values in, the Kubernetes objects out; tests validate them against the pinned version's CRDs.
import { nodeUserData, type NodeSettingsInput } from "../lib/nodeadm";
import { PLATFORM_POOL_LABELS, PLATFORM_POOL_TAINT } from "../lib/placement";
import type { PlatformConfig } from "../../stacks/config";
import type { EffectiveNodePool } from "../../stacks/schema/karpenter";

export type NodeClassInput = PlatformConfig["karpenter"]["nodeClasses"][number];

export const NODEPOOL_API_VERSION = "karpenter.sh/v1";
export const NODECLASS_API_VERSION = "karpenter.k8s.aws/v1";
/** Subnets carry this tag (value: the cluster name); the Network component sets it on the private subnets. */
export const DISCOVERY_TAG = "karpenter.sh/discovery";
/** The AL2023 root volume. */
export const ROOT_DEVICE = "/dev/xvda";

export interface NodeRequirement {
    key: string;
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
    values?: string[];
    /** Karpenter's flexibility floor for In (karpenter.sh/v1 NodeSelectorRequirementWithMinValues). */
    minValues?: number;
}

export interface NodePoolSpec {
    template: {
        metadata?: { labels?: Record<string, string> };
        spec: {
            requirements: NodeRequirement[];
            nodeClassRef: { group: "karpenter.k8s.aws"; kind: "EC2NodeClass"; name: string };
            taints?: { key: string; value?: string; effect: string }[];
            expireAfter: string;
        };
    };
    disruption: {
        consolidationPolicy: string;
        consolidateAfter: string;
        budgets: { nodes: string; schedule?: string; duration?: string; reasons?: string[] }[];
    };
    /** cpu, memory and the devices Karpenter counts (nvidia.com/gpu, ...). */
    limits: Record<string, string>;
    weight?: number;
}

export interface KubernetesObject<Spec> {
    apiVersion: string;
    kind: string;
    metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: Spec;
}

const inIf = (key: string, values: readonly string[] | undefined): NodeRequirement[] =>
    values && values.length > 0 ? [{ key, operator: "In", values: [...values] }] : [];
const notInIf = (key: string, values: readonly string[] | undefined): NodeRequirement[] =>
    values && values.length > 0 ? [{ key, operator: "NotIn", values: [...values] }] : [];

/** The NodePool spec of one (effective) pool. */
export function nodePoolSpec(pool: EffectiveNodePool): NodePoolSpec {
    const requirements: NodeRequirement[] = [
        { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
        ...inIf("kubernetes.io/arch", pool.architectures),
        ...inIf("karpenter.sh/capacity-type", pool.capacityTypes),
        ...inIf("karpenter.k8s.aws/instance-category", pool.instanceCategories),
        ...inIf("karpenter.k8s.aws/instance-family", pool.instanceFamilies),
        ...notInIf("karpenter.k8s.aws/instance-family", pool.excludeInstanceFamilies),
        ...inIf("karpenter.k8s.aws/instance-size", pool.instanceSizes),
        ...notInIf("karpenter.k8s.aws/instance-size", pool.excludeInstanceSizes),
        // "at least generation N" as Gt N-1: Gt is understood by every v1 controller (Gte is newer).
        ...(pool.minGeneration !== undefined
            ? [{ key: "karpenter.k8s.aws/instance-generation", operator: "Gt" as const, values: [String(pool.minGeneration - 1)] }]
            : []),
        ...inIf("topology.kubernetes.io/zone", pool.zones),
        // The escape hatch: requirements on the well-known labels the fields above do not cover, as written.
        ...(pool.requirements ?? []).map((r): NodeRequirement => ({
            key: r.key,
            operator: r.operator,
            ...(r.values !== undefined && r.values.length > 0 ? { values: [...r.values] } : {}),
            ...(r.minValues !== undefined ? { minValues: r.minValues } : {}),
        })),
    ];
    const spec: NodePoolSpec = {
        template: {
            spec: {
                requirements,
                nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: pool.nodeClass },
                expireAfter: pool.expireAfter,
            },
        },
        disruption: {
            consolidationPolicy: pool.disruption.consolidationPolicy,
            consolidateAfter: pool.disruption.consolidateAfter,
            budgets: pool.disruption.budgets.map((b) => ({
                nodes: b.nodes,
                ...(b.schedule !== undefined ? { schedule: b.schedule } : {}),
                ...(b.duration !== undefined ? { duration: b.duration } : {}),
                ...(b.reasons !== undefined ? { reasons: [...b.reasons] } : {}),
            })),
        },
        limits: Object.fromEntries(Object.entries(pool.limits).filter((e): e is [string, string] => e[1] !== undefined)),
    };
    if (Object.keys(pool.labels).length > 0) spec.template.metadata = { labels: { ...pool.labels } };
    if (pool.taints.length > 0) {
        spec.template.spec.taints = pool.taints.map((t) => ({
            key: t.key,
            ...(t.value !== undefined ? { value: t.value } : {}),
            effect: t.effect,
        }));
    }
    if (pool.weight !== undefined) spec.weight = pool.weight;
    return spec;
}

/** The NodePool the platform's own stateful and monitoring workloads run on (name fixed, see PLATFORM_POOL_NAME). */
export const PLATFORM_NODEPOOL = "platform";

/**
 * The platform NodePool as an effective pool: on-demand only (a spot reclaim would move a pod whose volume pins it
 * to one zone, and spot is not what every stack's tenant pools offer), labelled and tainted
 * eks-platform/node-group=platform so only the workloads that select and tolerate it land there. Zones are not
 * restricted: a pod whose volume sits in any of the cluster's zones finds capacity there again.
 */
export function platformNodePool(settings: PlatformConfig["karpenter"]["platformNodePool"]): EffectiveNodePool {
    return {
        name: PLATFORM_NODEPOOL,
        nodeClass: settings.nodeClass,
        capacityTypes: ["on-demand"],
        architectures: [...settings.architectures],
        ...(settings.instanceCategories ? { instanceCategories: [...settings.instanceCategories] } : {}),
        ...(settings.minGeneration !== undefined ? { minGeneration: settings.minGeneration } : {}),
        labels: { ...PLATFORM_POOL_LABELS },
        taints: [{ key: PLATFORM_POOL_TAINT.key, value: PLATFORM_POOL_TAINT.value, effect: PLATFORM_POOL_TAINT.effect }],
        limits: { ...settings.limits },
        disruption: {
            consolidationPolicy: settings.disruption.consolidationPolicy,
            consolidateAfter: settings.disruption.consolidateAfter,
            budgets: settings.disruption.budgets.map((b) => ({ ...b })),
        },
        expireAfter: settings.expireAfter,
    };
}

export function nodePoolObject(pool: EffectiveNodePool): KubernetesObject<NodePoolSpec> {
    const annotations: Record<string, string> = {
        "kubernetes.io/description": pool.derivedFrom
            ? `Spot overflow of NodePool ${pool.derivedFrom.name}`
            : pool.name === PLATFORM_NODEPOOL
              ? "The platform's own on-demand nodes (Prometheus, Alertmanager, Loki, Grafana)"
              : `NodePool ${pool.name} (eks-platform)`,
    };
    return { apiVersion: NODEPOOL_API_VERSION, kind: "NodePool", metadata: { name: pool.name, annotations }, spec: nodePoolSpec(pool) };
}

/** What an EC2NodeClass needs from the cluster and the platform, as plain values. */
export interface NodeClassContext {
    clusterName: string;
    /** The EKS cluster security group: Karpenter nodes join it like the system nodes do. */
    clusterSecurityGroupId: string;
    /** The node IAM role's name (spec.role): Karpenter creates and manages the instance profile for it. */
    nodeRoleName: string;
    /** The stack's default AMI alias (a class's own amiAlias or amiSelector wins). */
    amiAlias: string;
    /** containerd/kubelet settings shared with the system node group. */
    nodeSettings: NodeSettingsInput;
    /** Max pods derived from the CNI mode (prefix delegation); a class's own maxPods / podsPerCore win. */
    maxPods?: number;
}

export interface EC2NodeClassSpec {
    role: string;
    amiFamily?: "AL2023";
    amiSelectorTerms: (
        { alias: string } | { id: string } | { name: string; owner?: string } | { tags: Record<string, string>; owner?: string }
    )[];
    subnetSelectorTerms: { tags: Record<string, string> }[];
    securityGroupSelectorTerms: { id: string }[];
    metadataOptions: { httpEndpoint: "enabled"; httpProtocolIPv6: "disabled"; httpPutResponseHopLimit: 1; httpTokens: "required" };
    blockDeviceMappings: {
        deviceName: string;
        rootVolume: true;
        ebs: { volumeSize: string; volumeType: "gp3"; encrypted: true; deleteOnTermination: true; iops?: number; throughput?: number };
    }[];
    kubelet: {
        maxPods?: number;
        podsPerCore?: number;
        systemReserved?: Record<string, string>;
        kubeReserved?: Record<string, string>;
        imageGCHighThresholdPercent: number;
        imageGCLowThresholdPercent: number;
    };
    userData: string;
    tags?: Record<string, string>;
}

function resourceList(reserved: Readonly<Record<string, string | undefined>>): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const [name, quantity] of Object.entries(reserved)) if (quantity !== undefined) out[name] = quantity;
    return Object.keys(out).length > 0 ? out : undefined;
}

/** Pod density: the class's podsPerCore or maxPods, else the CNI-derived value, else the cluster's nodeSettings.maxPods. */
export function podDensity(
    nodeClass: NodeClassInput,
    ctx: Pick<NodeClassContext, "maxPods" | "nodeSettings">,
): { maxPods?: number; podsPerCore?: number } {
    if (nodeClass.podsPerCore !== undefined) return { podsPerCore: nodeClass.podsPerCore };
    const maxPods = nodeClass.maxPods ?? ctx.maxPods ?? ctx.nodeSettings.maxPods;
    return maxPods !== undefined ? { maxPods } : {};
}

/**
 * The EC2NodeClass spec: AL2023 by pinned alias (or a custom AL2023 AMI by id, name or tags), the cluster's subnets
 * by discovery tag and its cluster security group by id, the node role, IMDSv2 only with a hop limit of 1 (pods
 * cannot reach the node's credentials), an encrypted gp3 root volume, and kubelet/containerd settings shared with
 * the system nodes: in `kubelet` (so Karpenter's scheduling sees max pods and reservations) and in nodeadm user data
 * (containerd and log rotation, which Karpenter has no field for).
 */
export function ec2NodeClassSpec(nodeClass: NodeClassInput, ctx: NodeClassContext): EC2NodeClassSpec {
    let amiSelectorTerms: EC2NodeClassSpec["amiSelectorTerms"];
    let amiFamily: EC2NodeClassSpec["amiFamily"];
    const selector = nodeClass.amiSelector;
    if (selector) {
        // A custom AMI needs the family so Karpenter still writes nodeadm (AL2023) bootstrap user data.
        amiFamily = "AL2023";
        const owner = selector.owner !== undefined ? { owner: selector.owner } : {};
        if (selector.id !== undefined) amiSelectorTerms = [{ id: selector.id }];
        else if (selector.name !== undefined) amiSelectorTerms = [{ name: selector.name, ...owner }];
        else amiSelectorTerms = [{ tags: { ...(selector.tags ?? {}) }, ...owner }];
    } else {
        amiSelectorTerms = [{ alias: nodeClass.amiAlias ?? ctx.amiAlias }];
    }
    const density = podDensity(nodeClass, ctx);
    const settings = ctx.nodeSettings;
    const kubelet: EC2NodeClassSpec["kubelet"] = {
        ...density,
        imageGCHighThresholdPercent: settings.imageGcHighThresholdPercent,
        imageGCLowThresholdPercent: settings.imageGcLowThresholdPercent,
    };
    const systemReserved = resourceList(settings.systemReserved);
    const kubeReserved = resourceList(settings.kubeReserved);
    if (systemReserved) kubelet.systemReserved = systemReserved;
    if (kubeReserved) kubelet.kubeReserved = kubeReserved;
    // With podsPerCore Karpenter computes max pods per instance type; a fixed maxPods in user data would contradict it.
    const userData = nodeUserData({ ...settings, maxPods: undefined }, density.maxPods !== undefined ? { maxPods: density.maxPods } : {});

    const spec: EC2NodeClassSpec = {
        role: ctx.nodeRoleName,
        amiSelectorTerms,
        subnetSelectorTerms: [{ tags: { [DISCOVERY_TAG]: ctx.clusterName } }],
        securityGroupSelectorTerms: [{ id: ctx.clusterSecurityGroupId }],
        metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
        blockDeviceMappings: [
            {
                deviceName: ROOT_DEVICE,
                rootVolume: true,
                ebs: {
                    volumeSize: `${nodeClass.volumeSizeGiB}Gi`,
                    volumeType: "gp3",
                    encrypted: true,
                    deleteOnTermination: true,
                    ...(nodeClass.volumeIops !== undefined ? { iops: nodeClass.volumeIops } : {}),
                    ...(nodeClass.volumeThroughput !== undefined ? { throughput: nodeClass.volumeThroughput } : {}),
                },
            },
        ],
        kubelet,
        userData,
    };
    if (amiFamily) spec.amiFamily = amiFamily;
    if (nodeClass.tags && Object.keys(nodeClass.tags).length > 0) spec.tags = { ...nodeClass.tags };
    return spec;
}

export function ec2NodeClassObject(nodeClass: NodeClassInput, ctx: NodeClassContext): KubernetesObject<EC2NodeClassSpec> {
    return {
        apiVersion: NODECLASS_API_VERSION,
        kind: "EC2NodeClass",
        metadata: {
            name: nodeClass.name,
            annotations: { "kubernetes.io/description": `EC2NodeClass ${nodeClass.name} (eks-platform, AL2023)` },
        },
        spec: ec2NodeClassSpec(nodeClass, ctx),
    };
}
