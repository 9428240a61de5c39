// The offline plan: runs index.ts under the mock runtime with a stack's real config file and prints every resource
// the program declares (tree and counts), writes it as JSON (--json FILE), or compares it with a saved plan
// (--diff BASE.json). No AWS credentials, no Pulumi CLI, no network.
import * as fs from "node:fs";
import { ConfigError } from "../stacks/config";
import { checkPlan } from "../policy/cli";
import { planStack, platformConfigFor, type PlanResult } from "../plan";
import { diffPlans, failOnFindings, FAIL_ON_KINDS, formatDiff, formatDiffMarkdown, formatTree, planGraph, type FailOnKind } from "../plan";
import { supportStatus, VERSIONS_AS_OF } from "../stacks/versions";
import { parseArgs } from "./lib/args";

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
  --policy=false       skip the offline policy run (on by default: policy/config/<env>.json levels)
  --strict             exit 1 when the policy pack finds a mandatory violation`;

export async function main(argv: string[]): Promise<number> {
    const args = parseArgs(argv, {
        strings: ["stack", "json", "diff", "config-file", "fail-on", "markdown"],
        booleans: ["quiet", "help", "timings", "policy", "strict", "graph"],
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
    const failOn = parseFailOn(args["fail-on"]);
    if (typeof failOn === "string") {
        console.error(`error: ${failOn}\n${USAGE}`);
        return 2;
    }
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
    if (args.json) fs.writeFileSync(args.json, json);
    const serialiseMs = performance.now() - serialiseStart;
    let diffExit = 0;
    if (args.diff) {
        diffExit = reportDiff(plan, { base: args.diff, failOn, markdown: args.markdown, quiet: args.quiet });
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
    if (args.policy === false) return diffExit;
    // The policy pack over the planned resources, at the stack's environment's enforcement levels.
    const environment = config.environment;
    const policy = await checkPlan(plan, { environment, strict: args.strict });
    console.log(args.quiet ? (policy.report.split("\n").pop() ?? "") : policy.report);
    return policy.exitCode || diffExit;
}

/** `--fail-on replace,data-loss`: the kinds, or the message for a bad list. */
function parseFailOn(list: string | undefined): FailOnKind[] | string {
    if (list === undefined) return [];
    const kinds = list.split(",").map((k) => k.trim());
    const bad = kinds.filter((k) => !(FAIL_ON_KINDS as readonly string[]).includes(k));
    return bad.length > 0 ? `--fail-on: unknown ${bad.join(", ")} (one or more of ${FAIL_ON_KINDS.join(", ")})` : (kinds as FailOnKind[]);
}

/** The `--diff` report: the diff (or its summary line with --quiet), the Markdown file, and exit 3 on a --fail-on finding. */
function reportDiff(plan: PlanResult, options: { base: string; failOn: FailOnKind[]; markdown?: string; quiet?: boolean }): number {
    const base = JSON.parse(fs.readFileSync(options.base, "utf8")) as PlanResult;
    const diff = diffPlans(base, plan);
    const text = formatDiff(diff);
    // With --markdown the diff goes to the file; the output keeps its summary line beside the policy findings.
    console.log(options.quiet || options.markdown ? (text.split("\n").pop() ?? "") : text);
    if (options.markdown) fs.writeFileSync(options.markdown, formatDiffMarkdown(plan.stack, diff, planGraph(plan, { diff, base })));
    const findings = failOnFindings(diff, options.failOn);
    if (findings.length === 0) return 0;
    const perKind = options.failOn.map((k) => `${findings.filter((f) => f.startsWith(`${k}:`)).length} ${k}`).join(", ");
    console.log(`fail-on ${options.failOn.join(",")}: ${perKind} (marked in the diff); exit 3`);
    return 3;
}
