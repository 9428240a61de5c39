// The plan as a tree (type, name, nesting, marks) and a count per type: what `npm run plan` prints.
import type { PlanResult, PlannedResource } from "./types";

/** The resource tree (type, name, nesting) and a count per type. */
export function formatTree(plan: PlanResult): string {
    const children = new Map<string, PlannedResource[]>();
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const roots: PlannedResource[] = [];
    for (const r of plan.resources) {
        if (r.parent && byUrn.has(r.parent)) {
            const list = children.get(r.parent) ?? [];
            list.push(r);
            children.set(r.parent, list);
        } else {
            roots.push(r);
        }
    }
    const lines: string[] = [];
    const walk = (r: PlannedResource, prefix: string, last: boolean, depth: number) => {
        const marks = [
            r.protect ? "protected" : "",
            r.hooks
                ? `hooks: ${Object.entries(r.hooks)
                      .map(([k, v]) => `${k}=${v.join(",")}`)
                      .join(" ")}`
                : "",
            r.standIn ? "modeled child of a remote component" : "",
        ].filter(Boolean);
        const branch = depth === 0 ? "" : last ? "└─ " : "├─ ";
        lines.push(`${prefix}${branch}${r.type}  ${r.name}${marks.length ? `  [${marks.join("; ")}]` : ""}`);
        const kids = children.get(r.urn) ?? [];
        const nextPrefix = depth === 0 ? "" : prefix + (last ? "   " : "│  ");
        kids.forEach((k, i) => walk(k, nextPrefix, i === kids.length - 1, depth + 1));
    };
    roots.forEach((r, i) => walk(r, "", i === roots.length - 1, 0));

    const counts = new Map<string, number>();
    for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    const width = Math.max(...[...counts.keys()].map((k) => k.length), 4);
    lines.push("", "Resources by type:");
    for (const [type, count] of [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
        lines.push(`  ${type.padEnd(width)}  ${count}`);
    }
    lines.push(`  ${"total".padEnd(width)}  ${plan.resources.length}`);
    return lines.join("\n");
}
