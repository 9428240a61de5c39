// Test helpers over the config contract: the problems or the error a stack's config (its file plus overrides) gives.
import { ConfigError, type ConfigProblem } from "../../stacks/config";
import { platformConfigFor, type StackSource } from "../../plan/stack";

/** The problems of a stack's config (its file plus overrides); [] when it parses. */
export function configProblems(source: StackSource): ConfigProblem[] {
    try {
        platformConfigFor(source);
    } catch (err) {
        if (err instanceof ConfigError) return [...err.problems];
        throw err;
    }
    return [];
}

/** The ConfigError a stack's config (its file plus overrides) raises; fails the test when it parses. */
export function configError(source: StackSource): ConfigError {
    try {
        platformConfigFor(source);
    } catch (err) {
        if (err instanceof ConfigError) return err;
        throw err;
    }
    throw new Error(`expected a ConfigError for stack ${source.stack} with ${JSON.stringify(source.overrides)}`);
}

/** A problem as the error prints it: `<path>: <rule> (got <value>)`. */
export const problemLine = (p: ConfigProblem): string => `${p.path}: ${p.rule} (got ${p.value})`;
