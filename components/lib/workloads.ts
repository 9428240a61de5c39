// Where each workload the platform installs may run, as plain data: what the offline plan's placement check
// (plan/placement.ts) evaluates against the stack's node group and NodePools. Every component describes its
// workloads with a pure `...Workloads(values)` beside the function that builds the values it passes to the chart or
// object, so the description cannot drift from what is deployed; components/workloads.ts registers them by chart.
import type { Toleration } from "./placement";

export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job";
export type Architecture = "amd64" | "arm64";

/** Every image the platform installs is published for both (multi-arch manifests of the pinned tags). */
export const MULTI_ARCH: readonly Architecture[] = ["amd64", "arm64"];

export interface NodeSelectorRequirement {
    key: string;
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
    values?: readonly string[];
}

export interface SpreadConstraint {
    topologyKey: string;
    maxSkew: number;
    whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway";
}

/** A pod's requests, summed over its containers (millicores, MiB). */
export interface PodRequests {
    cpuMillis: number;
    memoryMiB: number;
}

export interface Workload {
    /** `<release or add-on>/<component>`, e.g. kube-prometheus-stack/prometheus. */
    name: string;
    namespace: string;
    kind: WorkloadKind;
    /** Pods (a DaemonSet: 1, per node). */
    replicas: number;
    nodeSelector: Readonly<Record<string, string>>;
    /** Required node affinity: the terms are ORed, the expressions of a term ANDed. Empty: none. */
    nodeAffinity: readonly (readonly NodeSelectorRequirement[])[];
    tolerations: readonly Toleration[];
    /** Architectures its images exist for. */
    architectures: readonly Architecture[];
    priorityClassName?: string;
    requests: PodRequests;
    /** Hard and soft topology spread constraints over the workload's own pods. */
    spread: readonly SpreadConstraint[];
    /** Topology keys of required pod anti-affinity (or host ports): two replicas never share such a domain. */
    antiAffinity: readonly string[];
    /** Each pod mounts a zonal volume (EBS): once bound, the pod can only run in that volume's zone. */
    zonalVolume: boolean;
    /**
     * A DaemonSet meant only for the nodes its selector and affinity match (a device plugin): where the labels do not
     * match it is not missing. Where they match, an untolerated taint or a missing image is still a gap.
     */
    onlyWhereSelected?: true;
    /** Facts taken from upstream defaults, not from our values (with their source), for the report. */
    assumptions?: readonly string[];
}

/** A workload with the defaults most have: no affinity, multi-arch, no spread, no volume. */
export function workload(
    w: Pick<Workload, "name" | "namespace" | "kind" | "replicas" | "nodeSelector" | "tolerations" | "requests"> & Partial<Workload>,
): Workload {
    return { nodeAffinity: [], architectures: MULTI_ARCH, spread: [], antiAffinity: [], zonalVolume: false, ...w };
}

// ---------------------------------------------------------------------------------------------------------------
// Quantities (Kubernetes resource.Quantity, the subset charts use)

const BINARY: Readonly<Record<string, number>> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 };
const DECIMAL: Readonly<Record<string, number>> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** CPU quantity ("1", "500m", "0.5") in millicores; undefined or "" is 0 (no request). */
export function cpuMillis(quantity: string | number | undefined): number {
    if (quantity === undefined || quantity === "") return 0;
    const text = String(quantity);
    const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(text);
    if (!m) throw new Error(`not a CPU quantity: ${JSON.stringify(quantity)}`);
    return m[2] === "m" ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

/** Memory quantity ("128Mi", "4Gi", "1G", bytes) in MiB; undefined or "" is 0. */
export function memoryMiB(quantity: string | number | undefined): number {
    if (quantity === undefined || quantity === "") return 0;
    const text = String(quantity);
    const m = /^(\d+(?:\.\d+)?)([KMGT]i|[kMGT])?$/.exec(text);
    if (!m) throw new Error(`not a memory quantity: ${JSON.stringify(quantity)}`);
    const value = Number(m[1]);
    const unit = m[2];
    if (unit === undefined) return value / (1024 * 1024);
    if (unit in BINARY) return value * (BINARY[unit] as number);
    return (value * (DECIMAL[unit] as number)) / (1024 * 1024);
}

/** A container's `resources` (as charts take them) as the requests the scheduler counts. */
export function requestsOf(resources: { requests?: { cpu?: string | number; memory?: string | number } } | undefined): PodRequests {
    return { cpuMillis: cpuMillis(resources?.requests?.cpu), memoryMiB: memoryMiB(resources?.requests?.memory) };
}

/** The sum of several containers' requests (a pod with sidecars). */
export function sumRequests(...parts: readonly PodRequests[]): PodRequests {
    return parts.reduce((a, b) => ({ cpuMillis: a.cpuMillis + b.cpuMillis, memoryMiB: a.memoryMiB + b.memoryMiB }), {
        cpuMillis: 0,
        memoryMiB: 0,
    });
}

export const NO_REQUESTS: PodRequests = { cpuMillis: 0, memoryMiB: 0 };

/** A required node affinity from the chart/Kubernetes shape (`nodeSelectorTerms[].matchExpressions`). */
export function requiredNodeAffinity(affinity: unknown): NodeSelectorRequirement[][] {
    const terms = (affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: unknown } } })
        ?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    if (!Array.isArray(terms)) return [];
    return terms.map((t) => ((t as { matchExpressions?: NodeSelectorRequirement[] }).matchExpressions ?? []).map((e) => ({ ...e })));
}

/** Topology keys of a required pod anti-affinity (`podAntiAffinity.requiredDuringScheduling...[].topologyKey`). */
export function requiredAntiAffinity(affinity: unknown): string[] {
    const terms = (affinity as { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown } })?.podAntiAffinity
        ?.requiredDuringSchedulingIgnoredDuringExecution;
    return Array.isArray(terms) ? terms.map((t) => String((t as { topologyKey?: string }).topologyKey ?? "")).filter(Boolean) : [];
}

/** Spread constraints from the Kubernetes shape. */
export function spreadOf(constraints: unknown): SpreadConstraint[] {
    if (!Array.isArray(constraints)) return [];
    return constraints.map((c) => {
        const s = c as Partial<SpreadConstraint>;
        return {
            topologyKey: String(s.topologyKey),
            maxSkew: Number(s.maxSkew ?? 1),
            whenUnsatisfiable: s.whenUnsatisfiable ?? "DoNotSchedule",
        };
    });
}

interface PodSpecLike {
    nodeSelector?: Record<string, string>;
    affinity?: unknown;
    tolerations?: Toleration[];
    priorityClassName?: string;
    topologySpreadConstraints?: unknown;
    containers?: { resources?: { requests?: { cpu?: string | number; memory?: string | number } } }[];
    volumes?: { persistentVolumeClaim?: unknown }[];
}

/**
 * A Deployment, StatefulSet or DaemonSet the program declares as a Kubernetes object (not through a chart), described
 * from its own pod template as the plan records it: the object is the description, so the two cannot drift.
 */
export function podTemplateWorkload(
    kind: WorkloadKind,
    object: { metadata?: { name?: string; namespace?: string }; spec?: { replicas?: number; template?: { spec?: PodSpecLike } } },
): Workload {
    const pod = object.spec?.template?.spec ?? {};
    return workload({
        name: `${object.metadata?.namespace ?? "default"}/${object.metadata?.name ?? "unnamed"}`,
        namespace: object.metadata?.namespace ?? "default",
        kind,
        replicas: kind === "DaemonSet" ? 1 : (object.spec?.replicas ?? 1),
        nodeSelector: pod.nodeSelector ?? {},
        nodeAffinity: requiredNodeAffinity(pod.affinity),
        tolerations: pod.tolerations ?? [],
        ...(pod.priorityClassName ? { priorityClassName: pod.priorityClassName } : {}),
        requests: sumRequests(...(pod.containers ?? []).map((c) => requestsOf(c.resources))),
        spread: spreadOf(pod.topologySpreadConstraints),
        antiAffinity: requiredAntiAffinity(pod.affinity),
        // A claim in the pod template may be EBS (zonal): counted as one, the cautious reading.
        zonalVolume: (pod.volumes ?? []).some((v) => v.persistentVolumeClaim !== undefined),
    });
}
