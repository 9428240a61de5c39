// The placement check: for every workload the plan installs (described by its component from the values recorded in
// the plan, components/workloads.ts) and every group of nodes the plan declares (plan/placement-nodes.ts), whether
// its pods can be scheduled, without rendering a chart. Findings:
//   no-node         no node group or NodePool can host the workload (taints, selectors and affinity, architecture,
//                   requests vs the largest instance a group allows)
//   daemonset-gap   a DaemonSet that cannot run on some group (its nodes would lack the agent)
//   overcommit      the pods that can land on a fixed-size managed node group request more than its nodes hold, at
//                   its desired or minimum size (on a fresh cluster they are the only nodes)
//   spread          more replicas than domains their required anti-affinity needs
//   stateful-spot   a pod with a zonal volume that may run on spot capacity
//   stateful-zones  replicas with zonal volumes that may share one zone
//   fargate         a workload of a Fargate namespace that Fargate cannot run (a DaemonSet, an EBS volume, more
//                   than its largest pod)
//   undescribed     a release whose chart has no workload description (components/workloads.ts)
import {
    OBJECT_WORKLOADS,
    RELEASE_WORKLOADS,
    addonWorkloadsOf,
    calicoWorkloadsOf,
    objectWorkload,
    type Workload,
} from "../components/workloads";
import type { Taint, Toleration } from "../components/lib/placement";
import { sumRequests, type NodeSelectorRequirement, type PodRequests } from "../components/lib/workloads";
import { EC2_CATALOG, type InstanceCatalog } from "./placement-instances";
import { fargateFindings, fargateSelectorsOf, type FargateSelector } from "./placement-fargate";
import { nodeGroupsOf, type Allocatable, type LabelDomain, type NodeGroup } from "./placement-nodes";
import type { PlanResult } from "./types";

export type FindingKind =
    "no-node" | "daemonset-gap" | "overcommit" | "spread" | "stateful-spot" | "stateful-zones" | "fargate" | "undescribed";

export interface PlacementFinding {
    kind: FindingKind;
    /** The workload (or release) it is about. */
    subject: string;
    message: string;
}

export interface GroupBudget {
    group: string;
    /** The workloads that can land on the group's nodes (they are the only nodes on a fresh cluster). */
    workloads: string[];
    requests: PodRequests;
    /** Requests of the DaemonSets on each node. */
    perNode: PodRequests;
    allocatablePerNode: Allocatable;
    size: { min: number; desired: number };
}

export interface PlacementReport {
    workloads: Workload[];
    groups: NodeGroup[];
    /** The workloads Fargate runs (their namespace is a Fargate profile's, with no label selector), by profile. */
    fargate: { workload: string; profile: string }[];
    findings: PlacementFinding[];
    budgets: GroupBudget[];
    /** Upstream defaults the descriptions rely on (not from the program's values). */
    assumptions: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every workload the plan installs, from its releases, EKS add-ons and Calico Installation; and the charts no one describes. */
export function workloadsOfPlan(plan: PlanResult, systemNodes: number): { workloads: Workload[]; undescribed: string[] } {
    const workloads: Workload[] = [];
    const undescribed: string[] = [];
    const hasApiServer = plan.resources.some((r) => r.type === "kubernetes:operator.tigera.io/v1:APIServer");
    for (const r of plan.resources) {
        if (r.type === "kubernetes:helm.sh/v3:Release") {
            const chart = String(r.inputs.chart ?? "");
            const describe = RELEASE_WORKLOADS[chart];
            if (!describe) {
                undescribed.push(`${r.name} (chart ${chart})`);
                continue;
            }
            workloads.push(
                ...describe((isRecord(r.inputs.values) ? r.inputs.values : {}) as never, String(r.inputs.namespace ?? "default")),
            );
        } else if (r.type === "aws:eks/addon:Addon") {
            workloads.push(...addonWorkloadsOf(String(r.inputs.addonName), r.inputs.configurationValues));
        } else if (OBJECT_WORKLOADS[r.type]) {
            workloads.push(objectWorkload(OBJECT_WORKLOADS[r.type] as Workload["kind"], r.inputs));
        } else if (r.type === "kubernetes:operator.tigera.io/v1:Installation" && isRecord(r.inputs.spec)) {
            workloads.push(...calicoWorkloadsOf({ spec: r.inputs.spec }, { apiServer: hasApiServer, nodes: systemNodes }));
        }
    }
    return { workloads, undescribed };
}

// ---------------------------------------------------------------------------------------------------------------
// Scheduling predicates (kube-scheduler's: taints/tolerations, node selector, required node affinity)

/** Whether a toleration tolerates a taint (core/v1 Toleration.ToleratesTaint). */
export function tolerates(t: Toleration, taint: Taint): boolean {
    if (t.effect !== undefined && t.effect !== taint.effect) return false;
    if (t.key === undefined || t.key === "") return t.operator === "Exists";
    if (t.key !== taint.key) return false;
    return t.operator === "Exists" || (t.value ?? "") === (taint.value ?? "");
}

/** Whether some node of the domain can satisfy one requirement (absent: the label is never set). */
export function domainSatisfies(domain: LabelDomain | undefined, req: NodeSelectorRequirement): boolean {
    const values = req.values ?? [];
    if (domain === undefined) return req.operator === "NotIn" || req.operator === "DoesNotExist";
    if ("any" in domain) return req.operator !== "DoesNotExist";
    const all = [...domain.values];
    switch (req.operator) {
        case "In":
            return all.some((v) => values.includes(v));
        case "NotIn":
            return all.some((v) => !values.includes(v));
        case "Exists":
            return all.length > 0;
        case "DoesNotExist":
            return false;
        case "Gt":
            return all.some((v) => Number(v) > Number(values[0]));
        case "Lt":
            return all.some((v) => Number(v) < Number(values[0]));
    }
}

const fmt = (r: PodRequests) => `${Math.round(r.cpuMillis)}m CPU / ${Math.round(r.memoryMiB)}Mi`;
const fits = (r: PodRequests, a: Allocatable) => r.cpuMillis <= a.cpuMillis && r.memoryMiB <= a.memoryMiB;

/** The workload's own constraints as requirements (node selector entries are In requirements). */
function requirementTerms(w: Workload): NodeSelectorRequirement[][] {
    const selector = Object.entries(w.nodeSelector).map(([key, value]) => ({ key, operator: "In" as const, values: [value] }));
    const terms = w.nodeAffinity.length > 0 ? w.nodeAffinity : [[]];
    return terms.map((term) => [...selector, ...term]);
}

/** Why the group cannot take the workload's pods, by cause: its taints, its labels (selector, affinity), the image's architectures. */
function selectionCauses(w: Workload, g: NodeGroup): { taints: string[]; labels: string[]; architecture: string[] } {
    const taints: string[] = [];
    for (const taint of g.taints) {
        if (taint.effect === "PreferNoSchedule") continue;
        if (!w.tolerations.some((t) => tolerates(t, taint)))
            taints.push(`does not tolerate ${taint.key}${taint.value !== undefined ? `=${taint.value}` : ""}:${taint.effect}`);
    }
    const terms = requirementTerms(w);
    const termProblems = terms.map((term) =>
        term.filter((req) => !domainSatisfies(g.labels.get(req.key), req)).map((req) => describeRequirement(req, g.labels.get(req.key))),
    );
    const labels = termProblems.some((p) => p.length === 0) ? [] : (termProblems[0] ?? []);
    const archDomain = g.labels.get("kubernetes.io/arch");
    const arches = archDomain && "values" in archDomain ? [...archDomain.values] : ["amd64", "arm64"];
    const usable = arches.filter((a) => w.architectures.includes(a as "amd64" | "arm64") && terms.some((term) => archAllowed(term, a)));
    return { taints, labels, architecture: usable.length === 0 ? [`no image for its architectures (${arches.join(", ")})`] : [] };
}

/** Why the group cannot take the workload's pods (labels and taints only), or [] when it can. */
function selectionProblems(w: Workload, g: NodeGroup): string[] {
    const c = selectionCauses(w, g);
    return [...c.taints, ...c.labels, ...c.architecture];
}

/**
 * Why a DaemonSet is missing from the group's nodes, or [] when it runs there or is not meant to: one that runs only
 * where its selector matches (a device plugin) is not missing where the labels do not match.
 */
function daemonSetGap(ds: Workload, g: NodeGroup): string[] {
    const c = selectionCauses(ds, g);
    if (ds.onlyWhereSelected && c.labels.length > 0) return [];
    return [...c.taints, ...c.labels, ...c.architecture];
}

function archAllowed(term: readonly NodeSelectorRequirement[], arch: string): boolean {
    return term.filter((r) => r.key === "kubernetes.io/arch").every((r) => domainSatisfies({ values: new Set([arch]) }, r));
}

function describeRequirement(req: NodeSelectorRequirement, domain: LabelDomain | undefined): string {
    const wanted = `${req.key} ${req.operator}${req.values ? ` [${req.values.join(", ")}]` : ""}`;
    if (domain === undefined) return `needs ${wanted}, its nodes have no ${req.key} label`;
    return `needs ${wanted}, its nodes have ${"any" in domain ? "any value" : `[${[...domain.values].join(", ")}]`}`;
}

/** The instances of the group the workload's constraints allow (architecture and instance type). */
function instancesFor(w: Workload, g: NodeGroup) {
    const terms = requirementTerms(w);
    return g.instances.filter(
        ({ shape }) =>
            w.architectures.includes(shape.architecture) &&
            terms.some((term) =>
                term.every((req) =>
                    req.key === "kubernetes.io/arch"
                        ? domainSatisfies({ values: new Set([shape.architecture]) }, req)
                        : req.key === "node.kubernetes.io/instance-type"
                          ? domainSatisfies({ values: new Set([shape.name]) }, req)
                          : true,
                ),
            ),
    );
}

/** Can the group's capacity type domain give this workload spot nodes? */
function mayBeSpot(w: Workload, g: NodeGroup): boolean {
    const terms = requirementTerms(w);
    const spot = (key: string, value: string) => {
        const domain = g.labels.get(key);
        return (
            !!domain &&
            "values" in domain &&
            domain.values.has(value) &&
            terms.some((t) => t.filter((r) => r.key === key).every((r) => domainSatisfies({ values: new Set([value]) }, r)))
        );
    };
    return spot("karpenter.sh/capacity-type", "spot") || spot("eks.amazonaws.com/capacityType", "SPOT");
}

// ---------------------------------------------------------------------------------------------------------------

/** The placement check over a recorded plan. */
export function checkPlacement(plan: PlanResult, options: { catalog?: InstanceCatalog } = {}): PlacementReport {
    const groups = nodeGroupsOf(plan, options.catalog ?? EC2_CATALOG);
    const systemNodes = groups.reduce((n, g) => n + (g.size?.desired ?? 0), 0);
    const { workloads, undescribed } = workloadsOfPlan(plan, systemNodes);
    const findings: PlacementFinding[] = undescribed.map((subject) => ({
        kind: "undescribed",
        subject,
        message: "its chart has no workload description in components/workloads.ts, so its pods are not checked",
    }));
    // Pods of a namespace a Fargate profile selects (without labels) never reach the node groups: Fargate runs them.
    const onFargate = new Map<Workload, FargateSelector>();
    const selectors = fargateSelectorsOf(plan).filter((sel) => Object.keys(sel.labels).length === 0);
    for (const w of workloads) {
        const sel = selectors.find((s) => s.namespace === w.namespace);
        if (sel) onFargate.set(w, sel);
    }
    for (const [w, sel] of onFargate) findings.push(...fargateFindings(w, sel));
    const daemonSets = workloads.filter((w) => w.kind === "DaemonSet" && !onFargate.has(w));
    const pods = workloads.filter((w) => w.kind !== "DaemonSet" && !onFargate.has(w));

    // DaemonSets first: what they take on each node is not available to other pods.
    const perNode = new Map<NodeGroup, PodRequests>();
    for (const g of groups) {
        const here = daemonSets.filter((ds) => selectionProblems(ds, g).length === 0);
        perNode.set(g, sumRequests(...here.map((ds) => ds.requests)));
        for (const ds of daemonSets) {
            const problems = daemonSetGap(ds, g);
            if (problems.length > 0)
                findings.push({ kind: "daemonset-gap", subject: ds.name, message: `does not run on ${g.name}: ${problems.join("; ")}` });
        }
    }
    for (const ds of daemonSets.filter((d) => d.onlyWhereSelected && !groups.some((g) => selectionProblems(d, g).length === 0)))
        findings.push({
            kind: "daemonset-gap",
            subject: ds.name,
            message: "runs on no node group or NodePool: none has the nodes its selector and affinity are meant for",
        });

    const candidates = new Map<Workload, NodeGroup[]>();
    for (const w of pods) {
        const reasons: string[] = [];
        const hosts: NodeGroup[] = [];
        for (const g of groups) {
            const problems = selectionProblems(w, g);
            if (problems.length === 0) {
                const overhead = perNode.get(g) ?? { cpuMillis: 0, memoryMiB: 0 };
                const allowed = instancesFor(w, g);
                const need = sumRequests(w.requests, overhead);
                if (g.instances.length > 0 && !allowed.some(({ allocatable }) => fits(need, allocatable))) {
                    const largest = allowed.reduce<(typeof allowed)[number] | undefined>(
                        (best, i) =>
                            !best ||
                            i.allocatable.cpuMillis + i.allocatable.memoryMiB > best.allocatable.cpuMillis + best.allocatable.memoryMiB
                                ? i
                                : best,
                        undefined,
                    );
                    problems.push(
                        largest
                            ? `needs ${fmt(w.requests)} beside its DaemonSets' ${fmt(overhead)}; its largest allowed instance ${largest.shape.name} has ${fmt(largest.allocatable)}`
                            : "none of its instance types suits the pod",
                    );
                }
            }
            if (problems.length === 0) hosts.push(g);
            else reasons.push(`${g.name}: ${problems.join("; ")}`);
        }
        candidates.set(w, hosts);
        if (hosts.length === 0) {
            findings.push({ kind: "no-node", subject: w.name, message: `no node group or NodePool can run it (${reasons.join(" | ")})` });
            continue;
        }
        spreadFindings(w, hosts, findings);
        if (w.zonalVolume) statefulFindings(w, hosts, findings);
    }

    const budgets: GroupBudget[] = [];
    for (const g of groups) {
        if (g.kind !== "managed" || !g.size || g.instances.length === 0) continue;
        const here = pods.filter((w) => candidates.get(w)?.includes(g));
        const requests = sumRequests(
            ...here.map((w) => ({ cpuMillis: w.requests.cpuMillis * w.replicas, memoryMiB: w.requests.memoryMiB * w.replicas })),
        );
        const node = g.instances.reduce((a, b) =>
            b.allocatable.cpuMillis < a.allocatable.cpuMillis || b.allocatable.memoryMiB < a.allocatable.memoryMiB ? b : a,
        ).allocatable;
        const ds = perNode.get(g) ?? { cpuMillis: 0, memoryMiB: 0 };
        const budget: GroupBudget = {
            group: g.name,
            workloads: here.map((w) => w.name),
            requests,
            perNode: ds,
            allocatablePerNode: node,
            size: { min: g.size.min, desired: g.size.desired },
        };
        budgets.push(budget);
        for (const [label, count] of [
            ["desired", g.size.desired],
            ["minimum", g.size.min],
        ] as const) {
            const free = { cpuMillis: count * (node.cpuMillis - ds.cpuMillis), memoryMiB: count * (node.memoryMiB - ds.memoryMiB) };
            if (!fits(requests, free))
                findings.push({
                    kind: "overcommit",
                    subject: g.name,
                    message: `at its ${label} size (${count} nodes) the pods that can land on it request ${fmt(requests)}, its nodes hold ${fmt(free)} beside their DaemonSets (${here.length} workloads)`,
                });
        }
    }
    const assumptions = [...new Set(workloads.flatMap((w) => w.assumptions ?? []))];
    const fargate = [...onFargate].map(([w, sel]) => ({ workload: w.name, profile: sel.profile }));
    return { workloads, groups, fargate, findings, budgets, assumptions };
}

/** How many nodes the hosts can have at most: unbounded once a NodePool is among them. */
function maxNodes(hosts: readonly NodeGroup[], which: "desired" | "min"): number {
    if (hosts.some((g) => g.kind === "karpenter")) return Number.POSITIVE_INFINITY;
    return hosts.reduce((n, g) => n + (which === "desired" ? (g.size?.desired ?? 0) : (g.size?.min ?? 0)), 0);
}

function spreadFindings(w: Workload, hosts: readonly NodeGroup[], findings: PlacementFinding[]): void {
    for (const key of w.antiAffinity) {
        if (key === "kubernetes.io/hostname") {
            for (const which of ["desired", "min"] as const) {
                const nodes = maxNodes(hosts, which);
                if (w.replicas > nodes) {
                    findings.push({
                        kind: "spread",
                        subject: w.name,
                        message: `${w.replicas} replicas must be on different nodes, its node groups have ${nodes} at their ${which === "min" ? "minimum" : "desired"} size`,
                    });
                    break;
                }
            }
        } else if (key === "topology.kubernetes.io/zone") {
            const zones = new Set(hosts.flatMap((g) => g.zones)).size;
            if (w.replicas > zones)
                findings.push({
                    kind: "spread",
                    subject: w.name,
                    message: `${w.replicas} replicas must be in different zones, its nodes span ${zones}`,
                });
        }
    }
}

function statefulFindings(w: Workload, hosts: readonly NodeGroup[], findings: PlacementFinding[]): void {
    const spot = hosts.filter((g) => mayBeSpot(w, g));
    if (spot.length > 0)
        findings.push({
            kind: "stateful-spot",
            subject: w.name,
            message: `keeps a zonal volume but may run on spot capacity (${spot.map((g) => g.name).join(", ")}): select on-demand nodes`,
        });
    if (w.replicas > 1) {
        const hardZoneSpread = w.spread.some(
            (s) => s.topologyKey === "topology.kubernetes.io/zone" && s.whenUnsatisfiable === "DoNotSchedule",
        );
        const zones = new Set(hosts.flatMap((g) => g.zones)).size;
        if (!hardZoneSpread && !w.antiAffinity.includes("topology.kubernetes.io/zone"))
            findings.push({
                kind: "stateful-zones",
                subject: w.name,
                message: `${w.replicas} replicas with zonal volumes have no hard zone spread: they may all be placed, and then stay, in one zone`,
            });
        else if (zones < 2)
            findings.push({
                kind: "stateful-zones",
                subject: w.name,
                message: `${w.replicas} replicas with zonal volumes, but its nodes are in ${zones} zone`,
            });
    }
}

export { formatPlacement, placementSeverity } from "./placement-format";
