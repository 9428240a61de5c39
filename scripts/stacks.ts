// `npm run stacks -- [--json] [--github-output FILE] [--root DIR]`: the stacks the workflows run, read from the
// repository (every stacks/Pulumi.<name>.yaml, validated by the config contract, so defaults apply): each stack's
// environment, region, GitHub environment, pipeline roles and the runs-on label of the runner its cluster jobs use.
// A new stack needs only its stack file (and its environment's policy config, policy/config/<environment>.json).
//   --json                the matrix as JSON on stdout
//   --github-output FILE  the workflows' job outputs (name=<json> lines, appended): all, pipeline, and one deploy wave
//                         per environment (dev, staging, prod: the order deploy.yml promotes in)
//   --root DIR            read another checkout (tests copy a stack file into a temporary one)
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { GITHUB_HOSTED_DEFAULT_LABEL, runsOnTemplate } from "../lib/runners";
import { ConfigError, ENVIRONMENTS, parsePlatformConfig, type Environment, type PlatformConfig } from "../stacks/config";
import { parseArgs } from "./lib/args";

const USAGE = "usage: npm run stacks -- [--json] [--github-output FILE] [--root DIR]";

/** One stack as the workflows' matrices carry it (strings only: GitHub expressions compare strings). */
export interface StackEntry {
    stack: string;
    environment: Environment;
    region: string;
    /** The GitHub environment of its deploy job (the deploy role's trust names it). */
    githubEnvironment: string;
    /** The policy pack's config for its environment, relative to the root. */
    policyConfig: string;
    /** runs-on as a format() template: {0} github.run_id, {1} github.run_attempt. */
    runsOn: string;
    runner: PlatformConfig["delivery"]["runner"];
    deployRoleArn: string;
    previewRoleArn: string;
    /** Whether the workflows preview, deploy and drift-check it (delivery.workflows). */
    workflows: boolean;
}

export interface StackMatrix {
    /** Every stack: the offline jobs (ci's plans, the PR's offline diff). */
    all: StackEntry[];
    /** The stacks the preview and drift jobs run: in the workflows, with a preview role. */
    pipeline: StackEntry[];
    /** The deploy waves, by environment: in the workflows, with a deploy role. */
    waves: Record<Environment, StackEntry[]>;
}

/** The stack names of a checkout, from its stack files. */
export function stackNames(root: string): string[] {
    return fs
        .readdirSync(path.join(root, "stacks"))
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

function rawConfig(file: string): Record<string, unknown> {
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const out: Record<string, unknown> = {};
    // A Pulumi secret's ciphertext is not needed here: only its presence.
    for (const [key, value] of Object.entries(doc?.config ?? {}))
        out[key] = value && typeof value === "object" && "secure" in value ? "[secret]" : value;
    return out;
}

export function stackEntry(config: PlatformConfig, root: string): StackEntry {
    const d = config.delivery;
    const policyConfig = path.posix.join("policy", "config", `${config.environment}.json`);
    if (!fs.existsSync(path.join(root, policyConfig)))
        throw new Error(`stack ${config.stack}: no policy config ${policyConfig} for its environment ${config.environment}`);
    return {
        stack: config.stack,
        environment: config.environment,
        region: config.region,
        githubEnvironment: d.githubEnvironment ?? config.stack,
        policyConfig,
        runsOn: runsOnTemplate(
            d.runner === "codebuild"
                ? { kind: "codebuild", clusterName: config.clusterName }
                : { kind: "label", label: d.runnerLabel ?? GITHUB_HOSTED_DEFAULT_LABEL },
        ),
        runner: d.runner,
        deployRoleArn: d.deployRoleArn ?? "",
        previewRoleArn: d.previewRoleArn ?? "",
        workflows: d.workflows,
    };
}

export function stackMatrix(root: string): StackMatrix {
    const all = stackNames(root).map((stack) =>
        stackEntry(parsePlatformConfig(rawConfig(path.join(root, "stacks", `Pulumi.${stack}.yaml`)), stack), root),
    );
    const inWorkflows = all.filter((s) => s.workflows);
    const waves = Object.fromEntries(
        ENVIRONMENTS.map((env) => [env, inWorkflows.filter((s) => s.environment === env && s.deployRoleArn !== "")]),
    ) as Record<Environment, StackEntry[]>;
    return { all, pipeline: inWorkflows.filter((s) => s.previewRoleArn !== ""), waves };
}

/** The job outputs: name=<one-line JSON>, one per line (GitHub's $GITHUB_OUTPUT format). */
export function githubOutputs(m: StackMatrix): string {
    const lines = [`all=${JSON.stringify(m.all)}`, `pipeline=${JSON.stringify(m.pipeline)}`];
    for (const env of ENVIRONMENTS) lines.push(`${env}=${JSON.stringify(m.waves[env])}`);
    return `${lines.join("\n")}\n`;
}

export async function main(argv: string[]): Promise<number> {
    const args = parseArgs(argv, { strings: ["github-output", "root"], booleans: ["json", "help"] });
    if (args.help) {
        console.log(USAGE);
        return 0;
    }
    let matrix: StackMatrix;
    try {
        matrix = stackMatrix(path.resolve(args.root ?? path.join(__dirname, "..")));
    } catch (err) {
        console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
        return 1;
    }
    for (const s of matrix.all.filter((e) => e.workflows && (!e.deployRoleArn || !e.previewRoleArn)))
        console.error(
            `stack ${s.stack}: no ${s.deployRoleArn ? "preview" : "deploy"} role in eks-platform:delivery: the workflows skip that job`,
        );
    if (args["github-output"]) fs.appendFileSync(args["github-output"], githubOutputs(matrix));
    if (args.json || !args["github-output"]) console.log(JSON.stringify(matrix, null, args.json ? 2 : 0));
    return 0;
}
