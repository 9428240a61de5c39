// The nodes a stack can have, read from its recorded plan: the managed node groups (their inputs, launch template
// user data and subnets) and the Karpenter NodePools (their requirements, labels and taints, and their
// EC2NodeClass's kubelet settings and subnet selector). For each: the labels a node carries (fixed values, or any
// value of a well-known label), its taints, the instance types it may be, and what pods can request on each.
import { parseAllDocuments } from "yaml";
import { GPU_COUNT_LABEL, GPU_MANUFACTURER_BY_FAMILY, GPU_MANUFACTURER_LABEL } from "../lib/gpu";
import { cpuMillis, memoryMiB, type NodeSelectorRequirement } from "../components/lib/workloads";
import type { Taint } from "../components/lib/placement";
import type { InstanceCatalog, InstanceShape } from "./placement-instances";
import type { PlanResult, PlannedResource } from "./types";

/** The values a label can take on a group's nodes: a fixed set, or any value (a well-known label nothing restricts). */
export type LabelDomain = { values: ReadonlySet<string> } | { any: true };

export interface Allocatable {
    cpuMillis: number;
    memoryMiB: number;
}

export interface NodeGroup {
    /** e.g. "managed node group cluster-system", "NodePool platform". */
    name: string;
    kind: "managed" | "karpenter";
    /** Labels its nodes may carry; a key absent here is never set on them. */
    labels: ReadonlyMap<string, LabelDomain>;
    taints: readonly Taint[];
    /** Instance types it may launch, with what pods can request on each (before DaemonSets). */
    instances: readonly { shape: InstanceShape; allocatable: Allocatable }[];
    /** Instance types named by the group that the catalog does not know (their size cannot be checked). */
    unknownTypes: readonly string[];
    zones: readonly string[];
    /** Managed groups only: the node counts. */
    size?: { min: number; desired: number; max: number };
}

/** Karpenter's estimate of the memory the hypervisor and kernel keep (settings vmMemoryOverheadPercent, default 0.075). */
export const VM_MEMORY_OVERHEAD = 0.075;
/** kubelet's default hard eviction threshold on EKS AMIs (nodeadm internal/kubelet/config.go: memory.available 100Mi). */
export const EVICTION_HARD_MIB = 100;

export interface KubeletReservations {
    maxPods?: number;
    kubeReserved?: { cpu?: string; memory?: string };
    systemReserved?: { cpu?: string; memory?: string };
}

/**
 * kube-reserved CPU when none is set: 6% of the first core, 1% of the second, 0.5% of the third and fourth, 0.25% of
 * the rest (awslabs/amazon-eks-ami v20251120 nodeadm/internal/kubelet/config.go getCPUMillicoresToReserve; Karpenter
 * computes the same).
 */
export function defaultKubeReservedCpu(vcpu: number): number {
    const total = vcpu * 1000;
    const ranges: [number, number, number][] = [
        [0, 1000, 600],
        [1000, 2000, 100],
        [2000, 4000, 50],
        [4000, total, 25],
    ];
    return ranges.reduce(
        (sum, [start, end, pct]) => (total <= start ? sum : sum + Math.floor(((Math.min(total, end) - start) * pct) / 10000)),
        0,
    );
}

/** What pods can request on one node of this shape: capacity less VM overhead, kube and system reservations and eviction. */
export function allocatableOf(shape: InstanceShape, kubelet: KubeletReservations): Allocatable | undefined {
    if (shape.vcpu === undefined || shape.memoryMiB === undefined) return undefined;
    const maxPods = kubelet.maxPods ?? 110;
    const kubeCpu = kubelet.kubeReserved?.cpu !== undefined ? cpuMillis(kubelet.kubeReserved.cpu) : defaultKubeReservedCpu(shape.vcpu);
    // getMemoryMebibytesToReserve: 11 MiB per pod + 255 MiB.
    const kubeMem = kubelet.kubeReserved?.memory !== undefined ? memoryMiB(kubelet.kubeReserved.memory) : 11 * maxPods + 255;
    const sysCpu = cpuMillis(kubelet.systemReserved?.cpu);
    const sysMem = memoryMiB(kubelet.systemReserved?.memory);
    return {
        cpuMillis: shape.vcpu * 1000 - kubeCpu - sysCpu,
        memoryMiB: Math.floor(shape.memoryMiB * (1 - VM_MEMORY_OVERHEAD)) - kubeMem - sysMem - EVICTION_HARD_MIB,
    };
}

const fixed = (...values: string[]): LabelDomain => ({ values: new Set(values) });
const ANY: LabelDomain = { any: true };

/** The kubelet settings of the nodeadm NodeConfig parts (application/node.eks.aws) of MIME multipart user data. */
export function kubeletOfUserData(userData: string): KubeletReservations {
    const boundary = /boundary="([^"]+)"/.exec(userData)?.[1];
    const parts = boundary ? userData.split(`--${boundary}`).slice(1) : [`Content-Type: application/node.eks.aws\n\n${userData}`];
    const out: KubeletReservations = {};
    for (const part of parts) {
        const [head = "", ...body] = part.split(/\n\s*\n/);
        if (!/Content-Type:\s*application\/node\.eks\.aws/i.test(head)) continue;
        for (const doc of parseAllDocuments(body.join("\n\n"))) {
            const config = (doc.toJS() as { spec?: { kubelet?: { config?: KubeletReservations } } } | null)?.spec?.kubelet?.config;
            if (config) Object.assign(out, config);
        }
    }
    return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function zonesOfSubnets(subnets: readonly PlannedResource[]): string[] {
    return [...new Set(subnets.map((s) => s.inputs.availabilityZone).filter((z): z is string => typeof z === "string"))].sort();
}

const EKS_EFFECTS: Readonly<Record<string, Taint["effect"]>> = {
    NO_SCHEDULE: "NoSchedule",
    PREFER_NO_SCHEDULE: "PreferNoSchedule",
    NO_EXECUTE: "NoExecute",
};

function managedGroups(plan: PlanResult, catalog: InstanceCatalog): NodeGroup[] {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const groups: NodeGroup[] = [];
    for (const r of plan.resources) {
        if (r.type !== "eks:index:ManagedNodeGroup" && r.type !== "aws:eks/nodeGroup:NodeGroup") continue;
        // The remote component's own aws:eks NodeGroup child (modelled or stand-in) is the same nodes: read the component.
        if (r.standIn || (r.parent !== undefined && byUrn.get(r.parent)?.type === "eks:index:ManagedNodeGroup")) continue;
        const deps = r.dependencies.map((d) => byUrn.get(d)).filter((d): d is PlannedResource => d !== undefined);
        const launchTemplate = deps.find((d) => d.type === "aws:ec2/launchTemplate:LaunchTemplate");
        const userData =
            typeof launchTemplate?.inputs.userData === "string"
                ? Buffer.from(launchTemplate.inputs.userData, "base64").toString("utf8")
                : "";
        const kubelet = kubeletOfUserData(userData);
        const zones = zonesOfSubnets(deps.filter((d) => d.type === "aws:ec2/subnet:Subnet"));
        const types = Array.isArray(r.inputs.instanceTypes) ? r.inputs.instanceTypes.map(String) : [];
        const arch = String(r.inputs.amiType ?? "").includes("ARM") ? "arm64" : "amd64";
        const scaling = isRecord(r.inputs.scalingConfig) ? r.inputs.scalingConfig : {};
        const labels = new Map<string, LabelDomain>([
            ["kubernetes.io/os", fixed("linux")],
            ["kubernetes.io/arch", fixed(arch)],
            ["kubernetes.io/hostname", ANY],
            ["node.kubernetes.io/instance-type", fixed(...types)],
            ["topology.kubernetes.io/zone", fixed(...zones)],
            ["eks.amazonaws.com/capacityType", fixed(String(r.inputs.capacityType ?? "ON_DEMAND"))],
            ["eks.amazonaws.com/nodegroup", ANY],
        ]);
        for (const [k, v] of Object.entries(isRecord(r.inputs.labels) ? r.inputs.labels : {})) labels.set(k, fixed(String(v)));
        const taints = (Array.isArray(r.inputs.taints) ? r.inputs.taints : []).filter(isRecord).map((t) => ({
            key: String(t.key),
            ...(t.value !== undefined ? { value: String(t.value) } : {}),
            effect: EKS_EFFECTS[String(t.effect)] ?? (String(t.effect) as Taint["effect"]),
        }));
        const shapes = types.map((t) => catalog.instanceType(t));
        groups.push({
            name: `managed node group ${r.name}`,
            kind: "managed",
            labels,
            taints,
            instances: shapes.flatMap((shape) => {
                const allocatable = shape && allocatableOf(shape, kubelet);
                return shape && allocatable ? [{ shape, allocatable }] : [];
            }),
            unknownTypes: types.filter((t, i) => shapes[i] === undefined),
            zones,
            size: { min: Number(scaling.minSize ?? 0), desired: Number(scaling.desiredSize ?? 0), max: Number(scaling.maxSize ?? 0) },
        });
    }
    return groups;
}

/** Whether a value satisfies one requirement (Kubernetes node selector semantics; Gt/Lt compare integers). */
export function satisfies(value: string, req: NodeSelectorRequirement): boolean {
    const values = req.values ?? [];
    switch (req.operator) {
        case "In":
            return values.includes(value);
        case "NotIn":
            return !values.includes(value);
        case "Exists":
            return true;
        case "DoesNotExist":
            return false;
        case "Gt":
            return Number(value) > Number(values[0]);
        case "Lt":
            return Number(value) < Number(values[0]);
    }
}

/**
 * The well-known labels Karpenter sets on every node it launches, from the instance type it picked; the GPU labels
 * only on instances with GPUs (Karpenter sets none on the others: the AL2023 standard variant requires them absent).
 */
function instanceLabels(shape: InstanceShape): Record<string, string> {
    const maker = GPU_MANUFACTURER_BY_FAMILY[shape.family];
    return {
        "kubernetes.io/arch": shape.architecture,
        "node.kubernetes.io/instance-type": shape.name,
        "karpenter.k8s.aws/instance-family": shape.family,
        "karpenter.k8s.aws/instance-size": shape.size,
        "karpenter.k8s.aws/instance-category": shape.series,
        ...(shape.generation !== undefined ? { "karpenter.k8s.aws/instance-generation": String(shape.generation) } : {}),
        // Fractional-GPU families (g6f, gr6f) carry the label with the value 0.
        ...((shape.gpus !== undefined && shape.gpus > 0) || maker ? { [GPU_COUNT_LABEL]: String(shape.gpus ?? 0) } : {}),
        ...(maker ? { [GPU_MANUFACTURER_LABEL]: maker } : {}),
    };
}

/** The instance labels the pool's nodes carry per instance type (instanceLabels); a requirement on one filters the types. */
const INSTANCE_LABEL_KEYS = [
    "karpenter.k8s.aws/instance-family",
    "karpenter.k8s.aws/instance-size",
    "karpenter.k8s.aws/instance-category",
    "karpenter.k8s.aws/instance-generation",
    GPU_COUNT_LABEL,
    GPU_MANUFACTURER_LABEL,
];

/** Karpenter's defaults for requirements a NodePool leaves out (karpenter.sh v1: on-demand, amd64, linux). */
const KARPENTER_DEFAULTS: Readonly<Record<string, string>> = {
    "karpenter.sh/capacity-type": "on-demand",
    "kubernetes.io/arch": "amd64",
    "kubernetes.io/os": "linux",
};

function karpenterPools(plan: PlanResult, catalog: InstanceCatalog): NodeGroup[] {
    const classes = new Map<string, Record<string, unknown>>();
    for (const r of plan.resources) {
        if (r.type === "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass" && isRecord(r.inputs.metadata) && isRecord(r.inputs.spec))
            classes.set(String(r.inputs.metadata.name), r.inputs.spec);
    }
    const subnets = plan.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet");
    const pools: NodeGroup[] = [];
    for (const r of plan.resources) {
        if (r.type !== "kubernetes:karpenter.sh/v1:NodePool" || !isRecord(r.inputs.spec) || !isRecord(r.inputs.metadata)) continue;
        const name = String(r.inputs.metadata.name);
        const template = isRecord(r.inputs.spec.template) ? r.inputs.spec.template : {};
        const spec = isRecord(template.spec) ? template.spec : {};
        const requirements = (Array.isArray(spec.requirements) ? spec.requirements : []) as NodeSelectorRequirement[];
        const nodeClass = classes.get(String(isRecord(spec.nodeClassRef) ? spec.nodeClassRef.name : "")) ?? {};
        const kubelet = (isRecord(nodeClass.kubelet) ? nodeClass.kubelet : {}) as KubeletReservations;
        // Subnets the EC2NodeClass selects by tag: their zones are where the pool's nodes can be.
        const terms = (Array.isArray(nodeClass.subnetSelectorTerms) ? nodeClass.subnetSelectorTerms : []).filter(isRecord);
        const selected = subnets.filter((s) =>
            terms.some(
                (t) => isRecord(t.tags) && Object.entries(t.tags).every(([k, v]) => isRecord(s.inputs.tags) && s.inputs.tags[k] === v),
            ),
        );
        const byKey = new Map<string, NodeSelectorRequirement[]>();
        for (const req of requirements) byKey.set(req.key, [...(byKey.get(req.key) ?? []), req]);
        const allowed = (key: string, value: string) => (byKey.get(key) ?? []).every((req) => satisfies(value, req));
        const zones = zonesOfSubnets(selected).filter((z) => allowed("topology.kubernetes.io/zone", z));
        const capacityTypes = ["on-demand", "spot"].filter((c) =>
            byKey.has("karpenter.sh/capacity-type")
                ? allowed("karpenter.sh/capacity-type", c)
                : c === KARPENTER_DEFAULTS["karpenter.sh/capacity-type"],
        );
        const arches = ["amd64", "arm64"].filter((a) =>
            byKey.has("kubernetes.io/arch") ? allowed("kubernetes.io/arch", a) : a === KARPENTER_DEFAULTS["kubernetes.io/arch"],
        );
        const shapes: InstanceShape[] = [];
        for (const typeName of catalog.instanceTypeNames()) {
            const shape = catalog.instanceType(typeName);
            if (!shape || !arches.includes(shape.architecture)) continue;
            const own = instanceLabels(shape);
            // A label the type does not carry satisfies only NotIn and DoesNotExist (node selector semantics).
            const absentOk = INSTANCE_LABEL_KEYS.filter((k) => own[k] === undefined).every((k) =>
                (byKey.get(k) ?? []).every((req) => req.operator === "NotIn" || req.operator === "DoesNotExist"),
            );
            if (absentOk && Object.entries(own).every(([k, v]) => allowed(k, v))) shapes.push(shape);
        }
        const labels = new Map<string, LabelDomain>([
            ["kubernetes.io/os", fixed("linux")],
            ["kubernetes.io/hostname", ANY],
            ["karpenter.sh/nodepool", fixed(name)],
            ["karpenter.sh/capacity-type", fixed(...capacityTypes)],
            ["kubernetes.io/arch", fixed(...arches)],
            ["topology.kubernetes.io/zone", fixed(...zones)],
            ["node.kubernetes.io/instance-type", fixed(...shapes.map((s) => s.name))],
        ]);
        // The instance labels Karpenter derives, with the values the pool's instances can have.
        for (const key of INSTANCE_LABEL_KEYS) {
            const values = new Set(shapes.map((s) => instanceLabels(s)[key]).filter((v): v is string => v !== undefined));
            // A GPU label no instance of the pool carries is absent from its nodes, not present with no value.
            if (values.size > 0 || !key.includes("-gpu-")) labels.set(key, fixed(...values));
        }
        const templateLabels = isRecord(template.metadata) && isRecord(template.metadata.labels) ? template.metadata.labels : {};
        for (const [k, v] of Object.entries(templateLabels)) labels.set(k, fixed(String(v)));
        // Requirements on keys no rule above covers become labels too (Karpenter labels nodes with them).
        for (const [key, reqs] of byKey) {
            if (labels.has(key)) continue;
            const values = reqs.flatMap((q) => (q.operator === "In" ? (q.values ?? []) : []));
            labels.set(key, values.length > 0 ? fixed(...values.filter((v) => allowed(key, v))) : ANY);
        }
        const taints = (Array.isArray(spec.taints) ? spec.taints : []).filter(isRecord).map((t) => ({
            key: String(t.key),
            ...(t.value !== undefined ? { value: String(t.value) } : {}),
            effect: String(t.effect) as Taint["effect"],
        }));
        pools.push({
            name: `NodePool ${name}`,
            kind: "karpenter",
            labels,
            taints,
            instances: shapes.flatMap((shape) => {
                const allocatable = allocatableOf(shape, kubelet);
                return allocatable ? [{ shape, allocatable }] : [];
            }),
            unknownTypes: [],
            zones,
        });
    }
    return pools;
}

/** Every group of nodes the plan declares: managed node groups first, then NodePools. */
export function nodeGroupsOf(plan: PlanResult, catalog: InstanceCatalog): NodeGroup[] {
    return [...managedGroups(plan, catalog), ...karpenterPools(plan, catalog)];
}
