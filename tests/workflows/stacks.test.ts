// `npm run stacks`: the workflows' stack list comes from the repository. A new stack is one more stack file (its
// environment's policy config already exists): copied to "qa" in a temporary checkout, it is planned, previewed and
// deployed in its environment's wave with its own runner label and GitHub environment, without a workflow edit.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { runnerProjectName } from "../../lib/runners";
import { REPO_ROOT } from "../../plan";
import { githubOutputs, main, stackMatrix, type StackMatrix } from "../../scripts/stacks";
import { runMain } from "../helpers/capture";
import { sharedPlan } from "../helpers/shared-plan";

const temps: string[] = [];
afterEach(() => {
    for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A checkout holding only what `npm run stacks` reads: the stack files and the policy configs. */
function checkout(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
    temps.push(dir);
    fs.mkdirSync(path.join(dir, "policy"), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, "policy", "config"), path.join(dir, "policy", "config"), { recursive: true });
    fs.mkdirSync(path.join(dir, "stacks"));
    for (const f of fs.readdirSync(path.join(REPO_ROOT, "stacks")).filter((f) => /^Pulumi\..+\.yaml$/.test(f)))
        fs.copyFileSync(path.join(REPO_ROOT, "stacks", f), path.join(dir, "stacks", f));
    return dir;
}

/** Copies a stack file to another name, editing its delivery section. */
function copyStack(dir: string, from: string, to: string, delivery: Record<string, unknown> = {}) {
    const doc = parseYaml(fs.readFileSync(path.join(dir, "stacks", `Pulumi.${from}.yaml`), "utf8")) as { config: Record<string, unknown> };
    doc.config["eks-platform:delivery"] = { ...(doc.config["eks-platform:delivery"] as object), ...delivery };
    fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${to}.yaml`), stringify(doc));
}

const names = (entries: { stack: string }[]) => entries.map((e) => e.stack);

describe("npm run stacks", () => {
    const shipped = stackMatrix(REPO_ROOT);

    it("lists the shipped stacks with their environment, region, roles and runner label", () => {
        expect(names(shipped.all)).toEqual(["dev", "prod", "staging"]);
        for (const s of shipped.all) {
            expect(s.environment).toBe(s.stack);
            expect(s.region).toBe("eu-west-1");
            expect(s.policyConfig).toBe(`policy/config/${s.environment}.json`);
            expect(s.deployRoleArn).toMatch(new RegExp(`:role/eks-platform-pipeline/eks-platform-${s.stack}-deploy$`));
            expect(s.runsOn).toBe(`codebuild-eks-platform-${s.stack}-runner-{0}-{1}`);
        }
        expect(names(shipped.waves.dev)).toEqual(["dev"]);
        expect(names(shipped.waves.prod)).toEqual(["prod"]);
    });

    it("gives each stack the label of the CodeBuild project its plan declares", () => {
        for (const s of shipped.all) {
            const projects = sharedPlan(s.stack).resources.filter((r) => r.type === "aws:codebuild/project:Project");
            expect(projects.map((p) => p.inputs.name)).toEqual([runnerProjectName(`eks-platform-${s.stack}`)]);
            expect(s.runsOn).toBe(`codebuild-${String(projects[0]?.inputs.name)}-{0}-{1}`);
        }
    });

    it("picks up a stack file copied to qa: planned, previewed and deployed in its environment's wave", () => {
        const dir = checkout();
        copyStack(dir, "staging", "qa", {
            deployRoleArn: "arn:aws:iam::222222222222:role/eks-platform-pipeline/eks-platform-qa-deploy",
            previewRoleArn: "arn:aws:iam::222222222222:role/eks-platform-pipeline/eks-platform-qa-preview",
        });
        const m = stackMatrix(dir);
        expect(names(m.all)).toEqual(["dev", "prod", "qa", "staging"]);
        expect(names(m.pipeline)).toContain("qa");
        expect(names(m.waves.staging)).toEqual(["qa", "staging"]);
        const qa = m.all.find((s) => s.stack === "qa");
        expect(qa).toMatchObject({
            environment: "staging",
            githubEnvironment: "qa",
            policyConfig: "policy/config/staging.json",
            runsOn: "codebuild-eks-platform-qa-runner-{0}-{1}",
        });
    });

    it("keeps a new stack out of the pipeline until its first up (workflows: false), and a stack without roles out of its jobs", () => {
        const dir = checkout();
        copyStack(dir, "staging", "qa", { workflows: false });
        copyStack(dir, "dev", "sandbox", { deployRoleArn: undefined, previewRoleArn: undefined, runner: "github-hosted" });
        const m: StackMatrix = stackMatrix(dir);
        expect(names(m.all)).toEqual(["dev", "prod", "qa", "sandbox", "staging"]);
        expect(names(m.pipeline)).not.toContain("qa");
        expect(names(m.waves.staging)).toEqual(["staging"]);
        expect(names(m.pipeline)).not.toContain("sandbox");
        expect(names(m.waves.dev)).toEqual(["dev"]);
        expect(m.all.find((s) => s.stack === "sandbox")?.runsOn).toBe("ubuntu-24.04");
    });

    it("refuses a stack whose config is invalid, naming the setting", async () => {
        const dir = checkout();
        copyStack(dir, "prod", "prod2", { deployRoleArn: undefined });
        const result = await runMain(main, ["--root", dir]);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("eks-platform:delivery.deployRoleArn");
    });

    it("writes one output per line for $GITHUB_OUTPUT: every stack, the pipeline and the three waves", async () => {
        const file = path.join(checkout(), "out");
        const result = await runMain(main, ["--root", REPO_ROOT, "--github-output", file]);
        expect(result.status).toBe(0);
        const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n");
        expect(lines.map((l) => l.split("=")[0])).toEqual(["all", "pipeline", "dev", "staging", "prod"]);
        const outputs = Object.fromEntries(
            lines.map((l) => [l.slice(0, l.indexOf("=")), JSON.parse(l.slice(l.indexOf("=") + 1)) as unknown]),
        );
        expect(outputs.all).toEqual(shipped.all);
        expect(githubOutputs(shipped)).toBe(`${lines.join("\n")}\n`);
    });
});
