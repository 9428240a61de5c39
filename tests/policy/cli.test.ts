// `npm run policy -- --plan FILE` over saved plans, as conftest over a saved Terraform plan: the shipped prod plan
// passes, hand-edited copies of it (an open endpoint, an unencrypted volume, a pool without limits) fail with
// --strict; `npm run plan` on a deliberately bad stack file fails on a mandatory violation; and the tools' own
// errors (an unknown stack, a missing file) are one line.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../../scripts/lib/errors";
import { main as planMain } from "../../scripts/plan";
import { main as policyMain } from "../../scripts/policy";
import { runMain } from "../helpers/capture";
import { sharedPlan } from "../helpers/shared-plan";
import { REPO_ROOT, type PlannedResource, type PlanResult } from "../../plan";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "policy-cli-"));
let prod: PlanResult;

beforeAll(async () => {
    prod = sharedPlan("prod");
}, 120_000);

/** `npm run plan`: a process of its own (it runs the whole program, once per process). */
function runPlan(...args: string[]) {
    const out = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts", "run.mjs"), "plan", ...args], {
        cwd: REPO_ROOT,
        encoding: "utf8",
    });
    return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** `npm run policy`: its main() in this process, with what it prints captured. */
const runPolicy = (...args: string[]) => runMain(policyMain, args);

/** A copy of the prod plan with `edit` applied to every resource of `type`, saved as JSON. */
function editedPlan(name: string, type: string, edit: (r: PlannedResource) => void): string {
    const copy = structuredClone(prod);
    const targets = copy.resources.filter((r) => r.type === type);
    expect(targets.length, `${type} in the prod plan`).toBeGreaterThan(0);
    targets.forEach(edit);
    const file = path.join(tmp, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(copy));
    return file;
}

const violationLines = (stdout: string, policy: string) => stdout.split("\n").filter((l) => l.includes(` ${policy} `));

describe("npm run policy -- --plan FILE", () => {
    it("passes the shipped prod plan with --strict", async () => {
        const file = path.join(tmp, "prod.json");
        fs.writeFileSync(file, JSON.stringify(prod));
        const out = await runPolicy("--plan", file, "--strict");
        expect(out.stderr).toBe("");
        expect(out.stdout).toMatch(/policy eks-platform\/prod \(prod\): 0 mandatory/);
        expect(out.status).toBe(0);
    }, 60_000);

    it("fails an open API endpoint, one line per violation with level, policy, URN and message", async () => {
        // The control plane (the eks component's modeled child) is where the rule judges the endpoint.
        const file = editedPlan("open-endpoint", "aws:eks/cluster:Cluster", (r) => {
            const vpcConfig = r.inputs.vpcConfig as Record<string, unknown>;
            vpcConfig.endpointPublicAccess = true;
            vpcConfig.publicAccessCidrs = ["0.0.0.0/0"];
        });
        const out = await runPolicy("--plan", file, "--strict");
        expect(out.status).toBe(1);
        const lines = violationLines(out.stdout, "eks-endpoint-not-public");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
            /^mandatory +eks-endpoint-not-public +urn:pulumi:prod::eks-platform::.*aws:eks\/cluster:Cluster::\S+ +the API endpoint is public/,
        );
        // Without --strict the same findings are printed but the exit code stays 0.
        expect((await runPolicy("--plan", file)).status).toBe(0);
        // The same plan judged as dev: advisory only, so --strict passes.
        const dev = await runPolicy("--plan", file, "--env", "dev", "--strict");
        expect(dev.status).toBe(0);
        expect(violationLines(dev.stdout, "eks-endpoint-not-public")[0]).toMatch(/^advisory /);
    }, 60_000);

    it("fails an unencrypted node volume", async () => {
        const file = editedPlan("unencrypted", "aws:ec2/launchTemplate:LaunchTemplate", (r) => {
            const mappings = r.inputs.blockDeviceMappings as { ebs: { encrypted: string } }[];
            for (const m of mappings) m.ebs.encrypted = "false";
        });
        const out = await runPolicy("--plan", file, "--strict");
        expect(out.status).toBe(1);
        expect(violationLines(out.stdout, "nodes-ebs-encrypted").length).toBeGreaterThan(0);
    }, 60_000);

    it("fails a NodePool without limits", async () => {
        const file = editedPlan("no-limits", "kubernetes:karpenter.sh/v1:NodePool", (r) => {
            delete (r.inputs.spec as { limits?: unknown }).limits;
        });
        const out = await runPolicy("--plan", file, "--strict", "--json");
        expect(out.status).toBe(1);
        const report = JSON.parse(out.stdout) as { environment: string; violations: { policyName: string; enforcementLevel: string }[] };
        expect(report.environment).toBe("prod");
        expect(report.violations.filter((v) => v.policyName === "karpenter-nodepool-limits").length).toBe(
            prod.resources.filter((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool").length,
        );
    }, 60_000);

    it("fails an IMDS hop limit of 2 and a *:* policy", async () => {
        const lt = editedPlan("hop", "aws:ec2/launchTemplate:LaunchTemplate", (r) => {
            (r.inputs.metadataOptions as Record<string, unknown>).httpPutResponseHopLimit = 2;
        });
        expect(violationLines((await runPolicy("--plan", lt, "--strict")).stdout, "nodes-imds-hop-limit-1")).toHaveLength(1);
        const iam = editedPlan("admin", "aws:iam/policy:Policy", (r) => {
            r.inputs.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
        });
        const out = await runPolicy("--plan", iam, "--strict");
        expect(out.status).toBe(1);
        expect(violationLines(out.stdout, "iam-no-wildcard-on-all-resources").length).toBeGreaterThan(0);
    }, 60_000);

    it("rejects a file that is not a plan", async () => {
        const file = path.join(tmp, "not-a-plan.json");
        fs.writeFileSync(file, "{}");
        expect((await runPolicy("--plan", file)).status).toBe(2);
    }, 60_000);
});

/** The staging stack file with `edit` applied, written to a temporary file. */
function stagingFile(name: string, edit: (config: Record<string, Record<string, unknown>>) => void): string {
    const doc = parseYaml(fs.readFileSync(path.join(REPO_ROOT, "stacks", "Pulumi.staging.yaml"), "utf8")) as {
        config: Record<string, Record<string, unknown>>;
    };
    edit(doc.config);
    const file = path.join(tmp, `Pulumi.${name}.yaml`);
    fs.writeFileSync(file, toYaml(doc));
    return file;
}

describe("npm run plan on a deliberately bad stack file", () => {
    it("fails on a mandatory violation (as pulumi preview does) and prints advisory ones", () => {
        // What the config contract lets through but the pack judges: nodes that never expire (mandatory in staging)
        // and a floating AMI alias (advisory in staging).
        const file = stagingFile("bad", (config) => {
            const karpenter = config["eks-platform:karpenter"] as { amiAlias?: string; nodePools: Record<string, unknown>[] };
            karpenter.amiAlias = "al2023@latest";
            (karpenter.nodePools[0] as Record<string, unknown>).expireAfter = "Never";
        });
        const out = runPlan("--stack", "staging", "--config-file", file);
        expect(out.status).toBe(1);
        expect(out.stdout).toMatch(/policy eks-platform\/staging \(staging\): 1 mandatory/);
        expect(violationLines(out.stdout, "karpenter-nodepool-expiry")[0]).toMatch(/^mandatory .*"Never"/);
        expect(violationLines(out.stdout, "karpenter-ami-pinned")[0]).toMatch(/^advisory .*al2023@latest/);
        // --policy=false skips the pack, and with it the mandatory violation.
        expect(runPlan("--stack", "staging", "--config-file", file, "--quiet", "--policy=false").status).toBe(0);
    }, 120_000);

    it("passes with advisory violations only", () => {
        const file = stagingFile("advisory", (config) => {
            (config["eks-platform:karpenter"] as { amiAlias?: string }).amiAlias = "al2023@latest";
        });
        const out = runPlan("--stack", "staging", "--config-file", file, "--quiet");
        expect(out.stdout).toMatch(/policy eks-platform\/staging \(staging\): 0 mandatory/);
        expect(out.status).toBe(0);
    }, 120_000);

    it("refuses in the config what the pack refuses: an endpoint open to 0.0.0.0/0 in staging never reaches the pack", () => {
        const file = stagingFile("open", (config) => {
            (config["eks-platform:cluster"] as { endpoint: { publicAccessCidrs: string[] } }).endpoint.publicAccessCidrs = [
                "0.0.0.0/1",
                "128.0.0.0/1",
            ];
        });
        const out = runPlan("--stack", "staging", "--config-file", file, "--quiet");
        expect(out.status).toBe(1);
        expect(out.stderr).toMatch(
            /eks-platform:cluster\.endpoint\.publicAccessCidrs: must not open the public API endpoint this wide in staging/,
        );
        expect(out.stdout).toBe("");
    }, 120_000);
});

describe("the tools' one-line errors", () => {
    it.each([
        [["--stack", "qa"], /^error: unknown stack qa: stacks\/ holds dev, prod, staging\n$/],
        [["--stack", "dev", "--diff", "/nonexistent/base.json"], /^error: --diff base \/nonexistent\/base\.json: no such file\n$/],
    ])("npm run plan %j: one line on stderr (no stack trace), exit 2, before the program runs", (args, line) => {
        const out = runPlan(...args);
        expect(out.stderr).toMatch(line);
        expect(out.stdout).toBe("");
        expect(out.status).toBe(2);
    });

    it.each([
        [["--stack", "dev", "--config-file", "/nonexistent/Pulumi.dev.yaml"], "--config-file /nonexistent/Pulumi.dev.yaml: no such file"],
        [["--stack", "dev", "--config-file", os.tmpdir()], `--config-file ${os.tmpdir()}: is a directory, not a file`],
        [["--stack", "dev", "--frobnicate"], "unknown option --frobnicate"],
        [["--stack", "dev", "--json"], "--json needs a value"],
        [["--stack", "dev", "--json", "/nonexistent/dir/plan.json", "--quiet", "--policy=false"], null],
    ])(
        "npm run plan %j throws the CliError scripts/run.mjs prints as one line",
        async (args, message) => {
            const error = await planMain(args).then(
                () => undefined,
                (err: unknown) => err,
            );
            expect(error).toBeInstanceOf(CliError);
            if (message) expect((error as CliError).message).toBe(message);
            else
                expect((error as CliError).message).toBe("--json /nonexistent/dir/plan.json: cannot write (no directory /nonexistent/dir)");
        },
        60_000,
    );

    it("npm run plan --diff with a file that is not a plan", async () => {
        const file = path.join(tmp, "garbled.json");
        fs.writeFileSync(file, "{ not json");
        await expect(planMain(["--stack", "dev", "--diff", file])).rejects.toThrow(/^--diff base .*garbled\.json: not JSON \(.*\)$/);
        fs.writeFileSync(file, "{}");
        await expect(planMain(["--stack", "dev", "--diff", file])).rejects.toThrow(/: not a plan \(no resources array\)/);
    });

    it("npm run policy with a missing plan, an unknown stack or an unknown environment", async () => {
        await expect(runPolicy("--plan", "/nonexistent/plan.json")).rejects.toThrow(
            new CliError("--plan /nonexistent/plan.json: no such file"),
        );
        const file = path.join(tmp, "for-unknown-stack.json");
        fs.writeFileSync(file, JSON.stringify(prod));
        await expect(runPolicy("--plan", file, "--stack", "qa")).rejects.toThrow(/^no stack file for stack qa .*pass --env$/);
        await expect(runPolicy("--plan", file, "--env", "qa")).rejects.toThrow(new CliError("--env qa: not one of dev, staging, prod"));
    });
});
