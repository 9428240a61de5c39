// The offline policy run over a saved plan, as conftest checks a saved Terraform plan: reads the JSON that
// `npm run plan -- --json FILE` writes, runs the CrossGuard pack's rules over it at the environment's enforcement
// levels (policy/config/<env>.json) and prints one line per violation. No AWS, no Pulumi CLI.
import { checkPlan, environmentOf } from "../policy/cli";
import { ENVIRONMENTS } from "../stacks/schema/common";
import { type PlanResult } from "../plan";
import { parseArgs } from "./lib/args";
import { CliError, readJsonFile } from "./lib/errors";

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
    const plan = readJsonFile(args.plan, "--plan") as PlanResult;
    if (!Array.isArray(plan?.resources)) {
        console.error(`error: ${args.plan} is not a plan (no resources array)`);
        return 2;
    }
    if (args.env !== undefined && !(ENVIRONMENTS as readonly string[]).includes(args.env))
        throw new CliError(`--env ${args.env}: not one of ${ENVIRONMENTS.join(", ")}`);
    if (args.config) readJsonFile(args.config, "--config");
    let environment = args.env;
    try {
        environment ??= environmentOf(args.stack ?? plan.stack);
    } catch (err) {
        // environmentOf's errors are the user's (no such stack, a stack file without an environment): one line each.
        throw new CliError(err instanceof Error ? err.message : String(err));
    }
    const result = await checkPlan(plan, { environment, configFile: args.config, strict: args.strict });
    console.log(args.json ? JSON.stringify({ environment: result.environment, violations: result.violations }, null, 2) : result.report);
    return result.exitCode;
}
