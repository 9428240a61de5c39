// The offline plan: runs index.ts under the mock runtime with a stack's real config file and prints every resource
// the program declares (tree and counts), writes it as JSON (--json FILE), or compares it with a saved plan
// (--diff BASE.json). No AWS credentials, no Pulumi CLI, no network.
import * as fs from "node:fs";
import { ConfigError } from "../stacks/config";
import { checkPlan } from "../policy/cli";
import { listStacks, planStack, platformConfigFor, stackFile, type PlanResult } from "../plan";
import { checkPlacement, formatPlacement, placementSeverity } from "../plan";
import { diffPlans, failOnFindings, FAIL_ON_KINDS, formatDiff, formatDiffMarkdown, formatTree, planGraph, type FailOnKind } from "../plan";
import { supportStatus, VERSIONS_AS_OF } from "../stacks/versions";
import { parseArgs } from "./lib/args";
import { assertReadable, assertWritable, CliError, readJsonFile, writeTextFile } from "./lib/errors";

const USAGE = `usage: npm run plan -- --stack <name> [--json FILE] [--diff BASE.json [--fail-on KINDS] [--markdown FILE]] [--graph] [--config-file FILE] [--quiet] [--strict] [--policy=false]
  --stack NAME         the stack whose stacks/Pulumi.<name>.yaml is planned (required)
  --json FILE          also write the plan as JSON ({ project, stack, resources, outputs })
  --diff BASE.json     print what pulumi preview would do against a saved plan: create, update, replace, delete per
                       resource with the changed inputs (before => after, secrets masked), why each replacement,
                       what is blocked (protect) and what loses data
  --fail-on KINDS      with --diff: exit 3 when the diff has any of ${FAIL_ON_KINDS.join(", ")} (comma-separated)
  --markdown FILE      with --diff: write the diff and the component graph as Markdown (the PR comment) to FILE
                       instead of printing the diff (its summary line is still printed)
  --graph              print the component dependency graph as Mermaid instead of the tree (with --diff: coloured by change)
  --config-file FILE   read this stack file instead of stacks/Pulumi.<name>.yaml
  --quiet              print only the summary line
  --timings            print where the time went (module loading, the program, serialisation) as JSON
  --policy=false       skip the offline policy run (on by default: policy/config/<env>.json levels); a mandatory
                       violation exits 1, as it fails \`pulumi preview\`; advisory ones are printed
  --strict             accepted for older callers: mandatory violations always fail the plan
  --placement=false    skip the placement check (on by default; its findings are errors in prod: exit 1)`;

export async function main(argv: string[]): Promise<number> {
    const args = parseArgs(argv, {
        strings: ["stack", "json", "diff", "config-file", "fail-on", "markdown"],
        booleans: ["quiet", "help", "timings", "policy", "strict", "placement", "graph"],
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
    if (args.markdown) assertWritable(args.markdown, "--markdown");
    const base = args.diff ? readJsonFile(args.diff, "--diff base") : undefined;
    if (base !== undefined && !Array.isArray((base as Partial<PlanResult> | null)?.resources))
        throw new CliError(`--diff base ${args.diff}: not a plan (no resources array); write one with --json`);
    const failOn = parseFailOn(args["fail-on"]);
    if (typeof failOn === "string") throw new CliError(failOn);
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
    let diffExit = 0;
    if (base !== undefined) {
        diffExit = reportDiff(plan, base as PlanResult, { failOn, markdown: args.markdown, quiet: args.quiet });
    } else if (args.graph) {
        console.log(planGraph(plan));
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
    if (args.policy === false) return exitCode || diffExit;
    // The policy pack over the planned resources, at the stack's environment's enforcement levels.
    const policy = await checkPlan(plan, { environment, strict: true });
    console.log(args.quiet ? (policy.report.split("\n").pop() ?? "") : policy.report);
    return Math.max(exitCode, policy.exitCode) || diffExit;
}

/** `--fail-on replace,data-loss`: the kinds, or the message for a bad list. */
function parseFailOn(list: string | undefined): FailOnKind[] | string {
    if (list === undefined) return [];
    const kinds = list.split(",").map((k) => k.trim());
    const bad = kinds.filter((k) => !(FAIL_ON_KINDS as readonly string[]).includes(k));
    return bad.length > 0 ? `--fail-on: unknown ${bad.join(", ")} (one or more of ${FAIL_ON_KINDS.join(", ")})` : (kinds as FailOnKind[]);
}

/** The `--diff` report: the diff (or its summary line with --quiet), the Markdown file, and exit 3 on a --fail-on finding. */
function reportDiff(plan: PlanResult, base: PlanResult, options: { failOn: FailOnKind[]; markdown?: string; quiet?: boolean }): number {
    const diff = diffPlans(base, plan);
    const text = formatDiff(diff);
    // With --markdown the diff goes to the file; the output keeps its summary line beside the policy findings.
    console.log(options.quiet || options.markdown ? (text.split("\n").pop() ?? "") : text);
    if (options.markdown)
        writeTextFile(options.markdown, formatDiffMarkdown(plan.stack, diff, planGraph(plan, { diff, base })), "--markdown");
    const findings = failOnFindings(diff, options.failOn);
    if (findings.length === 0) return 0;
    const perKind = options.failOn.map((k) => `${findings.filter((f) => f.startsWith(`${k}:`)).length} ${k}`).join(", ");
    console.log(`fail-on ${options.failOn.join(",")}: ${perKind} (marked in the diff); exit 3`);
    return 3;
}
