// Change safety on the real stacks: a Kubernetes minor, an AMI release and a chart version each move with one config
// line and touch only version inputs; renaming the cluster and moving the VPC tells the replacements; deleting a
// protected bucket is blocked; removing Loki in dev tells the data it destroys. Each variant is the shipped stack file
// with a line changed, planned by the real `npm run plan` (in parallel, one process each).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diffPlans, REPO_ROOT, type InputChange, type PlanDiff, type PlanResult, type ResourceChange } from "../../plan";
import { sharedPlan } from "../helpers/shared-plan";

interface Variant {
    stack: string;
    /** Edits the shipped stack file's text; the test checks it changes exactly the lines it says. */
    edit: (yaml: string) => string;
    lines: number;
    /** Also diff against the shipped plan in the same run, with these extra flags. */
    diffFlags?: string[];
}

const insertUnder = (section: string, line: string) => (yaml: string) => {
    if (!yaml.includes(`  ${section}:\n`)) throw new Error(`no ${section} in the stack file`);
    return yaml.replace(`  ${section}:\n`, `  ${section}:\n    ${line}\n`);
};
/** Sets one setting of a section the stack file may not have yet (stack files hold only what differs from defaults). */
const setInSection = (section: string, line: string) => (yaml: string) =>
    yaml.includes(`  ${section}:\n`) ? insertUnder(section, line)(yaml) : `${yaml.trimEnd()}\n  ${section}:\n    ${line}\n`;
const replaceLine = (from: string, to: string) => (yaml: string) => {
    if (!yaml.includes(from)) throw new Error(`no "${from}" in the stack file`);
    return yaml.replace(from, to);
};

const VARIANTS = {
    // Base of the upgrade: staging on the previous minor (it warns there); the shipped file is the upgrade.
    stagingOn134: { stack: "staging", edit: insertUnder("eks-platform:cluster", 'kubernetesVersion: "1.34"'), lines: 1 },
    // The newest AMI release tag after the table's (awslabs/amazon-eks-ami v20260724).
    prodNewerAmi: { stack: "prod", edit: insertUnder("eks-platform:karpenter", "amiAlias: al2023@v20260724"), lines: 1 },
    // Base of a chart bump: the previous Karpenter chart; the shipped file (1.14.1) is the bump.
    prodOlderChart: { stack: "prod", edit: insertUnder("eks-platform:karpenter", "chartVersion: 1.14.0"), lines: 1 },
    stagingRenamedNewVpc: {
        stack: "staging",
        edit: (y: string) =>
            replaceLine("vpcCidr: 10.20.0.0/16", "vpcCidr: 10.21.0.0/16")(insertUnder("eks-platform:cluster", "name: platform-staging")(y)),
        lines: 2,
        diffFlags: ["--fail-on", "replace,data-loss"],
    },
    prodLogsToCloudWatch: {
        stack: "prod",
        edit: setInSection("eks-platform:observability", "logs: cloudwatch"),
        lines: 2,
        diffFlags: ["--fail-on", "blocked"],
    },
    devWithoutLoki: { stack: "dev", edit: setInSection("eks-platform:observability", "logs: cloudwatch"), lines: 2 },
} satisfies Record<string, Variant>;
type VariantName = keyof typeof VARIANTS;

interface Run {
    plan: PlanResult;
    status: number | null;
    stdout: string;
    markdown?: string;
}
const runs = {} as Record<VariantName, Run>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "change-safety-"));

function planVariant(name: VariantName, v: Variant): Promise<void> {
    const shipped = fs.readFileSync(path.join(REPO_ROOT, "stacks", `Pulumi.${v.stack}.yaml`), "utf8");
    const edited = v.edit(shipped);
    const changed = edited.split("\n").filter((l) => !shipped.split("\n").includes(l));
    if (changed.length !== v.lines) throw new Error(`${name} changes ${changed.length} lines, not ${v.lines}: ${changed.join(" | ")}`);
    const file = path.join(dir, `Pulumi.${v.stack}-${name}.yaml`);
    fs.writeFileSync(file, edited);
    const json = path.join(dir, `${name}.json`);
    const markdown = path.join(dir, `${name}.md`);
    const diff = v.diffFlags
        ? ["--diff", path.join(REPO_ROOT, ".cache", "plans", `${v.stack}.json`), "--markdown", markdown, ...v.diffFlags]
        : ["--quiet"];
    const args = [
        path.join(REPO_ROOT, "scripts", "run.mjs"),
        "plan",
        "--stack",
        v.stack,
        "--config-file",
        file,
        "--json",
        json,
        "--policy=false",
        ...diff,
    ];
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: REPO_ROOT });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (status) => {
            if (!fs.existsSync(json)) return reject(new Error(`plan of ${name} failed (${status}):\n${stderr}`));
            const plan = JSON.parse(fs.readFileSync(json, "utf8")) as PlanResult;
            runs[name] = { plan, status, stdout, markdown: fs.existsSync(markdown) ? fs.readFileSync(markdown, "utf8") : undefined };
            resolve();
        });
    });
}

beforeAll(async () => {
    await Promise.all(Object.entries(VARIANTS).map(([name, v]) => planVariant(name as VariantName, v)));
}, 60_000);

// The inputs that carry a version, per type: what a version bump may touch.
const VERSION_INPUTS: Readonly<Record<string, RegExp>> = {
    "eks:index:Cluster": /^version$/,
    "aws:eks/addon:Addon": /^addonVersion$/,
    "kubernetes:helm.sh/v3:Release": /^version$/,
    "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass": /^spec\.amiSelectorTerms\[\d+\]\.alias$/,
    "eks:index:ManagedNodeGroup": /^(version|releaseVersion)$/,
    "aws:eks/nodeGroup:NodeGroup": /^(version|releaseVersion)$/,
    // Team namespaces pin their Pod Security Standards version to the cluster's minor.
    "kubernetes:core/v1:Namespace": /^metadata\.labels\["pod-security\.kubernetes\.io\/(enforce|audit|warn)-version"\]$/,
};

/** A change that is a version: a version input, or text that differs only by the bumped version (a description naming it). */
function isVersionChange(c: ResourceChange, i: InputChange, bump: [string, string]): boolean {
    if (VERSION_INPUTS[c.type]?.test(i.path)) return true;
    return typeof i.before === "string" && i.before.includes(bump[0]) && i.before.replaceAll(bump[0], bump[1]) === i.after;
}

function expectOnlyVersions(diff: PlanDiff, base: PlanResult, next: PlanResult, bump: [string, string]): void {
    expect(next.resources.map((r) => r.urn).sort(), "no URN changes").toEqual(base.resources.map((r) => r.urn).sort());
    for (const c of diff.changes) {
        expect(c.op, `${c.type} ${c.name}: ${c.replaceReasons.join("; ")}`).toBe("update");
        for (const i of c.inputs) expect(isVersionChange(c, i, bump), `${c.type} ${c.name} ${i.path}: ${JSON.stringify(i)}`).toBe(true);
    }
}
const touched = (diff: PlanDiff) => diff.changes.map((c) => `${c.type} ${c.name}: ${c.inputs.map((i) => i.path).join(",")}`).sort();

describe("version bumps are one config line and touch only version inputs", () => {
    it("Kubernetes 1.34 -> 1.35 (staging): the control plane, the add-ons whose build follows the minor, the system nodes", () => {
        const base = runs.stagingOn134.plan;
        const next = sharedPlan("staging");
        const diff = diffPlans(base, next);
        expectOnlyVersions(diff, base, next, ["1.34", "1.35"]);
        expect(touched(diff)).toEqual([
            "aws:eks/addon:Addon cluster-coredns: addonVersion",
            "aws:eks/addon:Addon cluster-kube-proxy: addonVersion",
            "aws:eks/cluster:Cluster cluster-eks-eksCluster: version",
            "aws:eks/nodeGroup:NodeGroup cluster-system: releaseVersion,version",
            "eks:index:Cluster cluster-eks: version",
            "eks:index:ManagedNodeGroup cluster-system: releaseVersion,version",
            'kubernetes:core/v1:Namespace teams-payments-payments: metadata.labels["pod-security.kubernetes.io/audit-version"],metadata.labels["pod-security.kubernetes.io/enforce-version"],metadata.labels["pod-security.kubernetes.io/warn-version"]',
            'kubernetes:core/v1:Namespace teams-storefront-storefront: metadata.labels["pod-security.kubernetes.io/audit-version"],metadata.labels["pod-security.kubernetes.io/enforce-version"],metadata.labels["pod-security.kubernetes.io/warn-version"]',
        ]);
        expect(diff.changes.find((c) => c.type === "eks:index:Cluster")?.inputs[0]).toMatchObject({ before: "1.34", after: "1.35" });
    });

    it("an AMI release (prod): every EC2NodeClass's alias, so Karpenter's drift replaces the nodes", () => {
        const base = sharedPlan("prod");
        const next = runs.prodNewerAmi.plan;
        const diff = diffPlans(base, next);
        expectOnlyVersions(diff, base, next, ["v20260714", "v20260724"]);
        expect(touched(diff)).toEqual([
            "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass karpenter-nodeclass-default: spec.amiSelectorTerms[0].alias",
        ]);
    });

    it("a chart version (prod, Karpenter 1.14.0 -> 1.14.1): both releases, and the description that names the chart", () => {
        const base = runs.prodOlderChart.plan;
        const next = sharedPlan("prod");
        const diff = diffPlans(base, next);
        expectOnlyVersions(diff, base, next, ["1.14.0", "1.14.1"]);
        expect(touched(diff)).toEqual([
            "aws:iam/role:Role karpenter-controller-role: description",
            "kubernetes:helm.sh/v3:Release karpenter-crd: version",
            "kubernetes:helm.sh/v3:Release karpenter: version",
        ]);
    });
});

describe("destructive changes are told", () => {
    it("renaming the cluster and moving the VPC replaces the cluster, its key alias, buckets, queue and network", () => {
        const diff = diffPlans(sharedPlan("staging"), runs.stagingRenamedNewVpc.plan);
        const op = (type: string, name: string) => diff.changes.find((c) => c.type === type && c.name === name)?.op;
        const controlPlane = diff.changes.find(
            (c) =>
                c.op === "replace" &&
                (c.type === "aws:eks/cluster:Cluster" || c.replaceReasons.some((r) => r.includes("aws:eks/cluster:Cluster"))),
        );
        expect(controlPlane, "the EKS control plane is replaced").toBeDefined();
        for (const [type, name] of [
            ["aws:kms/alias:Alias", "cluster-secrets"],
            ["aws:s3/bucket:Bucket", "observability-loki-chunks"],
            ["aws:s3/bucket:Bucket", "observability-loki-ruler"],
            ["aws:sqs/queue:Queue", "karpenter-interruption"],
            ["aws:ec2/vpc:Vpc", "network-vpc"],
            ["aws:ec2/subnet:Subnet", "network-private-0"],
            ["aws:ec2/natGateway:NatGateway", "network-nat-0"],
            ["pulumi:providers:kubernetes", "cluster-k8s"],
            // The remote component's child (the node group EKS runs) is what is replaced.
            ["aws:eks/nodeGroup:NodeGroup", "cluster-system"],
            ["kubernetes:helm.sh/v3:Release", "karpenter"],
        ] as const) {
            expect(op(type, name), `${type} ${name}`).toBe("replace");
        }
        // Updated in place: the key itself and the roles keep their identity.
        expect(op("aws:kms/key:Key", "cluster-secrets")).toBe("update");
        expect(op("aws:iam/role:Role", "karpenter-node")).toBe("update");
        const bucket = diff.changes.find((c) => c.name === "observability-loki-chunks");
        expect(bucket?.dataLoss).toMatch(/forceDestroy: true/);
        expect(diff.changes.filter((c) => c.blocked)).toEqual([]);
        const run = runs.stagingRenamedNewVpc;
        expect(run.status, "--fail-on replace,data-loss exits 3").toBe(3);
        expect(run.stdout).toMatch(
            /^offline diff: \d+ to create, \d+ to update, \d+ to replace, \d+ to delete, 0 blocked, \d+ with data loss, \d+ unchanged$/m,
        );
        expect(run.stdout).toMatch(/^fail-on replace,data-loss: \d+ replace, \d+ data-loss/m);
        expect(run.markdown).toMatch(/^Resources:$/m);
        expect(run.markdown).toMatch(/^ {4}\+-\d+ to replace$/m);
        expect(run.markdown).toContain("```mermaid");
        expect(run.markdown).toMatch(/:warning: `aws:s3\/bucket:Bucket` \*\*observability-loki-chunks\*\*/);
    });

    it("deleting prod's protected Loki buckets (logs: cloudwatch) is blocked", () => {
        const diff = diffPlans(sharedPlan("prod"), runs.prodLogsToCloudWatch.plan);
        const blocked = diff.changes.filter((c) => c.blocked).map((c) => `${c.op} ${c.type} ${c.name}`);
        expect(blocked).toEqual([
            "delete aws:s3/bucket:Bucket observability-loki-chunks",
            "delete aws:s3/bucket:Bucket observability-loki-ruler",
        ]);
        expect(runs.prodLogsToCloudWatch.status, "--fail-on blocked exits 3").toBe(3);
        expect(runs.prodLogsToCloudWatch.markdown).toMatch(/\*\*2 blocked\*\*/);
    });

    it("removing Loki in dev reports the data its forceDestroy buckets lose", () => {
        const diff = diffPlans(sharedPlan("dev"), runs.devWithoutLoki.plan);
        const lost = diff.changes.filter((c) => c.dataLoss).map((c) => `${c.op} ${c.name}: ${c.dataLoss}`);
        expect(lost).toEqual([
            "delete observability-loki-chunks: forceDestroy: true deletes every object in the bucket with it",
            "delete observability-loki-ruler: forceDestroy: true deletes every object in the bucket with it",
        ]);
        expect(diff.changes.filter((c) => c.blocked)).toEqual([]);
        expect(diff.changes.find((c) => c.name === "observability-loki")?.notes.join(" ")).toMatch(/PersistentVolumeClaims/);
    });
});
