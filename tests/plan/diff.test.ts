// The offline diff on hand-made plans: per change what pulumi preview would do, with the provider rules that decide
// replace vs update, propagation through replaced resources, aliases, protect, data loss, secrets and the summary.
import { describe, expect, it } from "vitest";
import {
    changedPaths,
    countChanges,
    diffPlans,
    failOnFindings,
    formatDiff,
    formatValue,
    pulumiSummary,
    summaryLine,
    valueAtPath,
    type PlanResult,
    type PlannedResource,
} from "../../plan";

const STACK = "urn:pulumi:dev::eks-platform::pulumi:pulumi:Stack::eks-platform-dev";
const urn = (type: string, name: string, parentType = "pulumi:pulumi:Stack") =>
    `urn:pulumi:dev::eks-platform::${parentType}$${type}::${name}`;

function res(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource {
    return { urn: urn(type, name), type, name, custom: true, parent: STACK, dependencies: [], inputs, protect: false, ...extra };
}
const plan = (...resources: PlannedResource[]): PlanResult => ({ project: "eks-platform", stack: "dev", outputs: {}, resources });
const change = (diff: ReturnType<typeof diffPlans>, name: string) => diff.changes.find((c) => c.name === name);

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const BUCKET = "aws:s3/bucket:Bucket";

describe("what changes and how", () => {
    it("names each changed input path with its value before and after", () => {
        const a = plan(res(VPC, "vpc", { cidrBlock: "10.0.0.0/16", tags: { Name: "a", "karpenter.sh/discovery": "x" } }));
        const b = plan(res(VPC, "vpc", { cidrBlock: "10.0.0.0/16", tags: { Name: "b", "karpenter.sh/discovery": "y" } }));
        const c = change(diffPlans(a, b), "vpc");
        expect(c?.op).toBe("update");
        expect(c?.inputs).toEqual([
            { path: "tags.Name", before: "a", after: "b", replaces: false },
            { path: 'tags["karpenter.sh/discovery"]', before: "x", after: "y", replaces: false },
        ]);
    });

    it("looks inside JSON-encoded documents, and reads values back from their paths", () => {
        const a = { policy: JSON.stringify({ Statement: [{ Action: "s3:GetObject" }] }) };
        const b = { policy: JSON.stringify({ Statement: [{ Action: "s3:*" }] }) };
        expect(changedPaths(a, b)).toEqual(["policy.Statement[0].Action"]);
        expect(valueAtPath(b, "policy.Statement[0].Action")).toBe("s3:*");
    });

    it("replaces on a create-only input of the type (terraform-provider-aws ForceNew) and updates on the others", () => {
        const a = plan(res(VPC, "vpc", { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true }));
        const b = plan(res(VPC, "vpc", { cidrBlock: "10.1.0.0/16", enableDnsHostnames: false }));
        const c = change(diffPlans(a, b), "vpc");
        expect(c?.op).toBe("replace");
        expect(c?.replaceReasons).toEqual(["cidrBlock changed"]);
        expect(c?.inputs.find((i) => i.path === "cidrBlock")?.replaces).toBe(true);
        expect(c?.inputs.find((i) => i.path === "enableDnsHostnames")?.replaces).toBe(false);
        const tagsOnly = diffPlans(a, plan(res(VPC, "vpc", { cidrBlock: "10.0.0.0/16", enableDnsHostnames: false })));
        expect(change(tagsOnly, "vpc")?.op).toBe("update");
    });

    it("replaces a Kubernetes object on a new name, and a ConfigMap on new data unless its provider makes ConfigMaps mutable", () => {
        const cm = (data: string, provider?: string) =>
            res(
                "kubernetes:core/v1:ConfigMap",
                "dash",
                { metadata: { name: "dash", namespace: "monitoring" }, data: { a: data } },
                provider ? { provider } : {},
            );
        expect(change(diffPlans(plan(cm("1")), plan(cm("2"))), "dash")?.op).toBe("replace");
        const k8s = res("pulumi:providers:kubernetes", "k8s", { enableConfigMapMutable: "true" });
        const ref = `${k8s.urn}::k8s-id`;
        expect(change(diffPlans(plan(k8s, cm("1", ref)), plan(k8s, cm("2", ref))), "dash")?.op).toBe("update");
        const np = (name: string) => res("kubernetes:karpenter.sh/v1:NodePool", "pool", { metadata: { name }, spec: {} });
        expect(change(diffPlans(plan(np("general")), plan(np("general-2"))), "pool")?.replaceReasons).toEqual(["metadata.name changed"]);
    });

    it("leaves ignoreChanges paths out, and replaces on the resource's own replaceOnChanges", () => {
        const ng = (size: number, extra: Partial<PlannedResource>) => res("aws:iam/role:Role", "r", { description: "d", max: size }, extra);
        expect(change(diffPlans(plan(ng(1, {})), plan(ng(2, { ignoreChanges: ["max"] }))), "r")).toBeUndefined();
        expect(change(diffPlans(plan(ng(1, {})), plan(ng(2, { replaceOnChanges: ["max"] }))), "r")?.replaceReasons).toEqual([
            "max (replaceOnChanges)",
        ]);
    });
});

describe("secrets", () => {
    it("never shows a value from a path that is secret on either side", () => {
        const a = plan(res("aws:iam/role:Role", "r", { password: "plain-before", nested: { token: "[secret]", keep: 1 } }));
        const b = plan(res("aws:iam/role:Role", "r", { password: "[secret]", nested: { token: "[secret]", keep: 2 } }));
        const diff = diffPlans(a, b);
        expect(change(diff, "r")?.inputs).toEqual([
            { path: "nested.keep", before: 1, after: 2, replaces: false },
            { path: "password", before: "[secret]", after: "[secret]", replaces: false },
        ]);
        expect(formatDiff(diff)).not.toContain("plain-before");
    });
});

describe("URN changes", () => {
    it("tells a resource that moved without an alias as a replacement of the old URN", () => {
        const moved = { ...res(BUCKET, "logs", { bucket: "b" }), urn: urn(BUCKET, "logs", "eks-platform:observability:Observability") };
        const diff = diffPlans(plan(res(BUCKET, "logs", { bucket: "b" })), plan(moved));
        expect(diff.changes).toHaveLength(1);
        expect(diff.changes[0]?.op).toBe("replace");
        expect(diff.changes[0]?.renamedFrom).toBe(urn(BUCKET, "logs"));
        expect(diff.changes[0]?.replaceReasons[0]).toMatch(/without an alias/);
        expect(diff.changes[0]?.dataLoss).toMatch(/objects/);
    });

    it("keeps a resource whose alias names its old URN", () => {
        const moved = { ...res(BUCKET, "logs2", { bucket: "b" }), aliases: [urn(BUCKET, "logs")] };
        const diff = diffPlans(plan(res(BUCKET, "logs", { bucket: "b" })), plan(moved));
        expect(diff.changes).toEqual([]);
        expect(diff.unchanged).toBe(1);
    });

    it("does not pair an unrelated create and delete of one type", () => {
        const diff = diffPlans(
            plan(res("aws:iam/role:Role", "loki", { description: "a" })),
            plan(res("aws:iam/role:Role", "fluent-bit", { description: "b" })),
        );
        expect(diff.changes.map((c) => c.op).sort()).toEqual(["create", "delete"]);
    });
});

describe("blocked and data loss", () => {
    const bucket = (extra: Partial<PlannedResource>, forceDestroy = false) => res(BUCKET, "chunks", { bucket: "c", forceDestroy }, extra);

    it("blocks the deletion and the replacement of a protected resource, not an unprotect-and-replace", () => {
        expect(diffPlans(plan(bucket({ protect: true })), plan()).changes[0]?.blocked).toMatch(/protected/);
        const renamed = (protect: boolean) => res(BUCKET, "chunks", { bucket: "d" }, { protect });
        expect(change(diffPlans(plan(bucket({ protect: true })), plan(renamed(true))), "chunks")?.blocked).toMatch(/replace/);
        expect(change(diffPlans(plan(bucket({ protect: true })), plan(renamed(false))), "chunks")?.blocked).toBeUndefined();
    });

    it("reports the data a deletion destroys, and none when the cloud keeps the resource", () => {
        expect(diffPlans(plan(bucket({}, true)), plan()).changes[0]?.dataLoss).toMatch(/forceDestroy: true deletes every object/);
        expect(diffPlans(plan(bucket({}, false)), plan()).changes[0]?.dataLoss).toMatch(/BucketNotEmpty/);
        expect(diffPlans(plan(bucket({ retainOnDelete: true })), plan()).changes[0]?.dataLoss).toBeUndefined();
        expect(diffPlans(plan(res("aws:iam/role:Role", "r", {})), plan()).changes[0]?.dataLoss).toBeUndefined();
    });

    it("tells that deleting a resource runs its delete hooks", () => {
        const anchor = res("random:index/randomId:RandomId", "sweep", { byteLength: 4 }, { hooks: { beforeDelete: ["sweep-cluster-x"] } });
        expect(diffPlans(plan(anchor), plan()).changes[0]?.notes).toContain("deleting it runs its beforeDelete hook sweep-cluster-x");
    });
});

describe("what a replacement does to its dependents", () => {
    const vpc = (cidr: string) => res(VPC, "vpc", { cidrBlock: cidr, tags: { Name: "net" } });
    const fromVpc = { propertyDependencies: { vpcId: [urn(VPC, "vpc")] } };

    it("replaces a dependent whose create-only input comes from a replaced resource, and updates the others", () => {
        const subnet = res(SUBNET, "s", { vpcId: "vpc-0001", cidrBlock: "10.0.0.0/24" }, fromVpc);
        const igw = res("aws:ec2/internetGateway:InternetGateway", "igw", { vpcId: "vpc-0001" }, fromVpc);
        const diff = diffPlans(plan(vpc("10.0.0.0/16"), subnet, igw), plan(vpc("10.1.0.0/16"), subnet, igw));
        expect(change(diff, "s")?.op).toBe("replace");
        expect(change(diff, "s")?.replaceReasons).toEqual(["vpcId comes from vpc, which is replaced: its new value is known only then"]);
        expect(change(diff, "igw")?.op).toBe("update");
        expect(change(diff, "igw")?.inputs).toEqual([{ path: "vpcId", before: "vpc-0001", after: "(known after vpc is replaced)" }]);
    });

    it("keeps a dependent that copies one of the replaced resource's own inputs (known in preview)", () => {
        const named = res(
            SUBNET,
            "s",
            { vpcId: "vpc-0001", cidrBlock: "10.0.0.0/24", tags: { Name: "net" } },
            { propertyDependencies: { tags: [urn(VPC, "vpc")] } },
        );
        expect(change(diffPlans(plan(vpc("10.0.0.0/16"), named), plan(vpc("10.1.0.0/16"), named)), "s")).toBeUndefined();
    });

    it("replaces every resource of a replaced provider", () => {
        const k8s = (id: string) => res("pulumi:providers:kubernetes", "k8s", { clusterIdentifier: id });
        const ns = res(
            "kubernetes:core/v1:Namespace",
            "ns",
            { metadata: { name: "apps" } },
            { provider: `${urn("pulumi:providers:kubernetes", "k8s")}::id` },
        );
        const diff = diffPlans(plan(k8s("a"), ns), plan(k8s("b"), ns));
        expect(change(diff, "k8s")?.replaceReasons).toEqual(["clusterIdentifier changed"]);
        expect(change(diff, "ns")?.replaceReasons).toEqual(["its provider k8s is replaced"]);
    });

    it("tells a remote component's input that replaces its child, on the child when the plan has it", () => {
        const eks = (name: string) => ({ ...res("eks:index:Cluster", "eks", { name, version: "1.35" }), custom: false });
        const alone = diffPlans(plan(eks("a")), plan(eks("b")));
        expect(change(alone, "eks")?.replaceReasons).toEqual([
            "name changed: replaces its child aws:eks/cluster:Cluster (not in the offline plan)",
        ]);
        const child = (name: string) => ({
            ...res("aws:eks/cluster:Cluster", "eks-eksCluster", { name: "x", v: name }),
            parent: eks("a").urn,
        });
        const both = diffPlans(plan(eks("a"), child("a")), plan(eks("b"), child("b")));
        expect(change(both, "eks")?.op).toBe("update");
        expect(change(both, "eks-eksCluster")?.op).toBe("replace");
        expect(change(both, "eks-eksCluster")?.replaceReasons[0]).toMatch(
            /name changed, which aws:eks\/cluster:Cluster takes at creation only/,
        );
    });

    it("blocks moving a cluster to another VPC unless the cluster is replaced with it", () => {
        const eks = (vpcId: string, name = "c") => ({ ...res("eks:index:Cluster", "eks", { name, vpcId }), custom: false });
        expect(change(diffPlans(plan(eks("vpc-1")), plan(eks("vpc-2"))), "eks")?.blocked).toMatch(/same VPC/);
        expect(change(diffPlans(plan(eks("vpc-1")), plan(eks("vpc-2", "d"))), "eks")?.blocked).toBeUndefined();
    });
});

describe("the summary", () => {
    it("is pulumi's Resources block, and one line with every count", () => {
        const counts = { create: 1, update: 2, replace: 3, delete: 0, blocked: 1, dataLoss: 2, unchanged: 140 };
        expect(pulumiSummary(counts)).toEqual([
            "Resources:",
            "    + 1 to create",
            "    ~ 2 to update",
            "    +-3 to replace",
            "    6 changes. 140 unchanged",
        ]);
        expect(pulumiSummary({ ...counts, create: 0, replace: 0 })).toEqual(["Resources:", "    ~ 2 to update", "    140 unchanged"]);
        expect(summaryLine(counts)).toBe(
            "offline diff: 1 to create, 2 to update, 3 to replace, 0 to delete, 1 blocked, 2 with data loss, 140 unchanged",
        );
    });

    it("counts and lists what --fail-on stops for", () => {
        const diff = diffPlans(
            plan(res(BUCKET, "a", { bucket: "a", forceDestroy: true }), res(VPC, "v", { cidrBlock: "1" })),
            plan(res(VPC, "v", { cidrBlock: "2" })),
        );
        expect(countChanges(diff)).toMatchObject({ replace: 1, delete: 1, dataLoss: 1, blocked: 0 });
        expect(failOnFindings(diff, ["replace", "data-loss"])).toEqual([`replace: ${VPC} v`, `data-loss: ${BUCKET} a`]);
        expect(failOnFindings(diff, ["blocked"])).toEqual([]);
    });

    it("cuts long values around their first difference", () => {
        const a = `${"x".repeat(200)}old${"y".repeat(50)}`;
        const b = `${"x".repeat(200)}new${"y".repeat(50)}`;
        expect(formatValue(a, b)).toMatch(/^…x+old/);
        expect(formatValue(a, b)).toContain(`(${JSON.stringify(a).length} chars)`);
        expect(formatValue("short", "other")).toBe('"short"');
    });
});
