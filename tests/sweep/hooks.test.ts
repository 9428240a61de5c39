// The destroy hooks (components/lib/destroy-hooks.ts): named ResourceHooks, the sweep anchor as the program
// registers it (hooks, keepers, dependency edges), and the hooks' callbacks run against the fake AWS the way the
// engine calls them during `pulumi destroy --run-program` (old inputs/outputs of the deleted resource).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
    anchorSweepTarget,
    clusterSweepHook,
    clusterSweepHookName,
    createSweepAnchor,
    vpcSweepHook,
    vpcSweepHookName,
    vpcSweepTarget,
} from "../../components/lib/destroy-hooks";
import { settle, setupMocks, type Recorder } from "../../plan";
import { EXPECTED_MUTATIONS, FakeAws, seedLeftovers } from "./fake";

let recorder: Recorder;
let fake: FakeAws | undefined;

beforeAll(async () => {
    recorder = setupMocks("dev").recorder;
    // Pulumi's MockMonitor (3.248) has no registerResourceHook: binding a hook would fail with a TypeError.
    // tests/mocks.ts should do this for every test (see the report); done here so this file stands alone.
    const monitor = (pulumi.runtime as unknown as { getMonitor(): Record<string, unknown> }).getMonitor();
    if (typeof monitor.registerResourceHook !== "function") {
        monitor.registerResourceHook = (_req: unknown, cb: (err: null, res: object) => void) => cb(null, {});
    }
});
afterEach(() => fake?.restore());

const hookArgs = (over: Partial<pulumi.ResourceHookArgs>): pulumi.ResourceHookArgs => ({
    urn: "urn:pulumi:dev::eks-platform::t::n",
    id: "",
    name: "n",
    type: "t",
    ...over,
});

describe("sweep targets from the deleted resource's state", () => {
    const defaults = { clusterName: "from-config", region: "us-east-1" };
    it("the anchor's keepers win over the config's values (outputs before inputs)", () => {
        expect(
            anchorSweepTarget({ id: "x", oldOutputs: { keepers: { clusterName: "c1", region: "eu-west-1", vpcId: "vpc-1" } } }, defaults),
        ).toEqual({ clusterName: "c1", region: "eu-west-1", vpcId: "vpc-1" });
        expect(
            anchorSweepTarget({ id: "x", oldInputs: { keepers: { clusterName: "c2", region: "eu-west-2", vpcId: "vpc-2" } } }, defaults),
        ).toEqual({ clusterName: "c2", region: "eu-west-2", vpcId: "vpc-2" });
        expect(anchorSweepTarget({ id: "x" }, defaults)).toEqual({ clusterName: "from-config", region: "us-east-1" });
    });
    it("the VPC's id and the region of its ARN", () => {
        expect(vpcSweepTarget({ id: "vpc-9", oldOutputs: { arn: "arn:aws:ec2:ap-south-1:123456789012:vpc/vpc-9" } }, defaults)).toEqual({
            clusterName: "from-config",
            region: "ap-south-1",
            vpcId: "vpc-9",
        });
        expect(vpcSweepTarget({ id: "", oldOutputs: { id: "vpc-8" } }, defaults)).toEqual({
            clusterName: "from-config",
            region: "us-east-1",
            vpcId: "vpc-8",
        });
    });
});

describe("named hooks", () => {
    it("are ResourceHook instances named after the cluster, one per name", () => {
        const hook = vpcSweepHook({ clusterName: "named", region: "eu-west-1" });
        expect(pulumi.ResourceHook.isInstance(hook)).toBe(true);
        expect(hook.name).toBe(vpcSweepHookName("named"));
        expect(hook.name).toBe("sweep-vpc-named");
        expect(vpcSweepHook({ clusterName: "named", region: "eu-west-1" })).toBe(hook);
        expect(clusterSweepHook({ clusterName: "named", region: "eu-west-1" }).name).toBe("sweep-cluster-named");
        // Delete hooks never run in previews.
        expect(hook.opts?.onDryRun ?? false).toBe(false);
    });

    it("the sweep anchor carries the cluster hook, its target as keepers, and waits for the cluster and the VPC", async () => {
        const vpc = new aws.ec2.Vpc("anchor-test-vpc", { cidrBlock: "10.0.0.0/16" });
        const cluster = new aws.eks.Cluster("anchor-test-cluster", {
            name: "anchor-cluster",
            roleArn: "arn:aws:iam::123456789012:role/r",
            vpcConfig: { subnetIds: [] },
        });
        createSweepAnchor("anchor-test", {
            clusterName: cluster.name,
            region: "eu-west-1",
            vpcId: vpc.id,
            cluster,
            hook: { clusterName: "anchor-cluster", region: "eu-west-1" },
        });
        await settle();

        const anchor = recorder.one("random:index/randomId:RandomId", "anchor-test");
        expect(anchor.hooks).toEqual({ beforeDelete: [clusterSweepHookName("anchor-cluster")] });
        expect(anchor.inputs.keepers).toEqual({
            clusterName: "anchor-cluster",
            region: "eu-west-1",
            vpcId: expect.stringMatching(/^vpc-/),
        });
        expect(recorder.dependsOn(anchor, recorder.one("aws:eks/cluster:Cluster", "anchor-test-cluster"))).toBe(true);
        expect(recorder.dependsOn(anchor, recorder.one("aws:ec2/vpc:Vpc", "anchor-test-vpc"))).toBe(true);
    });
});

describe("hook callbacks (as the engine runs them on delete)", () => {
    const fast = () => ({
        clock: (fake as FakeAws).clock,
        pollIntervalMs: 5_000,
        backoff: { baseMs: 1_000, maxMs: 8_000, random: () => 1 },
        log: () => undefined,
    });

    it("the cluster hook sweeps the cluster, region and VPC recorded in the anchor's old state", async () => {
        fake = new FakeAws();
        seedLeftovers(fake, "state-cluster", "vpc-state");
        const hook = clusterSweepHook({ clusterName: "callback-config-name", region: "us-east-1" }, fast());

        await hook.callback(
            hookArgs({ id: "abcd", oldOutputs: { keepers: { clusterName: "state-cluster", region: "eu-west-1", vpcId: "vpc-state" } } }),
        );

        expect(fake.mutations).toEqual(EXPECTED_MUTATIONS);
    });

    it("the VPC hook sweeps the deleted VPC (idempotent after the cluster hook)", async () => {
        fake = new FakeAws();
        seedLeftovers(fake, "vpc-hook-cluster", "vpc-deleted");
        const hook = vpcSweepHook({ clusterName: "vpc-hook-cluster", region: "eu-west-1" }, fast());
        const args = hookArgs({ id: "vpc-deleted", oldOutputs: { arn: "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-deleted" } });

        await hook.callback(args);
        const first = [...fake.mutations];
        await hook.callback(args);

        expect(first).toEqual(EXPECTED_MUTATIONS);
        expect(fake.mutations).toEqual(first);
    });

    it("a failing sweep fails the delete with a message that says what to do", async () => {
        fake = new FakeAws();
        seedLeftovers(fake, "stuck-cluster", "vpc-stuck");
        for (const i of fake.instances) i.terminationMs = Number.POSITIVE_INFINITY;
        const hook = clusterSweepHook({ clusterName: "stuck-cluster", region: "eu-west-1", timeoutMs: 120_000 }, fast());

        await expect(
            hook.callback(
                hookArgs({ id: "x", oldInputs: { keepers: { clusterName: "stuck-cluster", region: "eu-west-1", vpcId: "vpc-stuck" } } }),
            ),
        ).rejects.toThrow(
            /^sweep-cluster-stuck-cluster: sweep of cluster stuck-cluster .* time bound of 120 s .*npm run sweep -- --stack dev --timeout <seconds>/,
        );

        fake.restore();
        fake = new FakeAws();
        seedLeftovers(fake, "denied-cluster", "vpc-denied");
        fake.failNext(
            "DescribeLoadBalancers",
            Object.assign(new Error("User is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers"), {
                name: "AccessDenied",
            }),
        );
        const denied = clusterSweepHook({ clusterName: "denied-cluster", region: "eu-west-1" }, fast());
        await expect(denied.callback(hookArgs({ id: "x" }))).rejects.toThrow(
            /sweep-cluster-denied-cluster: the before-delete sweep of cluster denied-cluster failed: AccessDenied: .*npm run sweep -- --stack dev --dry-run.*pulumi destroy --run-program/,
        );
    });
});
