// A picture of a plan at component level: the program's top-level components (network, cluster, cni, ...) and which
// waits for which, derived from the recorded dependency edges and provider references of the resources inside them,
// as a Mermaid flowchart (an arrow points from what is created first to what waits for it).
import type { PlanDiff, ResourceChange } from "./diff";
import type { PlanResult } from "./types";

export interface ComponentNode {
    urn: string;
    name: string;
    type: string;
    /** Resources inside it, itself included. */
    resources: number;
}

export interface ComponentGraph {
    nodes: ComponentNode[];
    /** `from` is created first; `to` waits for it. `edges` counts the resource-level edges behind it. */
    edges: { from: string; to: string; edges: number }[];
}

/** The top-level component a resource belongs to (itself, or its ancestor right under the stack). */
function ownerOf(plan: PlanResult): (urn: string | undefined) => string | undefined {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const stack = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
    const cache = new Map<string, string | undefined>();
    const owner = (urn: string | undefined): string | undefined => {
        if (!urn || urn === stack) return undefined;
        if (cache.has(urn)) return cache.get(urn);
        const r = byUrn.get(urn);
        const found = !r ? undefined : r.parent === stack ? (r.custom ? undefined : r.urn) : owner(r.parent);
        cache.set(urn, found);
        return found;
    };
    return owner;
}

// Nodes in creation order (what waits for nothing first), registration order among equals; a cycle keeps the rest as is.
function topological<T extends { urn: string }>(nodes: T[], edges: [string, string][]): T[] {
    const out: T[] = [];
    const left = [...nodes];
    while (left.length > 0) {
        const i = left.findIndex((n) => !edges.some(([from, to]) => to === n.urn && left.some((l) => l.urn === from)));
        out.push(...left.splice(i < 0 ? 0 : i, 1));
    }
    return out;
}

export function componentGraph(plan: PlanResult): ComponentGraph {
    const owner = ownerOf(plan);
    const counts = new Map<string, number>();
    const edges = new Map<string, number>();
    for (const r of plan.resources) {
        const mine = owner(r.urn);
        if (!mine) continue;
        counts.set(mine, (counts.get(mine) ?? 0) + 1);
        const upstream = [...r.dependencies, ...(r.provider ? [r.provider.replace(/::[^:]*$/, "")] : [])];
        for (const dep of upstream) {
            const theirs = owner(dep);
            if (!theirs || theirs === mine) continue;
            const key = `${theirs}\n${mine}`;
            edges.set(key, (edges.get(key) ?? 0) + 1);
        }
    }
    const nodes = topological(
        plan.resources
            .filter((r) => counts.has(r.urn))
            .map((r) => ({ urn: r.urn, name: r.name, type: r.type, resources: counts.get(r.urn) as number })),
        [...edges.keys()].map((k) => k.split("\n") as [string, string]),
    );
    return {
        nodes,
        edges: [...edges.entries()]
            .map(([key, n]) => {
                const [from, to] = key.split("\n") as [string, string];
                return { from, to, edges: n };
            })
            .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
    };
}

export type ComponentState = "blocked" | "data-loss" | "replace" | "delete" | "create" | "update";
const STATE_ORDER: readonly ComponentState[] = ["blocked", "data-loss", "replace", "delete", "create", "update"];
const stateOf = (c: ResourceChange): ComponentState => (c.blocked ? "blocked" : c.dataLoss ? "data-loss" : c.op);

/** Per component name, the most consequential change among its resources (deleted ones found in the base plan). */
export function componentStates(diff: PlanDiff, base: PlanResult, next: PlanResult): Map<string, ComponentState> {
    const ownerNext = ownerOf(next);
    const ownerBase = ownerOf(base);
    const names = new Map([...base.resources, ...next.resources].map((r) => [r.urn, r.name]));
    const states = new Map<string, ComponentState>();
    for (const c of diff.changes) {
        const owner = c.op === "delete" ? ownerBase(c.urn) : ownerNext(c.urn);
        const name = owner ? names.get(owner) : undefined;
        if (!name) continue;
        const s = stateOf(c);
        const was = states.get(name);
        if (!was || STATE_ORDER.indexOf(s) < STATE_ORDER.indexOf(was)) states.set(name, s);
    }
    return states;
}

const nodeId = (name: string) => `c_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
const CLASS: Record<ComponentState, string> = {
    blocked: "fill:#f8d7da,stroke:#a00,stroke-width:3px",
    "data-loss": "fill:#f8d7da,stroke:#a00,stroke-dasharray:4",
    replace: "fill:#fde2c8,stroke:#c60",
    delete: "fill:#eeeeee,stroke:#666,stroke-dasharray:4",
    create: "fill:#d4edda,stroke:#080",
    update: "fill:#fff3cd,stroke:#a80",
};

/** The graph as Mermaid flowchart text; with `states`, changed components are coloured by their change. */
export function graphMermaid(graph: ComponentGraph, states?: ReadonlyMap<string, ComponentState>): string {
    const byUrn = new Map(graph.nodes.map((n) => [n.urn, n]));
    const lines = ["flowchart LR"];
    for (const n of graph.nodes) {
        lines.push(`    ${nodeId(n.name)}["${n.name}<br/><small>${n.type}</small>"]`);
    }
    for (const e of graph.edges) {
        const from = byUrn.get(e.from) as ComponentNode;
        const to = byUrn.get(e.to) as ComponentNode;
        lines.push(`    ${nodeId(from.name)} --> ${nodeId(to.name)}`);
    }
    if (states && states.size > 0) {
        const used = STATE_ORDER.filter((s) => [...states.values()].includes(s));
        for (const s of used) lines.push(`    classDef ${s.replace("-", "_")} ${CLASS[s]}`);
        for (const n of graph.nodes) {
            const s = states.get(n.name);
            if (s) lines.push(`    class ${nodeId(n.name)} ${s.replace("-", "_")}`);
        }
    }
    return lines.join("\n");
}

/** The plan's component graph as Mermaid text (what `npm run plan -- --graph` prints and the README shows for prod). */
export function planGraph(plan: PlanResult, diff?: { diff: PlanDiff; base: PlanResult }): string {
    return graphMermaid(componentGraph(plan), diff ? componentStates(diff.diff, diff.base, plan) : undefined);
}

/** The upgrade order (stacks/versions/upgrade-order.ts UPGRADE_ORDER) as a Mermaid flowchart, for UPGRADING.md. */
export function upgradeOrderMermaid(steps: readonly { id: string; what: string; after: readonly string[] }[]): string {
    const id = (s: string) => `u_${s.replace(/[^A-Za-z0-9]/g, "_")}`;
    const lines = ["flowchart LR"];
    steps.forEach((s, i) => lines.push(`    ${id(s.id)}["${i + 1}. ${s.id}<br/><small>${s.what.replace(/"/g, "'")}</small>"]`));
    for (const s of steps) for (const a of s.after) lines.push(`    ${id(a)} --> ${id(s.id)}`);
    return lines.join("\n");
}
