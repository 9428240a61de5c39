// The offline policy run over a saved plan, as conftest checks a saved Terraform plan: reads the JSON that
// `npm run plan -- --json FILE` writes, runs the CrossGuard pack's rules over it at the environment's enforcement
// levels (policy/config/<env>.json) and prints one line per violation. No AWS, no Pulumi CLI.
import * as fs from "node:fs";
import { checkPlan } from "../policy/cli";
import { type PlanResult } from "../plan";
import { parseArgs } from "./lib/args";

const USAGE = `usage: npm run policy -- --plan FILE [--stack NAME] [--env ENV] [--config FILE] [--strict] [--json]
  --plan FILE     a plan written by \`npm run plan -- --stack NAME --json FILE\` (required)
  --stack NAME    the stack whose eks-platform:environment selects policy/config/<env>.json (default: the plan's)
  --env ENV       the environment (dev, staging, prod), overriding the stack's
  --config FILE   a policy pack config file instead of policy/config/<env>.json
  --strict        exit 1 when any mandatory violation is found
  --json          print the violations as JSON`;

export async function main(argv: string[]): Promise<number> {
    const args = parseArgs(argv, { strings: ["plan", "stack", "env", "config"], booleans: ["strict", "json", "help"] });
    if (args.help) {
        console.log(USAGE);
        return 0;
    }
    if (!args.plan) {
        console.error(`error: --plan is required\n${USAGE}`);
        return 2;
    }
    const plan = JSON.parse(fs.readFileSync(args.plan, "utf8")) as PlanResult;
    if (!Array.isArray(plan.resources)) {
        console.error(`error: ${args.plan} is not a plan (no resources array)`);
        return 2;
    }
    const result = await checkPlan(plan, { stack: args.stack, environment: args.env, configFile: args.config, strict: args.strict });
    console.log(args.json ? JSON.stringify({ environment: result.environment, violations: result.violations }, null, 2) : result.report);
    return result.exitCode;
}
