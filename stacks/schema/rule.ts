// A config rule: a check that needs more than one value's schema (another field, another section, the environment).
// Every rule names the values it reads; the loader runs each rule whose values parsed, whatever else failed, so one
// mistake never hides another.
import type { RuleProblem } from "../problems";
import type { Environment } from "./common";

/** The parsed values a rule can read: the environment and every section, by name (see stacks/sections.ts). */
export interface RuleInput {
    environment: Environment;
    stack: string;
    [section: string]: unknown;
}

export interface Rule<C = RuleInput> {
    /**
     * What the rule reads: a section ("network"), or one top-level field of a section ("cluster.protect"). The rule
     * runs when each of them parsed.
     */
    needs: readonly string[];
    /** What the rule enforces, for the settings reference (docs/settings.md). */
    summary: string;
    /** The settings the rule reports on, as key paths (e.g. eks-platform:cluster.protect): where the reference lists it. */
    reports: readonly string[];
    check(c: C): RuleProblem[];
}

/** A rule over the parsed sections (typed by the caller's view of them). */
export const defineRule = <C>(rule: Rule<C>): Rule<C> => rule;

/** A helper for rules: collects problems at full key paths. */
export function problems(): {
    list: RuleProblem[];
    add: (pathParts: (string | number)[], rule: string) => void;
    warn: (pathParts: (string | number)[], rule: string) => void;
} {
    const list: RuleProblem[] = [];
    return {
        list,
        add: (pathParts, rule) => list.push({ pathParts, rule }),
        warn: (pathParts, rule) => list.push({ pathParts, rule, severity: "warning" }),
    };
}
