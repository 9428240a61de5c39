// What `npm run policy` and `npm run plan` share: pick the environment of a plan, load its policy config, run the
// pack offline and render one line per violation. Used only by the scripts (it reads stack files).
import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { parse as parseYaml } from "yaml";
import { ENVIRONMENTS, type Environment } from "../stacks/schema/common";
import { type PlanResult } from "../plan";
import { formatViolations, loadPolicyConfig, repoRoot, runPolicyPack, summarize, type Violation } from "./offline";

export interface PolicyCheckOptions {
    /** The stack whose `eks-platform:environment` picks the config (default: the plan's stack). */
    stack?: string;
    /** The environment, overriding the stack's. */
    environment?: string;
    /** A policy pack config file to use instead of policy/config/<env>.json. */
    configFile?: string;
    /** Exit non-zero on a mandatory violation. */
    strict?: boolean;
}

export interface PolicyCheckResult {
    environment: string;
    violations: Violation[];
    report: string;
    /** 1 when strict and a mandatory violation was found, else 0. */
    exitCode: number;
}

/** The environment of a stack: its stack file's eks-platform:environment, or the stack name if it is one. */
export function environmentOf(stack: string): Environment {
    // Read without loading the Pulumi SDK (the mock runtime): the policy run then starts in a fraction of a second.
    const file = path.join(repoRoot(), "stacks", `Pulumi.${stack}.yaml`);
    if (fs.existsSync(file)) {
        const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
        const env = doc?.config?.["eks-platform:environment"];
        if ((ENVIRONMENTS as readonly unknown[]).includes(env)) return env as Environment;
        throw new Error(`${file}: eks-platform:environment is ${JSON.stringify(env)}, not one of ${ENVIRONMENTS.join(", ")}`);
    }
    if ((ENVIRONMENTS as readonly string[]).includes(stack)) return stack as Environment;
    throw new Error(`no stack file for stack ${stack} and it is not an environment name (${ENVIRONMENTS.join(", ")}): pass --env`);
}

export async function checkPlan(plan: PlanResult, options: PolicyCheckOptions = {}): Promise<PolicyCheckResult> {
    const environment = options.environment ?? environmentOf(options.stack ?? plan.stack);
    const config = options.configFile
        ? (JSON.parse(fs.readFileSync(options.configFile, "utf8")) as PolicyPackConfig)
        : loadPolicyConfig(environment);
    const violations = await runPolicyPack(plan, { config });
    const { mandatory, advisory } = summarize(violations);
    const lines = [
        ...(violations.length > 0 ? [formatViolations(violations)] : []),
        `policy ${plan.project}/${plan.stack} (${environment}): ${mandatory} mandatory, ${advisory} advisory violation${advisory === 1 ? "" : "s"}`,
    ];
    return { environment, violations, report: lines.join("\n"), exitCode: options.strict && mandatory > 0 ? 1 : 0 };
}
