// The GitHub Actions workflows: they parse, pin every action, name only stacks that exist, and keep the promises
// the README's pipeline section makes (OIDC only, policy pack on every preview/up, outputs suppressed, concurrency per PR and
// per stack without cancelling a running update, prod behind an environment approval, daily drift check).
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { policyConfigFile } from "../../policy/offline";
import { listStacks, REPO_ROOT } from "../../plan";

/** The current major of pulumi/actions (v7.0.0, 2026-05-01: Node 24 runtime). */
const PULUMI_ACTIONS_MAJOR = 7;
const DIR = path.join(REPO_ROOT, ".github", "workflows");

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    if?: string;
}
interface Job {
    "runs-on": string;
    needs?: string | string[];
    environment?: string | { name: string };
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    permissions?: Record<string, string>;
    strategy?: { matrix?: { stack?: string[]; include?: { stack: string; environment?: string }[] } };
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

const raw = (name: string) => fs.readFileSync(path.join(DIR, `${name}.yml`), "utf8");
const load = (name: string) => parseYaml(raw(name)) as Workflow;
const NAMES = ["ci", "preview", "deploy", "drift"] as const;
const workflows = Object.fromEntries(NAMES.map((n) => [n, load(n)])) as Record<(typeof NAMES)[number], Workflow>;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const pulumiSteps = (w: Workflow) => steps(w).filter((s) => s.uses?.startsWith("pulumi/actions@"));

/** Stacks a job runs against: its matrix, its env.STACK. */
function stacksOf(job: Job): string[] {
    const m = job.strategy?.matrix;
    return [...(m?.stack ?? []), ...(m?.include?.map((i) => i.stack) ?? []), ...(job.env?.STACK ? [job.env.STACK] : [])];
}

describe("workflows", () => {
    it("are exactly ci, preview, deploy and drift, and parse as YAML", () => {
        expect(fs.readdirSync(DIR).sort()).toEqual(NAMES.map((n) => `${n}.yml`).sort());
        for (const n of NAMES) {
            expect(workflows[n].name).toBe(n);
            expect(Object.keys(workflows[n].jobs).length).toBeGreaterThan(0);
        }
    });

    it("pin every action to a full commit SHA, with the release tag beside it", () => {
        for (const n of NAMES) {
            const lines = raw(n)
                .split("\n")
                .filter((l) => /^\s*(-\s+)?uses:/.test(l));
            expect(lines.length, n).toBeGreaterThan(0);
            for (const line of lines) expect(line, `${n}: ${line.trim()}`).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
        }
        for (const s of NAMES.flatMap((n) => steps(workflows[n]))) if (s.uses) expect(s.uses).not.toMatch(/@(main|master|latest|v\d+)$/);
    });

    it(`use pulumi/actions v${PULUMI_ACTIONS_MAJOR} (the current major)`, () => {
        const lines = NAMES.flatMap((n) => raw(n).split("\n")).filter((l) => l.includes("pulumi/actions@"));
        expect(lines.length).toBeGreaterThanOrEqual(3);
        for (const l of lines) expect(l).toMatch(new RegExp(`# v${PULUMI_ACTIONS_MAJOR}\\.\\d+\\.\\d+$`));
    });

    it("name only stacks that exist, and cover every stack", () => {
        const existing = listStacks();
        for (const n of ["ci", "preview", "deploy", "drift"] as const) {
            const named = Object.values(workflows[n].jobs).flatMap(stacksOf);
            const inScripts = [...raw(n).matchAll(/for stack in ([\w -]+); do/g)].flatMap((m) => (m[1] ?? "").trim().split(/\s+/));
            const all = [...named, ...inScripts];
            expect(all.length, n).toBeGreaterThan(0);
            for (const s of all) expect(existing, `${n} names ${s}`).toContain(s);
            expect(new Set(all), n).toEqual(new Set(existing));
        }
    });

    it("use OIDC for cloud credentials, never stored keys", () => {
        for (const n of ["preview", "deploy", "drift"] as const) {
            const text = raw(n);
            expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|PULUMI_ACCESS_TOKEN/);
            for (const [id, job] of Object.entries(workflows[n].jobs)) {
                const cloud = job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
                if (!cloud) continue;
                expect(job.permissions?.["id-token"], `${n}.${id}`).toBe("write");
                const aws = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
                expect(String(aws?.with?.["role-to-assume"]), `${n}.${id}`).toMatch(/^\$\{\{ vars/);
                expect(
                    job.steps.some((s) => s.uses?.startsWith("pulumi/auth-actions@")),
                    `${n}.${id} Pulumi Cloud OIDC`,
                ).toBe(true);
            }
        }
        expect(workflows.ci.permissions).toEqual({ contents: "read" });
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
            "npm run policy -- --plan",
            "--strict",
        ])
            expect(runs).toContain(cmd);
    });
});

describe("preview.yml", () => {
    const preview = workflows.preview;
    it("runs on pull requests, one concurrency group per PR", () => {
        expect(Object.keys(preview.on)).toEqual(["pull_request"]);
        expect(preview.concurrency?.group).toContain("github.event.pull_request.number");
    });

    it("previews each stack with the policy pack and its environment's config, commenting on the PR with outputs suppressed", () => {
        const job = preview.jobs.preview;
        expect(job).toBeDefined();
        const step = pulumiSteps(preview)[0];
        expect(step?.with).toMatchObject({ command: "preview", "comment-on-pr": true, "suppress-outputs": true, policyPacks: "policy" });
        expect(String(step?.with?.policyPackConfigs)).toBe("policy/config/${{ matrix.environment }}.json");
        for (const i of job?.strategy?.matrix?.include ?? [])
            expect(fs.existsSync(policyConfigFile(i.environment ?? "")), i.stack).toBe(true);
        expect(job?.permissions?.["pull-requests"]).toBe("write");
        expect(steps(preview).some((s) => s.uses?.startsWith("actions/cache@") && String(s.with?.path).includes(".pulumi/plugins"))).toBe(
            true,
        );
    });

    it("posts the offline plan diff of the PR against its base", () => {
        const job = preview.jobs["offline-diff"];
        const runs = (job?.steps ?? []).map((s) => s.run ?? "").join("\n");
        expect(runs).toContain("github.event.pull_request.base.ref");
        expect(raw("preview")).toContain("github.event.pull_request.base.sha");
        expect(runs).toMatch(/npm run --silent plan -- --stack "\$stack" --diff/);
        expect(job?.steps.some((s) => s.uses?.startsWith("actions/github-script@"))).toBe(true);
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
    it("runs pulumi up on merge to main: dev, then staging, then prod behind an environment approval", () => {
        expect(deploy.on.push).toEqual({ branches: ["main"] });
        const order = ["up-dev", "up-staging", "up-prod"];
        expect(deploy.jobs["up-dev"]?.needs).toBe("gate");
        expect(deploy.jobs["up-staging"]?.needs).toBe("up-dev");
        expect(deploy.jobs["up-prod"]?.needs).toBe("up-staging");
        expect(order.map((j) => deploy.jobs[j]?.env?.STACK)).toEqual(["dev", "staging", "prod"]);
        expect(deploy.jobs["up-prod"]?.environment).toBe("prod");
        for (const j of order) {
            const up = deploy.jobs[j]?.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
            expect(up?.with, j).toMatchObject({
                command: "up",
                "suppress-outputs": true,
                policyPacks: "policy",
                policyPackConfigs: "policy/config/${{ env.STACK }}.json",
            });
        }
    });

    it("has one concurrency group per stack that never cancels a running update", () => {
        expect(deploy.concurrency).toBeUndefined();
        for (const j of ["up-dev", "up-staging", "up-prod"]) {
            const job = deploy.jobs[j];
            expect(job?.concurrency).toEqual({ group: `deploy-${job?.env?.STACK}`, "cancel-in-progress": false });
        }
    });

    it("gates every deployment on the offline plan and the policy pack in strict mode", () => {
        const runs = (deploy.jobs.gate?.steps ?? []).map((s) => s.run ?? "").join("\n");
        expect(runs).toContain("--strict");
    });
});

describe("drift.yml", () => {
    it("runs pulumi preview --refresh --expect-no-changes per stack on a schedule", () => {
        const drift = workflows.drift;
        expect(drift.on.schedule).toBeDefined();
        const step = pulumiSteps(drift)[0];
        expect(step?.with).toMatchObject({ command: "preview", refresh: true, "expect-no-changes": true, "suppress-outputs": true });
        expect([...(drift.jobs.drift?.strategy?.matrix?.stack ?? [])].sort()).toEqual(listStacks());
    });
});
