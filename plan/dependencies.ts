// The plan's dependency graph, one walker for both questions the tests and tools ask:
//  - waitsFor(a, b): a is created after b (its explicit dependsOn and the resources whose outputs feed its inputs);
//  - deletedBefore(a, b): Pulumi deletes a before b. Deletes run in reverse dependency order, so this holds exactly
//    when a waits for b through its dependencies, its provider, its parent (children go before their parent), and,
//    for a dependency on a component, all of that component's descendants (the engine expands it for deletes,
//    pulumi/pulumi#7788).
import type { PlannedResource } from "./types";

export class DependencyGraph {
    private readonly byUrn = new Map<string, PlannedResource>();
    private readonly children = new Map<string, PlannedResource[]>();

    constructor(resources: readonly PlannedResource[]) {
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
            if (r.parent) this.children.set(r.parent, [...(this.children.get(r.parent) ?? []), r]);
        }
    }

    /** Every resource parented (transitively) to `urn`. */
    descendants(urn: string): string[] {
        return (this.children.get(urn) ?? []).flatMap((c) => [c.urn, ...this.descendants(c.urn)]);
    }

    /** True when `from` is created after `to`, directly or through a chain of dependencies. */
    waitsFor(from: PlannedResource, to: PlannedResource): boolean {
        return this.reaches(from.urn, to.urn, (r) => r.dependencies);
    }

    /** True when Pulumi deletes `a` before `b`. */
    deletedBefore(a: PlannedResource, b: PlannedResource): boolean {
        return this.reaches(a.urn, b.urn, (r) => this.deleteEdges(r));
    }

    /** What `r` waits for directly, for deletion. */
    private deleteEdges(r: PlannedResource): string[] {
        const out = new Set(r.dependencies);
        if (r.provider) out.add(r.provider.slice(0, r.provider.lastIndexOf("::")));
        if (r.parent) out.add(r.parent);
        for (const d of r.dependencies) {
            const dep = this.byUrn.get(d);
            if (dep && !dep.custom) for (const u of this.descendants(d)) out.add(u);
        }
        return [...out];
    }

    private reaches(from: string, to: string, edges: (r: PlannedResource) => readonly string[]): boolean {
        const seen = new Set<string>();
        const stack = [from];
        while (stack.length > 0) {
            const urn = stack.pop() as string;
            if (seen.has(urn)) continue;
            seen.add(urn);
            const r = this.byUrn.get(urn);
            if (!r) continue;
            for (const e of edges(r)) {
                if (e === to) return true;
                stack.push(e);
            }
        }
        return false;
    }
}
