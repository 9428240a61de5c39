// Assertions for bad-input tests: exactly one problem at a key path, printed as the error prints it, naming the key,
// the value given and the rule.
import { expect } from "vitest";
import type { ConfigProblem } from "../../stacks/config";
import { configProblems, problemLine } from "../helpers/config";

/** The problems of a stack's file with `overrides` deep-merged over it. */
export const problemsOf = (stack: string, overrides: Record<string, unknown>): ConfigProblem[] => configProblems({ stack, overrides });

/**
 * Expects exactly one problem at `path` and returns its line: it starts with the key path, quotes `value` as the
 * error prints it (got <value>), and its rule matches every fragment.
 */
export function expectOnly(found: readonly ConfigProblem[], path: string, value: string, ...rule: RegExp[]): string {
    const atPath = found.filter((p) => p.path === path);
    expect(atPath, `problems:\n${found.map(problemLine).join("\n")}`).toHaveLength(1);
    const line = problemLine(atPath[0] as ConfigProblem);
    expect(line.startsWith(`${path}: `), line).toBe(true);
    expect(line.endsWith(`(got ${value})`), line).toBe(true);
    for (const fragment of rule) expect(line).toMatch(fragment);
    return line;
}

/** The paths of every problem, sorted: for tests that a mistake is reported once and nothing else is. */
export const pathsOf = (found: readonly ConfigProblem[]): string[] => found.map((p) => p.path).sort();
