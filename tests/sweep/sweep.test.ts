// The before-delete sweep against a stateful fake of EC2 and ELBv2 (aws-sdk-client-mock): what it deletes, in
// which order, what it leaves alone, retries, the time bound and dry runs. Virtual time: no test sleeps.
import { DeleteLoadBalancerCommand, DeleteTargetGroupCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import {
    DeleteNetworkInterfaceCommand,
    DeleteSecurityGroupCommand,
    RevokeSecurityGroupEgressCommand,
    RevokeSecurityGroupIngressCommand,
    TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SweepTimeoutError, sweepCluster, type SweepOptions, type SweepReport } from "../../components/lib/sweep";
import { backoffDelay, errorCode } from "../../components/lib/sweep/retry";
import {
    isControllerElbResourceOf,
    isControllerSecurityGroupOf,
    isKarpenterInstanceOf,
    isLeakedCniInterfaceOf,
    tagMap,
} from "../../components/lib/sweep/tags";
import { GATEWAY_CONTROLLERS } from "../../components/ingress/gateway-objects";
import { LBC_STACK_TAGS } from "../../components/lib/sweep/tags";
import { EXPECTED_MUTATIONS, FakeAws, LB_ENI_RELEASE_MS, awsError, seedGatewayLeftovers, seedLeftovers } from "./fake";

const CLUSTER = "eks-platform-prod";
const VPC = "vpc-mine";

let fake: FakeAws;
let lines: string[];

function options(overrides: Partial<SweepOptions> = {}): SweepOptions {
    return {
        clusterName: CLUSTER,
        region: "eu-west-1",
        vpcId: VPC,
        dryRun: false,
        timeoutMs: 15 * 60_000,
        log: (line) => lines.push(line),
        clock: fake.clock,
        backoff: { baseMs: 1_000, maxMs: 8_000, random: () => 1 },
        pollIntervalMs: 5_000,
        ...overrides,
    };
}

const survivors = () => ({
    loadBalancers: fake.loadBalancers.map((lb) => lb.name).sort(),
    targetGroups: fake.targetGroups.map((tg) => tg.name).sort(),
    securityGroups: fake.securityGroups.map((g) => g.id).sort(),
    interfaces: fake.interfaces.map((n) => n.id).sort(),
});

beforeEach(() => {
    fake = new FakeAws();
    seedLeftovers(fake, CLUSTER, VPC);
    lines = [];
});
afterEach(() => fake.restore());

describe("sweepCluster", () => {
    it("deletes exactly this cluster's controller-made resources, in dependency order", async () => {
        const report = await sweepCluster(options());

        expect(fake.mutations).toEqual(EXPECTED_MUTATIONS);
        // The order was right, so AWS never had to refuse anything.
        expect(fake.raised).toEqual([]);
        expect(report.deleted).toEqual({
            loadBalancers: [expect.stringContaining("/app/k8s-web-ingress/"), expect.stringContaining("/net/k8s-ingressn-nginx/")],
            targetGroups: [
                expect.stringContaining("targetgroup/k8s-web-site/"),
                expect.stringContaining("targetgroup/k8s-ingressn-nginx/"),
            ],
            instances: ["i-karpenter1", "i-karpenter2"],
            securityGroups: ["sg-frontend", "sg-backend"],
            networkInterfaces: ["eni-leaked"],
        });
        expect(report.revokedRules).toEqual(["sgr-from-backend"]);
        expect(report.skipped).toEqual([]);
    });

    it("leaves other clusters', untagged, hand-made, node-group and other-VPC resources alone", async () => {
        await sweepCluster(options());

        expect(survivors()).toEqual({
            loadBalancers: ["hand-made-nlb", "other-cluster-alb", "same-name-other-vpc", "untagged-alb"],
            targetGroups: ["other-cluster-tg", "untagged-tg"],
            securityGroups: ["sg-cluster", "sg-othercluster", "sg-untagged"],
            // The load balancers' own ENIs were released by ELB (the sweep waited for that), not deleted by it.
            interfaces: ["eni-attached", "eni-othercluster", "eni-othervpc", "eni-untagged"],
        });
        const terminated = fake.mutations.filter((m) => m.startsWith("TerminateInstances"));
        expect(terminated).toEqual(["TerminateInstances i-karpenter1,i-karpenter2"]);
        // The cluster security group keeps its own rules; only the rule pointing at the deleted backend group went.
        expect(fake.securityGroups.find((g) => g.id === "sg-cluster")?.rules.map((r) => r.id)).toEqual(["sgr-self"]);
    });

    it("never widens beyond the tags even when AWS ignores the request filters", async () => {
        fake.restore();
        fake = new FakeAws({ honourFilters: false });
        seedLeftovers(fake, CLUSTER, VPC);

        await sweepCluster(options());

        expect(fake.mutations).toEqual(EXPECTED_MUTATIONS);
    });

    it("waits for load balancers and their ENIs to go, and for instances to terminate", async () => {
        await sweepCluster(options());

        // Security groups were deleted only once the LB ENIs were released (else: DependencyViolation).
        expect(fake.clock.t).toBeGreaterThanOrEqual(LB_ENI_RELEASE_MS);
        expect(lines.some((l) => /waiting for 2 load balancer network interfaces/.test(l))).toBe(true);
        expect(lines.some((l) => /waiting for 2 instance to terminates?: i-karpenter1, i-karpenter2/.test(l))).toBe(true);
        expect(fake.instances.filter((i) => i.id.startsWith("i-karpenter"))).toHaveLength(2);
    });

    it("is idempotent: a second run finds nothing and changes nothing", async () => {
        await sweepCluster(options());
        const before = fake.mutations.length;
        const again = await sweepCluster(options());

        expect(fake.mutations.length).toBe(before);
        expect(Object.values(again.found).flat()).toEqual([]);
        expect(lines.at(-1)).toMatch(/deleted 0 load balancers, 0 target groups, 0 instances, 0 security groups, 0 network interfaces/);
    });

    it("retries throttling and DependencyViolation with exponential backoff", async () => {
        fake.failNext("DescribeLoadBalancers", awsError("ThrottlingException", "Rate exceeded"), 2);
        fake.failNext("TerminateInstances", awsError("RequestLimitExceeded", "Request limit exceeded."), 1);
        fake.failNext("DeleteSecurityGroup", awsError("DependencyViolation", "resource sg-frontend has a dependent object"), 3);

        const report = await sweepCluster(options());

        expect(fake.mutations).toEqual(EXPECTED_MUTATIONS);
        expect(report.deleted.securityGroups).toEqual(["sg-frontend", "sg-backend"]);
        // Backoff doubles per attempt (1 s, 2 s, 4 s) with the injected jitter at its top.
        expect(
            lines.filter((l) => /DescribeLoadBalancers: ThrottlingException, retrying in/.test(l)).map((l) => /in ([\d.]+) s/.exec(l)?.[1]),
        ).toEqual(["1.0", "2.0"]);
        expect(
            lines
                .filter((l) => /delete security group sg-frontend: DependencyViolation, retrying in/.test(l))
                .map((l) => /in ([\d.]+) s/.exec(l)?.[1]),
        ).toEqual(["1.0", "2.0", "4.0"]);
        expect(lines.some((l) => /terminate 2 instances: RequestLimitExceeded, retrying in 1.0 s/.test(l))).toBe(true);
        expect(backoffDelay(10, { baseMs: 1_000, maxMs: 8_000, random: () => 1 })).toBe(8_000);
        expect(backoffDelay(0, { baseMs: 1_000, maxMs: 8_000, random: () => 0 })).toBe(500);
    });

    it("stops at its time bound with a message naming the phase and what is left", async () => {
        for (const i of fake.instances) i.terminationMs = Number.POSITIVE_INFINITY;

        const run = sweepCluster(options({ timeoutMs: 5 * 60_000 }));

        await expect(run).rejects.toBeInstanceOf(SweepTimeoutError);
        await expect(run).rejects.toThrow(
            /stopped at its time bound of 300 s while waiting for instance to terminate; still there: i-karpenter1, i-karpenter2/,
        );
        expect(fake.clock.t).toBe(5 * 60_000);
        expect(lines.at(-1)).toMatch(/time bound of 300 s.*npm run sweep -- --stack <stack> --timeout <seconds>/);
        // It stopped there: nothing after the instances was touched.
        expect(fake.mutations.some((m) => m.startsWith("DeleteSecurityGroup") || m.startsWith("DeleteNetworkInterface"))).toBe(false);
    });

    it("also stops at its bound while AWS keeps throttling", async () => {
        fake.failNext("DescribeLoadBalancers", awsError("Throttling", "Rate exceeded"), 1_000);

        await expect(sweepCluster(options({ timeoutMs: 60_000 }))).rejects.toThrow(
            /time bound of 60 s while finding load balancers; still there: DescribeLoadBalancers/,
        );
        expect(fake.clock.t).toBe(60_000);
    });

    it("--dry-run lists exactly what it would delete and deletes nothing", async () => {
        const report: SweepReport = await sweepCluster(options({ dryRun: true }));

        expect(fake.elbv2.commandCalls(DeleteLoadBalancerCommand)).toHaveLength(0);
        expect(fake.elbv2.commandCalls(DeleteTargetGroupCommand)).toHaveLength(0);
        expect(fake.ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
        expect(fake.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
        expect(fake.ec2.commandCalls(RevokeSecurityGroupEgressCommand)).toHaveLength(0);
        expect(fake.ec2.commandCalls(DeleteSecurityGroupCommand)).toHaveLength(0);
        expect(fake.ec2.commandCalls(DeleteNetworkInterfaceCommand)).toHaveLength(0);
        expect(fake.mutations).toEqual([]);
        expect(report.found.instances).toEqual(["i-karpenter1", "i-karpenter2"]);
        expect(report.found.securityGroups).toEqual(["sg-frontend", "sg-backend"]);
        expect(report.found.networkInterfaces).toEqual(["eni-leaked"]);
        expect(report.found.loadBalancers).toHaveLength(2);
        expect(report.found.targetGroups).toHaveLength(2);
        expect(Object.values(report.deleted).flat()).toEqual([]);
        expect(lines[0]).toMatch(/DRY RUN: nothing is deleted/);
        expect(
            lines.some((l) => /dry run: would delete i-karpenter1 \(general, running\), i-karpenter2 \(general, pending\)/.test(l)),
        ).toBe(true);
        expect(lines.at(-1)).toMatch(
            /\(dry run\) done in 0 s: would delete 2 load balancers, 2 target groups, 2 instances, 2 security groups, 1 network interfaces/,
        );
    });

    it("stops at the first error it must not retry (e.g. missing permissions)", async () => {
        fake.failNext("TerminateInstances", awsError("UnauthorizedOperation", "You are not authorized to perform this operation."), 1);

        await expect(sweepCluster(options())).rejects.toThrow(/not authorized/);
        expect(
            fake.mutations.filter(
                (m) => m.startsWith("Delete") && !m.startsWith("DeleteLoadBalancer") && !m.startsWith("DeleteTargetGroup"),
            ),
        ).toEqual([]);
    });

    it("treats resources that vanished meanwhile as done", async () => {
        fake.failNext("DeleteNetworkInterface", awsError("InvalidNetworkInterfaceID.NotFound", "gone"), 1);

        const report = await sweepCluster(options());

        expect(report.deleted.networkInterfaces).toEqual(["eni-leaked"]);
        expect(lines.some((l) => /already gone eni-leaked/.test(l))).toBe(true);
    });

    it("without a VPC id sweeps load balancers, target groups and instances, and says why it skips the rest", async () => {
        const report = await sweepCluster(options({ vpcId: undefined }));

        expect(report.skipped.map((s) => s.phase)).toEqual(["securityGroups", "networkInterfaces"]);
        expect(fake.mutations.some((m) => m.startsWith("DeleteSecurityGroup") || m.startsWith("DeleteNetworkInterface"))).toBe(false);
        // Without the VPC filter the other VPC's load balancer of this cluster is in scope too.
        expect(report.deleted.loadBalancers).toHaveLength(3);
        expect(lines.some((l) => /security groups made by the LB controller: skipped \(no VPC id given/.test(l))).toBe(true);
    });

    it("refuses nonsense options", async () => {
        await expect(sweepCluster(options({ clusterName: "" }))).rejects.toThrow(/clusterName is required/);
        await expect(sweepCluster(options({ timeoutMs: 0 }))).rejects.toThrow(/timeoutMs must be positive/);
    });
});

describe("sweepCluster: what Gateways leave", () => {
    it("deletes this cluster's Gateway-made load balancers, target groups and security groups, nothing else", async () => {
        fake.restore();
        fake = new FakeAws();
        seedGatewayLeftovers(fake, CLUSTER, VPC);

        const report = await sweepCluster(options());

        expect(report.deleted.loadBalancers).toEqual([
            expect.stringContaining("/app/k8s-gateways-internet/"),
            expect.stringContaining("/net/k8s-teama-tcp/"),
        ]);
        expect(report.deleted.targetGroups).toEqual([
            expect.stringContaining("targetgroup/k8s-monitori-grafana/"),
            expect.stringContaining("targetgroup/k8s-teama-tcp/"),
        ]);
        expect(report.deleted.securityGroups).toEqual(["sg-gateway-frontend"]);
        expect(survivors()).toEqual({
            loadBalancers: ["no-cluster-tag", "other-cluster-gateway"],
            targetGroups: [],
            securityGroups: ["sg-hand-made"],
            interfaces: [],
        });
        expect(fake.raised).toEqual([]);
    });

    it("knows the stack tag of every Gateway class the platform offers", () => {
        for (const { tagPrefix } of Object.values(GATEWAY_CONTROLLERS)) expect(LBC_STACK_TAGS).toContain(`${tagPrefix}/stack`);
    });
});

describe("ownership predicates", () => {
    const c = "prod";
    it("load balancers and target groups: this cluster's controller tag and a stack tag", () => {
        expect(isControllerElbResourceOf(c, { "elbv2.k8s.aws/cluster": c, "ingress.k8s.aws/stack": "ns/name" })).toBe(true);
        expect(isControllerElbResourceOf(c, { "elbv2.k8s.aws/cluster": c, "service.k8s.aws/stack": "ns/svc" })).toBe(true);
        expect(isControllerElbResourceOf(c, { "elbv2.k8s.aws/cluster": c, "gateway.k8s.aws.alb/stack": "gateway-system/internal" })).toBe(
            true,
        );
        expect(isControllerElbResourceOf(c, { "elbv2.k8s.aws/cluster": c, "gateway.k8s.aws.nlb/stack": "team/tcp" })).toBe(true);
        expect(isControllerElbResourceOf(c, { "gateway.k8s.aws.alb/stack": "gateway-system/internal" })).toBe(false);
        expect(isControllerElbResourceOf(c, { "elbv2.k8s.aws/cluster": c })).toBe(false);
        expect(isControllerElbResourceOf(c, { "elbv2.k8s.aws/cluster": "prod-2", "ingress.k8s.aws/stack": "ns/name" })).toBe(false);
        expect(isControllerElbResourceOf(c, {})).toBe(false);
    });
    it("security groups: frontend (stack tag) or backend (resource tag)", () => {
        expect(isControllerSecurityGroupOf(c, { "elbv2.k8s.aws/cluster": c, "elbv2.k8s.aws/resource": "backend-sg" })).toBe(true);
        expect(isControllerSecurityGroupOf(c, { "elbv2.k8s.aws/cluster": c, "ingress.k8s.aws/stack": "ns/i" })).toBe(true);
        expect(isControllerSecurityGroupOf(c, { "elbv2.k8s.aws/cluster": c })).toBe(false);
        expect(isControllerSecurityGroupOf(c, { "kubernetes.io/cluster/prod": "owned" })).toBe(false);
    });
    it("instances: a NodePool tag and this cluster's ownership tag, never a managed node group's", () => {
        expect(
            isKarpenterInstanceOf(c, { "karpenter.sh/nodepool": "p", "kubernetes.io/cluster/prod": "owned", "eks:eks-cluster-name": c }),
        ).toBe(true);
        expect(isKarpenterInstanceOf(c, { "karpenter.sh/nodepool": "p", "kubernetes.io/cluster/prod": "owned" })).toBe(true);
        expect(
            isKarpenterInstanceOf(c, {
                "karpenter.sh/nodepool": "p",
                "kubernetes.io/cluster/prod": "owned",
                "eks:eks-cluster-name": "other",
            }),
        ).toBe(false);
        expect(isKarpenterInstanceOf(c, { "karpenter.sh/nodepool": "p", "kubernetes.io/cluster/prod": "shared" })).toBe(false);
        expect(isKarpenterInstanceOf(c, { "kubernetes.io/cluster/prod": "owned", "eks:nodegroup-name": "system" })).toBe(false);
        expect(isKarpenterInstanceOf(c, { "karpenter.sh/nodepool": "p", "kubernetes.io/cluster/prod-2": "owned" })).toBe(false);
    });
    it("ENIs: detached, in the cluster's VPC, with the CNI's cluster tag", () => {
        const tags = { "cluster.k8s.amazonaws.com/name": c };
        expect(isLeakedCniInterfaceOf(c, "vpc-1", { status: "available", vpcId: "vpc-1", tags })).toBe(true);
        expect(isLeakedCniInterfaceOf(c, "vpc-1", { status: "in-use", vpcId: "vpc-1", tags })).toBe(false);
        expect(isLeakedCniInterfaceOf(c, "vpc-1", { status: "available", vpcId: "vpc-2", tags })).toBe(false);
        expect(isLeakedCniInterfaceOf(c, "vpc-1", { status: "available", vpcId: "vpc-1", tags: {} })).toBe(false);
    });
    it("tag lists and error codes", () => {
        expect(tagMap([{ Key: "a", Value: "1" }, { Key: "b" }, { Value: "x" }])).toEqual({ a: "1", b: "" });
        expect(errorCode(awsError("DependencyViolation"))).toBe("DependencyViolation");
        expect(errorCode(new Error("plain"))).toBe("");
    });
});
