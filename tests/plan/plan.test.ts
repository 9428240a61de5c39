// The offline plan: the JSON it writes, its dependency edges, secrets, the diff, and the CLI's exit codes.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main as planMain } from "../../scripts/plan";
import { runMain } from "../helpers/capture";
import { formatTree } from "../../plan";
import { planStack, REPO_ROOT, type PlanResult, type PlannedResource } from "../../plan";

let plan: PlanResult;
beforeAll(async () => {
    plan = await planStack("dev");
});

function runPlanCli(...args: string[]) {
    return spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts", "run.mjs"), "plan", ...args], { cwd: REPO_ROOT, encoding: "utf8" });
}

describe("the plan of a real stack", () => {
    it("has the documented fields on every resource", () => {
        expect(plan.project).toBe("eks-platform");
        expect(plan.stack).toBe("dev");
        expect(plan.resources.length).toBeGreaterThan(1);
        for (const r of plan.resources) {
            expect(r.urn).toMatch(/^urn:pulumi:dev::eks-platform::/);
            expect(typeof r.type).toBe("string");
            expect(typeof r.name).toBe("string");
            expect(typeof r.custom).toBe("boolean");
            expect(Array.isArray(r.dependencies)).toBe(true);
            expect(typeof r.inputs).toBe("object");
            expect(typeof r.protect).toBe("boolean");
        }
    });

    it("roots everything at the stack and nests children under their parents", () => {
        const stack = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack");
        expect(stack?.name).toBe("eks-platform-dev");
        const urns = new Set(plan.resources.map((r) => r.urn));
        for (const r of plan.resources) {
            if (r === stack) continue;
            expect(r.parent, `${r.type} ${r.name} has no parent`).toBeDefined();
            expect(urns.has(r.parent as string), `${r.name}'s parent ${r.parent} is not in the plan`).toBe(true);
        }
    });

    it("records dependency edges only to resources in the plan", () => {
        const urns = new Set(plan.resources.map((r) => r.urn));
        const edges = plan.resources.flatMap((r) => r.dependencies.map((d) => [r.urn, d] as const));
        expect(edges.length).toBeGreaterThan(0);
        for (const [from, to] of edges) expect(urns.has(to), `${from} -> ${to}`).toBe(true);
    });

    it("uses the explicit AWS provider with the stack's default tags", () => {
        const provider = plan.resources.find((r) => r.type === "pulumi:providers:aws") as PlannedResource;
        expect(provider.inputs.region).toBe("eu-west-1");
        expect(JSON.stringify(provider.inputs.defaultTags)).toContain("platform-team");
        const awsResources = plan.resources.filter((r) => r.custom && r.type.startsWith("aws:") && !r.standIn);
        for (const r of awsResources) expect(r.provider, `${r.type} ${r.name}`).toMatch(/pulumi:providers:aws::aws::/);
    });

    it("exports the cluster, network and node identity outputs", () => {
        const o = plan.outputs;
        expect(o.clusterName).toBe("eks-platform-dev");
        expect(o.clusterEndpoint).toMatch(/^https:\/\/.+\.eks\.amazonaws\.com$/);
        expect(o.oidcProviderArn).toMatch(/^arn:aws:iam::\d{12}:oidc-provider\/oidc\.eks\./);
        // The outputs are the ids of the resources the network declared.
        const idOf = (type: string, name: string) => (plan.resources.find((x) => x.type === type && x.name === name) as PlannedResource).id;
        expect(o.vpcId).toBe(idOf("aws:ec2/vpc:Vpc", "network-vpc"));
        expect(o.privateSubnetIds).toEqual([0, 1].map((i) => idOf("aws:ec2/subnet:Subnet", `network-private-${i}`)));
        expect(o.publicSubnetIds).toEqual([0, 1].map((i) => idOf("aws:ec2/subnet:Subnet", `network-public-${i}`)));
        expect(o.systemNodeRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
        expect(o.karpenterNodeRoleName).toEqual(expect.any(String));
        expect(o.kubeconfig).toBe("[secret]");
    });

    it("exports the stack outputs with secrets masked", () => {
        expect(plan.outputs.clusterName).toBe("eks-platform-dev");
        expect(JSON.stringify(plan)).not.toContain("mock-password-not-a-secret");
        expect(plan.outputs.kubeconfig).toBe("[secret]");
    });
});

describe("the plan tree", () => {
    it("prints a tree with a count per type", () => {
        const resource = (name: string): PlannedResource => ({
            urn: `urn:pulumi:dev::eks-platform::aws:ec2/vpc:Vpc::${name}`,
            type: "aws:ec2/vpc:Vpc",
            name,
            custom: true,
            dependencies: [],
            inputs: {},
            protect: false,
        });
        const tree = formatTree({ project: "eks-platform", stack: "dev", outputs: {}, resources: [resource("a"), resource("b")] });
        expect(tree).toContain("aws:ec2/vpc:Vpc  a");
        expect(tree).toMatch(/aws:ec2\/vpc:Vpc\s+2/);
    });
});

/** `npm run plan`'s main() in this process (only for runs that stop before the program), output captured. */
const runPlanMain = (...args: string[]) => runMain(planMain, args);

describe("the plan command", () => {
    it("writes the JSON plan, and a new run diffs against it as unchanged", () => {
        // The global setup wrote this file with `npm run plan -- --stack dev --json FILE`.
        const file = path.join(REPO_ROOT, ".cache", "plans", "dev.json");
        const written = JSON.parse(fs.readFileSync(file, "utf8")) as PlanResult;
        expect(Object.keys(written).sort()).toEqual(["outputs", "project", "resources", "stack"]);
        expect(written.resources.map((r) => r.urn)).toEqual(plan.resources.map((r) => r.urn));
        const again = runPlanCli("--stack", "dev", "--diff", file, "--policy=false");
        expect(again.status, again.stderr).toBe(0);
        expect(again.stdout).toContain("offline diff: 0 to create, 0 to update, 0 to replace, 0 to delete, 0 blocked, 0 with data loss");
    });

    it("exits non-zero with every config problem on a bad stack file, declaring nothing", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-test-"));
        const file = path.join(dir, "Pulumi.bad.yaml");
        const source = fs.readFileSync(path.join(REPO_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8");
        fs.writeFileSync(file, source.replace("vpcCidr: 10.10.0.0/16", "vpcCidr: 10.10.0.0/33\n    azCount: 9"));
        const result = await runPlanMain("--stack", "bad", "--config-file", file);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("eks-platform:network.vpcCidr");
        expect(result.stderr).toContain("eks-platform:network.azCount: must be 2 or 3 (got 9)");
        expect(result.stdout).not.toContain("resources in");
        fs.rmSync(dir, { recursive: true });
    });

    it("refuses to run without --stack", async () => {
        const result = await runPlanMain("--quiet");
        expect(result.status).toBe(2);
        expect(result.stderr).toContain("--stack is required");
    });
});
