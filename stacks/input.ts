// Reading a stack's raw configuration: the values Pulumi hands over (strings, objects JSON-encoded), merging
// defaults under them, reading a key path, and freezing the result. Shared by the main program's config contract and
// the bootstrap project's.

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Pulumi hands config values over as strings (objects JSON-encoded, booleans "true"/"false"); a stack file gives them parsed. */
export function decodeConfigValue(value: unknown): unknown {
    if (typeof value !== "string") return value;
    const trimmed = value.trim();
    if (trimmed === "true" || trimmed === "false") return trimmed === "true";
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
            return JSON.parse(trimmed) as unknown;
        } catch {
            return value;
        }
    }
    return value;
}

/** Objects merge key by key; arrays and scalars from `override` replace those of `base`. */
export function deepMerge(base: unknown, override: unknown): unknown {
    if (override === undefined) return base;
    if (!isRecord(base) || !isRecord(override)) return override;
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) out[key] = deepMerge(base[key], value);
    return out;
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let node = root;
    for (const key of path) {
        if (Array.isArray(node) && typeof key === "number") node = node[key];
        else if (isRecord(node) && typeof key === "string") node = node[key];
        else return undefined;
    }
    return node;
}

export function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        for (const child of Object.values(value)) deepFreeze(child);
        Object.freeze(value);
    }
    return value;
}
