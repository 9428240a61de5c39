// The offline diff as text (what `npm run plan -- --diff` prints) and as Markdown (the PR comment): one block per
// changed resource with pulumi's prefixes (+ create, ~ update, +- replace, - delete), `path: before => after` per
// input, then pulumi's "Resources:" summary and one line with every count for CI logs and greps.
import { countChanges, type DiffCounts, type InputChange, type Operation, type PlanDiff, type ResourceChange } from "./diff";

// pulumi's step prefixes and summary order (pkg/resource/deploy/step.go RawPrefix, StepOps: create, update, delete, replace).
const PREFIX: Record<Operation, string> = { create: "+ ", update: "~ ", delete: "- ", replace: "+-" };
const SUMMARY_ORDER: readonly Operation[] = ["create", "update", "delete", "replace"];
// Most consequential first, so a reviewer reads blocked and destructive changes before the routine ones.
const RANK = (c: ResourceChange) => (c.blocked ? 0 : c.dataLoss ? 1 : { replace: 2, delete: 3, create: 4, update: 5 }[c.op]);

const MAX_VALUE = 100;

/** A value for one side of `before => after`: JSON, long strings cut around the first difference from the other side. */
export function formatValue(value: unknown, other: unknown): string {
    if (value === undefined) return "(absent)";
    if (typeof value === "string" && value.startsWith("(known after ")) return value;
    const text = JSON.stringify(value);
    if (text.length <= MAX_VALUE) return text;
    const otherText = other === undefined ? "" : JSON.stringify(other);
    let at = 0;
    while (at < text.length && text[at] === otherText[at]) at++;
    const start = Math.max(0, at - 30);
    return `${start > 0 ? "…" : ""}${text.slice(start, start + MAX_VALUE - 10)}… (${text.length} chars)`;
}

const inputLine = (c: InputChange) =>
    `${c.path}: ${formatValue(c.before, c.after)} => ${formatValue(c.after, c.before)}${c.replaces ? "  (replaces)" : ""}`;

function changeLines(c: ResourceChange): string[] {
    const lines = [
        `${PREFIX[c.op]} ${c.type}  ${c.name}${c.op === "replace" ? "  [replace]" : ""}${c.op === "delete" ? "  [delete]" : ""}`,
    ];
    const indent = "      ";
    for (const i of c.inputs) lines.push(`${indent}${inputLine(i)}`);
    for (const r of c.replaceReasons) lines.push(`${indent}replace: ${r}`);
    for (const o of c.options) lines.push(`${indent}option ${o}`);
    if (c.blocked) lines.push(`${indent}! blocked: ${c.blocked}`);
    if (c.dataLoss) lines.push(`${indent}! data loss: ${c.dataLoss}`);
    for (const n of c.notes) lines.push(`${indent}note: ${n}`);
    return lines;
}

/** pulumi preview's summary block ("Resources:", "+ N to create", ..., "N changes. M unchanged"). */
export function pulumiSummary(counts: DiffCounts): string[] {
    const lines = ["Resources:"];
    const kinds = SUMMARY_ORDER.filter((op) => counts[op] > 0);
    for (const op of kinds) lines.push(`    ${PREFIX[op]}${counts[op]} to ${op}`);
    const pieces: string[] = [];
    const total = kinds.reduce((n, op) => n + counts[op], 0);
    if (kinds.length >= 2) pieces.push(`${total} changes`);
    if (counts.unchanged > 0) pieces.push(`${counts.unchanged} unchanged`);
    if (pieces.length > 0) lines.push(`    ${pieces.join(". ")}`);
    return lines;
}

/** Every count on one line, zeros included: what CI logs and tests read. */
export function summaryLine(counts: DiffCounts): string {
    return (
        `offline diff: ${counts.create} to create, ${counts.update} to update, ${counts.replace} to replace, ${counts.delete} to delete, ` +
        `${counts.blocked} blocked, ${counts.dataLoss} with data loss, ${counts.unchanged} unchanged`
    );
}

export function formatDiff(diff: PlanDiff): string {
    return `${diffBody(diff)}${summaryBlock(diff)}`;
}

/** The summary: pulumi's block, the blocked and data-loss counts, and the one line with every count. */
function summaryBlock(diff: PlanDiff): string {
    const counts = countChanges(diff);
    const lines = pulumiSummary(counts);
    if (counts.blocked > 0) lines.push(`    ! ${counts.blocked} blocked`);
    if (counts.dataLoss > 0) lines.push(`    ! ${counts.dataLoss} with data loss`);
    lines.push(summaryLine(counts));
    return lines.join("\n");
}

// Every change, then the options-only registrations and the types without rules, each followed by a blank line.
function diffBody(diff: PlanDiff): string {
    const lines: string[] = [];
    for (const c of [...diff.changes].sort((a, b) => RANK(a) - RANK(b))) lines.push(...changeLines(c), "");
    if (diff.optionsOnly.length > 0) {
        lines.push("Options only (registered again, no provider call):");
        for (const c of diff.optionsOnly) lines.push(`    ${c.type}  ${c.name}: ${c.options.join("; ")}`);
        lines.push("");
    }
    if (diff.unknownTypes.length > 0) {
        lines.push(
            `No replacement rules for ${diff.unknownTypes.join(", ")}: their changes are shown as updates (plan/replacements.ts).`,
            "",
        );
    }
    return lines.map((l) => `${l}\n`).join("");
}

/**
 * The diff as a Markdown section for a PR comment: the counts, what is blocked or destroys data, the diff folded (cut
 * at `maxDiffChars`, as a comment holds 65536 characters for every stack), and the component picture.
 */
export function formatDiffMarkdown(stack: string, diff: PlanDiff, graph?: string, maxDiffChars = 12_000): string {
    const counts = countChanges(diff);
    const flags = diff.changes.filter((c) => c.blocked || c.dataLoss);
    const out = [
        `#### ${stack}: ${counts.create} to create, ${counts.update} to update, ${counts.replace} to replace, ${counts.delete} to delete` +
            `${counts.blocked ? `, **${counts.blocked} blocked**` : ""}${counts.dataLoss ? `, **${counts.dataLoss} with data loss**` : ""}`,
        "",
    ];
    for (const c of flags) {
        if (c.blocked) out.push(`- :no_entry: \`${c.type}\` **${c.name}** (${c.op}): ${c.blocked}`);
        if (c.dataLoss) out.push(`- :warning: \`${c.type}\` **${c.name}** (${c.op}): ${c.dataLoss}`);
    }
    const replaced = diff.changes.filter((c) => c.op === "replace" && !c.blocked && !c.dataLoss);
    if (replaced.length > 0) out.push(`- replaced: ${replaced.map((c) => `\`${c.name}\``).join(", ")}`);
    if (flags.length > 0 || replaced.length > 0) out.push("");
    out.push("```", summaryBlock(diff), "```", "");
    const body = diffBody(diff).trimEnd();
    const shown =
        body.length <= maxDiffChars
            ? body
            : `${body.slice(0, maxDiffChars)}\n… cut: ${body.length - maxDiffChars} more characters (npm run plan -- --stack ${stack} --diff BASE.json prints them all)`;
    if (body) out.push("<details><summary>diff</summary>", "", "```", shown, "```", "</details>", "");
    if (graph) out.push("<details><summary>components</summary>", "", "```mermaid", graph, "```", "</details>", "");
    return out.join("\n");
}
