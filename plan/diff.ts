// Comparison of two offline plans (the JSON `npm run plan -- --json` writes): what `npm run plan -- --diff` prints.
import type { PlanResult, PlannedResource } from "./types";

export interface PlanDiff {
    added: PlannedResource[];
    removed: PlannedResource[];
    changed: { resource: PlannedResource; paths: string[] }[];
}

/** Paths (a.b[0].c) at which two JSON values differ. */
export function changedPaths(a: unknown, b: unknown, prefix = ""): string[] {
    if (JSON.stringify(a) === JSON.stringify(b)) return [];
    const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
    if (Array.isArray(a) && Array.isArray(b)) {
        const out: string[] = [];
        for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changedPaths(a[i], b[i], `${prefix}[${i}]`));
        return out;
    }
    if (isObj(a) && isObj(b)) {
        const out: string[] = [];
        for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
            out.push(...changedPaths(a[key], b[key], prefix ? `${prefix}.${key}` : key));
        }
        return out;
    }
    // JSON-encoded documents (IAM policies, Helm values) are compared inside, so the diff names the field.
    if (typeof a === "string" && typeof b === "string" && /^[[{]/.test(a) && /^[[{]/.test(b)) {
        try {
            return changedPaths(JSON.parse(a), JSON.parse(b), prefix);
        } catch {
            // not JSON after all
        }
    }
    return [prefix || "(value)"];
}

export function diffPlans(base: PlanResult, next: PlanResult): PlanDiff {
    const before = new Map(base.resources.map((r) => [r.urn, r]));
    const after = new Map(next.resources.map((r) => [r.urn, r]));
    const diff: PlanDiff = { added: [], removed: [], changed: [] };
    for (const [urn, r] of after) {
        const old = before.get(urn);
        if (!old) {
            diff.added.push(r);
            continue;
        }
        const paths = changedPaths(old.inputs, r.inputs).map((p) => `inputs.${p}`);
        if (old.protect !== r.protect) paths.push("protect");
        if (JSON.stringify(old.dependencies) !== JSON.stringify(r.dependencies)) paths.push("dependencies");
        if (JSON.stringify(old.hooks ?? {}) !== JSON.stringify(r.hooks ?? {})) paths.push("hooks");
        if (old.provider !== r.provider) paths.push("provider");
        if (paths.length > 0) diff.changed.push({ resource: r, paths });
    }
    for (const [urn, r] of before) if (!after.has(urn)) diff.removed.push(r);
    return diff;
}

export function formatDiff(diff: PlanDiff): string {
    const lines: string[] = [];
    for (const r of diff.added) lines.push(`+ ${r.type}  ${r.name}`);
    for (const r of diff.removed) lines.push(`- ${r.type}  ${r.name}`);
    for (const { resource, paths } of diff.changed) {
        lines.push(`~ ${resource.type}  ${resource.name}`);
        for (const p of paths) lines.push(`    ${p}`);
    }
    lines.push(`${diff.added.length} to add, ${diff.changed.length} to change, ${diff.removed.length} to remove`);
    return lines.join("\n");
}
