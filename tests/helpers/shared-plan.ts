// The plans of the shipped stacks, made once per test run by tests/global-setup.ts with the real `npm run plan`.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../plan/stack";
import type { PlanResult } from "../../plan/types";

/**
 * The plan of a shipped stack, unmodified, as `npm run plan -- --json` wrote it at the start of this test run
 * (tests/global-setup.ts): cheap to share between test files, each of which would otherwise run the program again.
 */
export function sharedPlan(stack: string): PlanResult {
    const file = path.join(REPO_ROOT, ".cache", "plans", `${stack}.json`);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: vitest's globalSetup (tests/global-setup.ts) writes it`);
    return JSON.parse(fs.readFileSync(file, "utf8")) as PlanResult;
}
