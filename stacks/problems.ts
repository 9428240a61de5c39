// How a stack's configuration problems are reported: one line per problem, `<key path>: <rule> (got <value>)`, every
// problem at once, before any resource is declared.
import type { z } from "zod";
import { valueAt } from "./input";

/** One problem with a stack's configuration. */
export interface ConfigProblem {
    /** The key path as written in the stack file, e.g. eks-platform:network.vpcCidr. */
    path: string;
    /** The value given, JSON-encoded, or "nothing" when the key is missing. */
    value: string;
    /** The rule the value breaks. */
    rule: string;
}

/** A problem a rule finds: the key path (parts; numbers index lists) and the rule broken. */
export interface RuleProblem {
    pathParts: (string | number)[];
    rule: string;
    /** A warning is printed with the plan and by `pulumi up`; it does not refuse the config. */
    severity?: "warning";
}

/** Thrown before any resource is declared when a stack's configuration is wrong; lists every problem. */
export class ConfigError extends Error {
    constructor(
        readonly stackName: string,
        readonly problems: readonly ConfigProblem[],
    ) {
        super(
            `stack ${stackName}: ${problems.length} configuration problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map((p) => `  - ${p.path}: ${p.rule} (got ${p.value})`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

export function formatPath(path: readonly PropertyKey[]): string {
    let out = "";
    for (const key of path) {
        if (typeof key === "number") out += `[${key}]`;
        else out += out === "" ? String(key) : `.${String(key)}`;
    }
    return out;
}

export function describeValue(value: unknown): string {
    if (value === undefined) return "nothing";
    const json = JSON.stringify(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}

/** A rule's problem as reported: the path formatted, the value read from the stack's merged input. */
export const ruleProblem = (p: RuleProblem, input: unknown): ConfigProblem => ({
    path: formatPath(p.pathParts),
    value: describeValue(valueAt(input, p.pathParts)),
    rule: p.rule,
});

/** zod's issues for one key (`prefix`: the key's path), in the house's wording; `reference` is where settings are listed. */
export function problemsOf(
    error: z.ZodError,
    input: unknown,
    prefix: readonly PropertyKey[] = [],
    reference = "docs/settings.md",
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const issue of error.issues) {
        const at = [...prefix, ...issue.path];
        if (issue.code === "unrecognized_keys") {
            for (const key of issue.keys) {
                const path = [...at, key];
                problems.push({
                    path: formatPath(path),
                    value: describeValue(valueAt(input, path)),
                    rule: `is not a known setting (check the spelling against ${reference})`,
                });
            }
            continue;
        }
        const value = valueAt(input, at);
        let rule = issue.message;
        if (issue.code === "invalid_type" && value === undefined)
            rule = rule.startsWith("Invalid input") ? `is required (expected ${issue.expected})` : rule;
        else if (issue.code === "invalid_type" && rule.startsWith("Invalid input"))
            rule = `must be ${issue.expected === "object" ? "a mapping" : `a ${issue.expected}`}`;
        else if (issue.code === "invalid_union" && rule === "Invalid input") rule = "is not a valid value";
        problems.push({ path: formatPath(at), value: describeValue(value), rule });
    }
    return problems;
}
