// Where the platform's pods run: the system node group's labels and taint, and the tolerations that go with them.
// One definition, so the node group and every selector, toleration and chart value cannot drift apart.

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

export interface Taint {
    key: string;
    value?: string;
    effect: TaintEffect;
}

export interface Toleration {
    key?: string;
    operator: "Exists" | "Equal";
    value?: string;
    effect?: TaintEffect;
}

/** Node selector and tolerations a pod gets to land on one kind of node. */
export interface Placement {
    nodeSelector: Readonly<Record<string, string>>;
    tolerations: readonly Toleration[];
}

/** The label naming which of the platform's node groups a node belongs to: system or platform. */
export const NODE_GROUP_LABEL = "eks-platform/node-group";

/**
 * The labels of the system node group's nodes (tainted CriticalAddonsOnly=true:NoSchedule): controllers that must run
 * there select them.
 */
export const SYSTEM_NODE_LABELS: Readonly<Record<string, string>> = { [NODE_GROUP_LABEL]: "system" };

/** The taint that keeps everything but critical add-ons off the system node group. */
export const SYSTEM_TAINT: Taint = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" };

/** The toleration of a taint: Exists for its key (any value) and effect. */
export function tolerationOf(taint: Taint): Toleration {
    return { key: taint.key, operator: "Exists", effect: taint.effect };
}

export const SYSTEM_TOLERATION: Toleration = tolerationOf(SYSTEM_TAINT);

/** Tolerates every taint: DaemonSets that must run on every node (log shippers, node exporters, CNI agents). */
export const EVERY_NODE_TOLERATIONS: readonly Toleration[] = [{ operator: "Exists" }];

/** On the system nodes and only there: the system labels selected, the system taint tolerated. */
export const SYSTEM_PLACEMENT: Placement = { nodeSelector: SYSTEM_NODE_LABELS, tolerations: [SYSTEM_TOLERATION] };

/**
 * The nodes of the platform NodePool (made by the Karpenter component): labelled and tainted
 * eks-platform/node-group=platform, on-demand only. The platform's stateful and monitoring workloads select and
 * tolerate them; nothing else lands there.
 */
export const PLATFORM_POOL_LABELS: Readonly<Record<string, string>> = { [NODE_GROUP_LABEL]: "platform" };
export const PLATFORM_POOL_TAINT: Taint = { key: NODE_GROUP_LABEL, value: "platform", effect: "NoSchedule" };
/** Karpenter's well-known capacity-type label (karpenter.sh/v1 labels.go): selected too, so spot is never a candidate. */
export const CAPACITY_TYPE_LABEL = "karpenter.sh/capacity-type";

/** On the platform NodePool's on-demand nodes, and only there. */
export const PLATFORM_POOL_PLACEMENT: Placement = {
    nodeSelector: { ...PLATFORM_POOL_LABELS, [CAPACITY_TYPE_LABEL]: "on-demand" },
    tolerations: [tolerationOf(PLATFORM_POOL_TAINT)],
};

const EKS_EFFECTS = { NoSchedule: "NO_SCHEDULE", PreferNoSchedule: "PREFER_NO_SCHEDULE", NoExecute: "NO_EXECUTE" } as const;

/** A taint in the EKS node group API's form (effect NO_SCHEDULE, ...). */
export function eksTaint(taint: Taint): { key: string; value?: string; effect: (typeof EKS_EFFECTS)[TaintEffect] } {
    return { key: taint.key, ...(taint.value !== undefined ? { value: taint.value } : {}), effect: EKS_EFFECTS[taint.effect] };
}

/** Copies, so values handed to a chart are plain mutable objects. */
export const placementValues = (p: Placement): { nodeSelector: Record<string, string>; tolerations: Toleration[] } => ({
    nodeSelector: { ...p.nodeSelector },
    tolerations: p.tolerations.map((t) => ({ ...t })),
});
