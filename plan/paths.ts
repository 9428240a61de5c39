// Paths into resource inputs: where two input sets differ (a.b[0]["karpenter.sh/discovery"], Pulumi's property path
// syntax, looking inside JSON-encoded documents), the value at such a path, and whether it holds a secret.

/** How the plan records a secret value (plan/recorder.ts): the value itself never reaches the plan. */
export const SECRET = "[secret]";

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Paths (a.b[0].c) at which two JSON values differ; JSON-encoded documents (IAM policies, Helm values) are compared inside. */
export function changedPaths(a: unknown, b: unknown, prefix = ""): string[] {
    if (JSON.stringify(a) === JSON.stringify(b)) return [];
    if (Array.isArray(a) && Array.isArray(b)) {
        const out: string[] = [];
        for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changedPaths(a[i], b[i], `${prefix}[${i}]`));
        return out;
    }
    if (isObj(a) && isObj(b)) {
        const out: string[] = [];
        for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
            out.push(...changedPaths(a[key], b[key], joinPath(prefix, key)));
        return out;
    }
    if (typeof a === "string" && typeof b === "string" && /^[[{]/.test(a) && /^[[{]/.test(b)) {
        try {
            return changedPaths(JSON.parse(a), JSON.parse(b), prefix);
        } catch {
            // not JSON after all
        }
    }
    return [prefix || "(value)"];
}

/** `a.b`, or `a["karpenter.sh/discovery"]` for a key that is not a plain name (Pulumi's property path syntax). */
export function joinPath(prefix: string, key: string): string {
    if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${prefix}[${JSON.stringify(key)}]`;
    return prefix ? `${prefix}.${key}` : key;
}

/** The value at a changed path (parsing JSON-encoded documents on the way); "[secret]" when the path is secret. */
export function valueAtPath(value: unknown, path: string): unknown {
    let current = value;
    for (const raw of path.match(/\["(?:[^"\\]|\\.)*"\]|\[\d+\]|[^.[\]]+/g) ?? []) {
        const token = raw.startsWith('["') ? (JSON.parse(raw.slice(1, -1)) as string) : raw;
        if (current === SECRET) return SECRET;
        if (typeof current === "string" && /^[[{]/.test(current)) {
            try {
                current = JSON.parse(current) as unknown;
            } catch {
                return undefined;
            }
        }
        if (/^\[\d+\]$/.test(raw)) current = Array.isArray(current) ? current[Number(raw.slice(1, -1))] : undefined;
        else current = isObj(current) ? current[token] : undefined;
    }
    return current;
}

/** True when the value is, or holds, a secret. */
export const containsSecret = (v: unknown): boolean => JSON.stringify(v ?? null).includes(`"${SECRET}"`);

/** True when `path` is one of `prefixes` or lies under one (`*` matches every path), as ignoreChanges reads them. */
export const underAny = (path: string, prefixes: readonly string[]) =>
    prefixes.some((p) => p === "*" || path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
