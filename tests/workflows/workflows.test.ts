// The GitHub Actions workflows: valid for GitHub's own workflow parser (@actions/workflow-parser: the schema, the
// contexts each key allows, YAML anchors), every action pinned by SHA, the stacks read from the repository, every job
// that talks to the cluster on the stack's configured runner with the stack's roles, and the promises the README's
// pipeline section makes (OIDC only, policy pack on every preview/up and the drift check, outputs suppressed,
// concurrency per PR and per stack without cancelling a running update, deploy in waves by environment, prod behind
// its environment's approval, daily drift check).
import * as fs from "node:fs";
import * as path from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { RUNNER_WORKFLOWS } from "../../components/delivery";
import { REPO_ROOT } from "../../plan";
import { ENVIRONMENTS } from "../../stacks/config";

/** The current major of pulumi/actions (v7.0.0, 2026-05-01: Node 24 runtime). */
const PULUMI_ACTIONS_MAJOR = 7;
const DIR = path.join(REPO_ROOT, ".github", "workflows");
const RUNS_ON_CONFIGURED = "${{ format(matrix.runsOn, github.run_id, github.run_attempt) }}";
const MATRIX_FROM_STACKS = /^\$\{\{ fromJSON\(needs\.stacks\.outputs\.(all|pipeline|dev|staging|prod)\) \}\}$/;

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    if?: string;
}
interface Job {
    "runs-on": string;
    needs?: string | string[];
    environment?: string;
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    permissions?: Record<string, string>;
    strategy?: { "fail-fast"?: boolean; matrix?: { include?: string } };
    outputs?: Record<string, string>;
    env?: Record<string, string>;
    steps: Step[];
    if?: string;
}
interface Workflow {
    name: string;
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    jobs: Record<string, Job>;
}

const NAMES = ["ci", "preview", "deploy", "drift"] as const;
const raw = (name: string) => fs.readFileSync(path.join(DIR, `${name}.yml`), "utf8");
const workflows = Object.fromEntries(NAMES.map((n) => [n, parseYaml(raw(n)) as Workflow])) as Record<(typeof NAMES)[number], Workflow>;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const usesOf = (job: Job, action: string) => job.steps.find((s) => s.uses?.startsWith(`${action}@`));
const needsOf = (job: Job) => (job.needs === undefined ? [] : ([] as string[]).concat(job.needs));
/** Jobs that talk to the cluster: they run pulumi preview or up (the Kubernetes provider reads the API). */
const clusterJobs = (w: Workflow) => Object.entries(w.jobs).filter(([, j]) => usesOf(j, "pulumi/actions") !== undefined);

/** GitHub's workflow parser: the errors it reports for a workflow's text. */
async function parserErrors(name: string, content: string): Promise<string[]> {
    const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
    const errors = parsed.context.errors.getErrors().map((e) => e.message);
    if (parsed.value === undefined) return errors;
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    return [...errors, ...(template.errors ?? []).map((e) => String((e as { Message?: string }).Message ?? e))];
}

describe("workflows", () => {
    it("are exactly ci, preview, deploy and drift", () => {
        expect(fs.readdirSync(DIR).sort()).toEqual(NAMES.map((n) => `${n}.yml`).sort());
        for (const n of NAMES) expect(workflows[n].name).toBe(n);
    });

    it("are valid for GitHub's workflow parser (schema, allowed contexts, anchors)", async () => {
        for (const n of NAMES) expect(await parserErrors(`${n}.yml`, raw(n)), n).toEqual([]);
    });

    it("the parser check fails on a key GitHub does not know and on a context runs-on does not allow", async () => {
        const bad = raw("drift").replace("    timeout-minutes: 30\n", "    timeout-minutez: 30\n");
        expect((await parserErrors("drift.yml", bad)).join("\n")).toMatch(/timeout-minutez/);
        const secretRunner = raw("drift").replace(RUNS_ON_CONFIGURED, "${{ secrets.RUNNER }}");
        expect(await parserErrors("drift.yml", secretRunner)).not.toEqual([]);
    });

    it("pin every action to a full commit SHA, with the release tag beside it", () => {
        for (const n of NAMES) {
            const lines = raw(n)
                .split("\n")
                .filter((l) => /^\s*(-\s+)?uses:/.test(l));
            expect(lines.length, n).toBeGreaterThan(0);
            for (const line of lines) expect(line, `${n}: ${line.trim()}`).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
        }
    });

    it(`use pulumi/actions v${PULUMI_ACTIONS_MAJOR} (the current major)`, () => {
        const lines = NAMES.flatMap((n) => raw(n).split("\n")).filter((l) => l.includes("pulumi/actions@"));
        expect(lines.length).toBeGreaterThanOrEqual(3);
        for (const l of lines) expect(l).toMatch(new RegExp(`# v${PULUMI_ACTIONS_MAJOR}\\.\\d+\\.\\d+$`));
    });

    it("name no stack: every matrix comes from the stacks job (npm run stacks), every loop from the stack files", () => {
        for (const n of NAMES) {
            const text = raw(n);
            expect(text, n).not.toMatch(/\b(dev|staging|prod)\.json\b/);
            expect(text, n).not.toMatch(/for stack in (dev|staging|prod)\b/);
            expect(text, n).not.toMatch(/STACK: (dev|staging|prod)\b/);
            for (const [id, job] of Object.entries(workflows[n].jobs)) {
                const include = job.strategy?.matrix?.include;
                if (include === undefined) continue;
                expect(include, `${n}.${id}`).toMatch(MATRIX_FROM_STACKS);
                expect(needsOf(job), `${n}.${id}`).toContain("stacks");
            }
            const stacksJob = workflows[n].jobs.stacks;
            expect(
                stacksJob?.steps.some((s) => s.run?.includes('npm run --silent stacks -- --github-output "$GITHUB_OUTPUT"')),
                n,
            ).toBe(true);
            expect(stacksJob?.["runs-on"], n).toBe("ubuntu-24.04");
        }
    });

    it("run every job that talks to the cluster on the stack's configured runner, and only those workflows start the runner", () => {
        const withClusterJobs = NAMES.filter((n) => clusterJobs(workflows[n]).length > 0);
        // The CodeBuild webhook starts builds for queued jobs of these workflows only (WORKFLOW_NAME filter).
        expect([...withClusterJobs].sort()).toEqual([...RUNNER_WORKFLOWS].sort());
        for (const n of withClusterJobs)
            for (const [id, job] of clusterJobs(workflows[n])) {
                expect(job["runs-on"], `${n}.${id}`).toBe(RUNS_ON_CONFIGURED);
                expect(job.strategy?.matrix?.include, `${n}.${id}`).toMatch(MATRIX_FROM_STACKS);
            }
        // The offline jobs need no network path to a cluster: GitHub-hosted.
        for (const n of NAMES)
            for (const [id, job] of Object.entries(workflows[n].jobs))
                if (!clusterJobs(workflows[n]).some(([c]) => c === id)) expect(job["runs-on"], `${n}.${id}`).toBe("ubuntu-24.04");
    });

    it("use OIDC and the stack file's roles for cloud credentials, never stored keys", () => {
        for (const n of ["preview", "deploy", "drift"] as const) {
            expect(raw(n)).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|PULUMI_ACCESS_TOKEN/);
            for (const [id, job] of clusterJobs(workflows[n])) {
                expect(job.permissions?.["id-token"], `${n}.${id}`).toBe("write");
                const aws = usesOf(job, "aws-actions/configure-aws-credentials");
                expect(aws?.with?.["role-to-assume"], `${n}.${id}`).toBe(
                    n === "deploy" ? "${{ matrix.deployRoleArn }}" : "${{ matrix.previewRoleArn }}",
                );
                expect(aws?.with?.["aws-region"], `${n}.${id}`).toBe("${{ matrix.region }}");
                expect(usesOf(job, "pulumi/auth-actions"), `${n}.${id} Pulumi Cloud OIDC`).toBeDefined();
            }
        }
        expect(workflows.ci.permissions).toEqual({ contents: "read" });
    });

    it("run the policy pack with the stack's environment config on every preview and up, outputs suppressed", () => {
        for (const n of ["preview", "deploy", "drift"] as const)
            for (const [id, job] of clusterJobs(workflows[n])) {
                const step = usesOf(job, "pulumi/actions");
                expect(step?.with, `${n}.${id}`).toMatchObject({
                    "suppress-outputs": true,
                    policyPacks: "policy",
                    policyPackConfigs: "${{ matrix.policyConfig }}",
                    "stack-name": "${{ vars.PULUMI_ORG }}/eks-platform/${{ matrix.stack }}",
                });
            }
    });
});

describe("ci.yml", () => {
    it("runs on every push and pull request: install, lint, typecheck, tests, offline plan of every stack, policy run", () => {
        const ci = workflows.ci;
        expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
        const runs = steps(ci)
            .map((s) => s.run ?? "")
            .join("\n");
        for (const cmd of [
            "npm ci",
            "npm run lint",
            "npm run typecheck",
            "vitest run",
            "npm run plan -- --stack ${{ matrix.stack }}",
            "--strict",
        ])
            expect(runs).toContain(cmd);
        expect(ci.jobs.plan?.strategy?.matrix?.include).toBe("${{ fromJSON(needs.stacks.outputs.all) }}");
    });
});

describe("preview.yml", () => {
    const preview = workflows.preview;
    it("runs on pull requests, one concurrency group per PR; the real preview comments on the PR and skips forks", () => {
        expect(Object.keys(preview.on)).toEqual(["pull_request"]);
        expect(preview.concurrency?.group).toContain("github.event.pull_request.number");
        const job = preview.jobs.preview;
        expect(usesOf(job as Job, "pulumi/actions")?.with).toMatchObject({ command: "preview", "comment-on-pr": true });
        expect(job?.permissions?.["pull-requests"]).toBe("write");
        expect(job?.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
        expect(job?.strategy?.matrix?.include).toBe("${{ fromJSON(needs.stacks.outputs.pipeline) }}");
    });

    it("posts the offline plan diff of every stack file of the PR against its base, without credentials", () => {
        const job = preview.jobs["offline-diff"];
        const runs = (job?.steps ?? []).map((s) => s.run ?? "").join("\n");
        expect(runs).toContain("ls stacks");
        expect(runs).toMatch(/for stack in \$STACKS; do/);
        expect(runs).toMatch(/npm run --silent plan -- --stack "\$stack" --diff/);
        expect(job?.permissions?.["id-token"]).toBeUndefined();
    });

    it("comments each stack's diff as Markdown with its picture, then fails on destructive changes unless the PR is labelled", () => {
        const job = preview.jobs["offline-diff"];
        const all = job?.steps ?? [];
        const diffRun = all.map((s) => s.run ?? "").find((r) => r.includes("--diff")) ?? "";
        expect(diffRun).toMatch(/--markdown "\$RUNNER_TEMP\/diff-\$stack\.md"/);
        expect(diffRun).toContain("--fail-on replace,data-loss,blocked");
        // Exit 3 is --fail-on's: it marks the stack, and the comment is still posted before the gate.
        expect(diffRun).toMatch(/"\$status" = 3/);
        const comment = all.findIndex((s) => s.uses?.startsWith("actions/github-script@"));
        const gate = all.findIndex((s) => s.if?.includes("destructive-change-approved"));
        expect(gate).toBeGreaterThan(comment);
        expect(all[gate]?.if).toContain("!contains(github.event.pull_request.labels.*.name, 'destructive-change-approved')");
        expect(all[gate]?.run).toContain("exit 1");
        // Adding or removing the label runs the check again.
        const on = preview.on.pull_request as { types?: string[] };
        expect(on.types).toEqual(expect.arrayContaining(["opened", "synchronize", "reopened", "labeled", "unlabeled"]));
    });
});

describe("deploy.yml", () => {
    const deploy = workflows.deploy;
    const waves = ENVIRONMENTS.map((env) => `up-${env}`);

    it("runs on merge to main in waves by environment (dev, staging, prod), each after the one before", () => {
        expect(deploy.on.push).toEqual({ branches: ["main"] });
        expect(Object.keys(deploy.jobs).filter((j) => j.startsWith("up-"))).toEqual(waves);
        expect(needsOf(deploy.jobs["up-dev"] as Job)).toEqual(["stacks", "gate"]);
        waves.slice(1).forEach((wave, i) => {
            const job = deploy.jobs[wave] as Job;
            expect(needsOf(job)).toEqual(["stacks", waves[i]]);
            // A wave runs after the previous one or without one, never after a failure.
            expect(job.if).toContain("!cancelled() && !failure()");
        });
        ENVIRONMENTS.forEach((env, i) => {
            const job = deploy.jobs[waves[i] as string] as Job;
            expect(job.strategy?.matrix?.include).toBe(`\${{ fromJSON(needs.stacks.outputs.${env}) }}`);
            expect(job.if).toContain(`needs.stacks.outputs.${env} != '[]'`);
            expect(job.environment).toBe("${{ matrix.githubEnvironment }}");
            expect(usesOf(job, "pulumi/actions")?.with?.command).toBe("up");
        });
    });

    it("has one concurrency group per stack that never cancels a running update", () => {
        expect(deploy.concurrency).toBeUndefined();
        for (const j of waves)
            expect(deploy.jobs[j]?.concurrency).toEqual({ group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false });
    });

    it("gates every deployment on the offline plan and the policy pack in strict mode, for every stack", () => {
        const gate = deploy.jobs.gate as Job;
        expect(gate.steps.map((s) => s.run ?? "").join("\n")).toContain("--strict");
        expect(gate.strategy?.matrix?.include).toBe("${{ fromJSON(needs.stacks.outputs.all) }}");
    });
});

describe("drift.yml", () => {
    it("runs pulumi preview --refresh --expect-no-changes with the policy pack per stack on a schedule", () => {
        const drift = workflows.drift;
        expect(drift.on.schedule).toBeDefined();
        const step = usesOf(drift.jobs.drift as Job, "pulumi/actions");
        expect(step?.with).toMatchObject({ command: "preview", refresh: true, "expect-no-changes": true, policyPacks: "policy" });
        expect(drift.jobs.drift?.strategy?.matrix?.include).toBe("${{ fromJSON(needs.stacks.outputs.pipeline) }}");
    });
});
