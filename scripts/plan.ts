// The offline plan: runs index.ts under the mock runtime with a stack's real config file and prints every resource
// the program declares (tree and counts), writes it as JSON (--json FILE), or compares it with a saved plan
// (--diff BASE.json). No AWS credentials, no Pulumi CLI, no network.
import * as fs from "node:fs";
import { ConfigError } from "../stacks/config";
import { checkPlan } from "../policy/cli";
import { listStacks, planStack, platformConfigFor, stackFile, type PlanResult } from "../plan";
import { checkPlacement, diffPlans, formatDiff, formatPlacement, formatTree, placementSeverity } from "../plan";
import { supportStatus, VERSIONS_AS_OF } from "../stacks/versions";
import { parseArgs } from "./lib/args";
import { assertReadable, assertWritable, CliError, readJsonFile, writeTextFile } from "./lib/errors";

const USAGE = `usage: npm run plan -- --stack <name> [--json FILE] [--diff BASE.json] [--config-file FILE] [--quiet] [--strict] [--policy=false]
  --stack NAME         the stack whose stacks/Pulumi.<name>.yaml is planned (required)
  --json FILE          also write the plan as JSON ({ project, stack, resources, outputs })
  --diff BASE.json     print what changed against a saved plan (added, removed, changed input paths)
  --config-file FILE   read this stack file instead of stacks/Pulumi.<name>.yaml
  --quiet              print only the summary line
  --timings            print where the time went (module loading, the program, serialisation) as JSON
  --policy=false       skip the offline policy run (on by default: policy/config/<env>.json levels); a mandatory
                       violation exits 1, as it fails \`pulumi preview\`; advisory ones are printed
  --strict             accepted for older callers: mandatory violations always fail the plan
  --placement=false    skip the placement check (on by default; its findings are errors in prod: exit 1)`;

export async function main(argv: string[]): Promise<number> {
    const args = parseArgs(argv, {
        strings: ["stack", "json", "diff", "config-file"],
        booleans: ["quiet", "help", "timings", "policy", "strict", "placement"],
    });
    if (args.help) {
        console.log(USAGE);
        return 0;
    }
    const stack = args.stack;
    if (!stack) {
        console.error(`error: --stack is required\n${USAGE}`);
        return 2;
    }
    // The user's mistakes get one line before the program runs: an unknown stack, a file that cannot be read.
    if (args["config-file"]) assertReadable(args["config-file"], "--config-file");
    else if (!fs.existsSync(stackFile(stack))) throw new CliError(`unknown stack ${stack}: stacks/ holds ${listStacks().join(", ")}`);
    if (args.json) assertWritable(args.json, "--json");
    const base = args.diff ? readJsonFile(args.diff, "--diff base") : undefined;
    if (base !== undefined && !Array.isArray((base as Partial<PlanResult> | null)?.resources))
        throw new CliError(`--diff base ${args.diff}: not a plan (no resources array); write one with --json`);
    // Everything before main() ran is module loading (the bundle's top-level requires of the Pulumi packages).
    const loadMs = performance.now();
    const started = process.hrtime.bigint();
    let plan: PlanResult;
    try {
        plan = await planStack({ stack, file: args["config-file"] });
    } catch (err) {
        if (err instanceof ConfigError) {
            console.error(err.message);
            return 1;
        }
        throw err;
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;

    const serialiseStart = performance.now();
    const json = `${JSON.stringify(plan, null, 2)}\n`;
    if (args.json) writeTextFile(args.json, json, "--json");
    const serialiseMs = performance.now() - serialiseStart;
    if (base !== undefined) {
        console.log(formatDiff(diffPlans(base as PlanResult, plan)));
    } else if (!args.quiet) {
        console.log(formatTree(plan));
    }
    if (args.timings) console.log(`timings ${JSON.stringify({ load: loadMs, program: ms, serialise: serialiseMs })}`);
    console.log(
        `plan ${plan.project}/${plan.stack}: ${plan.resources.length} resources in ${ms.toFixed(0)} ms${args.json ? `, written to ${args.json}` : ""}`,
    );
    const config = platformConfigFor({ stack, file: args["config-file"] });
    const support = supportStatus(config.cluster.kubernetesVersion);
    console.log(
        `versions: Kubernetes ${config.cluster.kubernetesVersion}: ${support.phase} support (standard until ${support.endOfStandardSupport}, extended until ${support.endOfExtendedSupport}), version table as of ${VERSIONS_AS_OF}`,
    );
    for (const w of config.warnings) console.log(`warning: ${w.path}: ${w.rule} (got ${w.value})`);
    const environment = config.environment;
    let exitCode = 0;
    if (args.placement !== false) {
        // Where every workload can run, from the recorded values and node groups: errors in prod, warnings elsewhere.
        const placement = checkPlacement(plan);
        const report = formatPlacement(placement, { stack: `${plan.project}/${plan.stack}`, environment, details: !args.quiet });
        console.log(
            args.quiet
                ? report
                      .split("\n")
                      .filter((l) => l.includes("[error]") || l.startsWith("placement "))
                      .join("\n")
                : report,
        );
        if (placement.findings.length > 0 && placementSeverity(environment) === "error") exitCode = 1;
    }
    if (args.policy === false) return exitCode;
    // The policy pack over the planned resources, at the stack's environment's enforcement levels.
    const policy = await checkPlan(plan, { environment, strict: true });
    console.log(args.quiet ? (policy.report.split("\n").pop() ?? "") : policy.report);
    return Math.max(exitCode, policy.exitCode);
}
