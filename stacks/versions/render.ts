// A table entry printed as TypeScript, ready to paste into VERSION_TABLE.minors (stacks/versions/table.ts):
// 4-space indents, double quotes, bare keys where they are identifiers, a trailing comma (the house Prettier style).
import type { MinorVersionsDraft } from "./model";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (k: string) => (IDENTIFIER.test(k) ? k : JSON.stringify(k));

function render(value: unknown, indent: string): string {
    if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
    const inner = `${indent}    `;
    if (Array.isArray(value)) {
        if (value.length === 0) return "[]";
        return `[\n${value.map((v: unknown) => `${inner}${render(v, inner)},`).join("\n")}\n${indent}]`;
    }
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${render(v, inner)},`).join("\n")}\n${indent}}`;
}

/** `"1.35": { ... },` with the given comment lines above it, indented for the `minors` object. */
export function renderMinorEntry(entry: MinorVersionsDraft, comments: readonly string[] = []): string {
    const indent = "        ";
    const lines = comments.map((c) => `${indent}// ${c}`);
    lines.push(`${indent}${JSON.stringify(entry.kubernetes)}: ${render(entry, indent)},`);
    return lines.join("\n");
}
