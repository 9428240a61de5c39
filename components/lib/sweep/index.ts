// The before-delete sweep: finds what the cluster's controllers made outside Pulumi's state, by this cluster's
// ownership tags, and deletes it in the order AWS needs, so subnet and VPC deletion never meet a
// DependencyViolation and nothing keeps running after a destroy:
//   1. load balancers made by the LB controller (then wait until they and their ENIs are gone)
//   2. the LB controller's target groups (free once their load balancers are gone)
//   3. instances Karpenter launched for this cluster (terminate, wait until terminated)
//   4. the LB controller's security groups in the VPC (revoke rules elsewhere that reference them, then delete)
//   5. detached ENIs the VPC CNI leaked in the VPC
// Idempotent (anything already gone counts as done), bounded in time, and with `dryRun` it only lists.
import { SweepAws, loadBalancerInterfaceDescription, type SweepClients } from "./aws";
import { DEFAULT_BACKOFF, Deadline, SweepTimeoutError, systemClock, withRetry, type Backoff, type Clock } from "./retry";
import {
    CNI_CLUSTER_TAG,
    KARPENTER_DISCOVERY_TAG,
    KARPENTER_NODEPOOL_TAG,
    LBC_CLUSTER_TAG,
    clusterOwnershipTag,
    isControllerElbResourceOf,
    isControllerSecurityGroupOf,
    isKarpenterInstanceOf,
    isLeakedCniInterfaceOf,
} from "./tags";

export { SweepTimeoutError } from "./retry";
export * from "./report";
import {
    emptyByPhase,
    listed,
    PHASE_TITLE,
    plural,
    summary,
    SWEEP_PHASES,
    type SweepOptions,
    type SweepPhase,
    type SweepReport,
} from "./report";
export type { SweepClients } from "./aws";

/** One sweep run: its options resolved, its AWS access and its report. */
class Sweep {
    readonly report: SweepReport;
    private readonly deadline: Deadline;
    private readonly backoff: Backoff;
    private readonly pollMs: number;
    private readonly startedAt: number;

    constructor(
        private readonly aws: SweepAws,
        private readonly opts: SweepOptions,
        private readonly clock: Clock,
        private readonly log: (line: string) => void,
    ) {
        this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
        this.pollMs = opts.pollIntervalMs ?? 10_000;
        this.startedAt = clock.now();
        this.report = {
            clusterName: opts.clusterName,
            region: opts.region,
            vpcId: opts.vpcId,
            dryRun: opts.dryRun,
            found: emptyByPhase(),
            deleted: emptyByPhase(),
            revokedRules: [],
            skipped: [],
            elapsedMs: 0,
        };
        this.deadline = new Deadline(
            clock,
            opts.timeoutMs,
            (phase, remaining) =>
                `sweep of cluster ${opts.clusterName} (${opts.region}) stopped at its time bound of ${Math.round(opts.timeoutMs / 1000)} s ` +
                `while ${phase}; still there: ${remaining.length > 0 ? listed(remaining) : "unknown"}. ` +
                `Nothing without this cluster's tags was touched. Run the sweep again with a longer bound ` +
                `(npm run sweep -- --stack <stack> --timeout <seconds>), then the destroy.`,
        );
    }

    private get cluster(): string {
        return this.opts.clusterName;
    }

    private retry<T>(what: string, phase: string, op: () => Promise<T>): Promise<T | "gone"> {
        return withRetry(what, op, { deadline: this.deadline, backoff: this.backoff, log: this.log, phase });
    }

    /** A read that must return data ("gone" cannot happen for a list call). */
    private async read<T>(what: string, phase: string, op: () => Promise<T>, empty: T): Promise<T> {
        const result = await this.retry(what, phase, op);
        return result === "gone" ? empty : result;
    }

    /** Polls `remaining` until it is empty or the time bound is reached. */
    private async waitUntilGone(what: string, remaining: () => Promise<string[]>): Promise<void> {
        let last = -1;
        for (;;) {
            const left = await this.read(`checking ${what}`, `waiting for ${what}`, remaining, []);
            if (left.length === 0) return;
            if (left.length !== last) this.log(`  waiting for ${plural(left.length, what)}: ${listed(left)}`);
            last = left.length;
            await this.deadline.sleep(this.pollMs, `waiting for ${what}`, left);
        }
    }

    private found(phase: SweepPhase, items: readonly { id: string; label: string }[]): boolean {
        this.report.found[phase] = items.map((i) => i.id);
        this.log(`${PHASE_TITLE[phase]}: ${items.length === 0 ? "none" : `${items.length}: ${listed(items.map((i) => i.label))}`}`);
        if (items.length > 0 && this.opts.dryRun)
            this.log(
                `  dry run: would delete ${listed(
                    items.map((i) => i.label),
                    50,
                )}`,
            );
        return items.length > 0 && !this.opts.dryRun;
    }

    private deleted(phase: SweepPhase, id: string, label: string, result: unknown): void {
        this.report.deleted[phase].push(id);
        this.log(`  ${result === "gone" ? "already gone" : phase === "instances" ? "terminating" : "deleted"} ${label}`);
    }

    async loadBalancers(): Promise<void> {
        const phase = "finding load balancers";
        const all = await this.read("DescribeLoadBalancers", phase, () => this.aws.listLoadBalancers(), []);
        const inVpc = all.filter((lb) => this.opts.vpcId === undefined || lb.vpcId === this.opts.vpcId);
        const tags = await this.read("DescribeTags", phase, () => this.aws.elbTags(inVpc.map((lb) => lb.arn)), new Map());
        const mine = inVpc.filter((lb) => isControllerElbResourceOf(this.cluster, tags.get(lb.arn) ?? {}));
        if (
            !this.found(
                "loadBalancers",
                mine.map((lb) => ({ id: lb.arn, label: lb.name })),
            )
        )
            return;

        for (const lb of mine) {
            const result = await this.retry(`delete load balancer ${lb.name}`, "deleting load balancers", () =>
                this.aws.deleteLoadBalancer(lb.arn),
            );
            this.deleted("loadBalancers", lb.arn, lb.name, result);
        }
        await this.waitUntilGone("load balancer", async () => {
            const left: string[] = [];
            for (const lb of mine) if (await this.aws.loadBalancerExists(lb.arn)) left.push(lb.name);
            return left;
        });
        // Their ENIs outlive them for a while and keep the subnets and security groups in use.
        const descriptions = mine.map((lb) => loadBalancerInterfaceDescription(lb.arn)).filter((d): d is string => d !== undefined);
        if (descriptions.length > 0) {
            const filters = [
                { Name: "description", Values: descriptions },
                ...(this.opts.vpcId ? [{ Name: "vpc-id", Values: [this.opts.vpcId] }] : []),
            ];
            const wanted = new Set(descriptions);
            await this.waitUntilGone("load balancer network interface", async () =>
                (await this.aws.findNetworkInterfaces(filters)).filter((n) => wanted.has(n.description)).map((n) => n.id),
            );
        }
    }

    async targetGroups(): Promise<void> {
        const phase = "finding target groups";
        const all = await this.read("DescribeTargetGroups", phase, () => this.aws.listTargetGroups(), []);
        const inVpc = all.filter((tg) => this.opts.vpcId === undefined || tg.vpcId === this.opts.vpcId);
        const tags = await this.read("DescribeTags", phase, () => this.aws.elbTags(inVpc.map((tg) => tg.arn)), new Map());
        const mine = inVpc.filter((tg) => isControllerElbResourceOf(this.cluster, tags.get(tg.arn) ?? {}));
        if (
            !this.found(
                "targetGroups",
                mine.map((tg) => ({ id: tg.arn, label: tg.name })),
            )
        )
            return;
        for (const tg of mine) {
            // ResourceInUse while a listener of a load balancer being deleted still forwards to it: retried.
            const result = await this.retry(`delete target group ${tg.name}`, "deleting target groups", () =>
                this.aws.deleteTargetGroup(tg.arn),
            );
            this.deleted("targetGroups", tg.arn, tg.name, result);
        }
    }

    async instances(): Promise<void> {
        const filters = [
            { Name: `tag:${clusterOwnershipTag(this.cluster)}`, Values: ["owned"] },
            { Name: "tag-key", Values: [KARPENTER_NODEPOOL_TAG] },
            { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped", "shutting-down"] },
            ...(this.opts.vpcId ? [{ Name: "vpc-id", Values: [this.opts.vpcId] }] : []),
        ];
        const all = await this.read("DescribeInstances", "finding Karpenter instances", () => this.aws.findInstances(filters), []);
        // The filters run server-side; the tags are checked again here so a loose filter can never widen the sweep.
        const mine = all.filter(
            (i) =>
                i.state !== "terminated" &&
                isKarpenterInstanceOf(this.cluster, i.tags) &&
                (this.opts.vpcId === undefined || i.vpcId === this.opts.vpcId),
        );
        const label = (i: (typeof mine)[number]) => `${i.id} (${i.tags[KARPENTER_NODEPOOL_TAG] ?? "?"}, ${i.state ?? "?"})`;
        if (
            !this.found(
                "instances",
                mine.map((i) => ({ id: i.id, label: label(i) })),
            )
        )
            return;

        const toTerminate = mine.filter((i) => i.state !== "shutting-down");
        if (toTerminate.length > 0) {
            const result = await this.retry(`terminate ${plural(toTerminate.length, "instance")}`, "terminating instances", () =>
                this.aws.terminateInstances(toTerminate.map((i) => i.id)),
            );
            for (const i of toTerminate) this.deleted("instances", i.id, label(i), result);
        }
        for (const i of mine.filter((m) => m.state === "shutting-down")) this.report.deleted.instances.push(i.id);
        await this.waitUntilGone("instance to terminate", async () => {
            const states = await this.aws.instanceStates(mine.map((i) => i.id));
            return mine.filter((i) => states.has(i.id) && states.get(i.id) !== "terminated").map((i) => i.id);
        });
    }

    async securityGroups(vpcId: string): Promise<void> {
        const filters = [
            { Name: "vpc-id", Values: [vpcId] },
            { Name: `tag:${LBC_CLUSTER_TAG}`, Values: [this.cluster] },
        ];
        const all = await this.read("DescribeSecurityGroups", "finding security groups", () => this.aws.findSecurityGroups(filters), []);
        const mine = all.filter((g) => g.vpcId === vpcId && isControllerSecurityGroupOf(this.cluster, g.tags));
        if (
            !this.found(
                "securityGroups",
                mine.map((g) => ({ id: g.id, label: `${g.id} (${g.name})` })),
            )
        )
            return;

        // The controller adds rules to the nodes' groups whose source is its backend group; such a rule keeps the
        // backend group "in use" (DependencyViolation) for as long as it exists.
        for (const g of mine) {
            const rules = await this.read(`rules referencing ${g.id}`, "revoking rules", () => this.aws.rulesReferencing(vpcId, g.id), []);
            for (const rule of rules) {
                await this.retry(`revoke ${rule.ruleId} in ${rule.groupId}`, "revoking rules", () => this.aws.revokeRule(rule));
                this.report.revokedRules.push(rule.ruleId);
                this.log(
                    `  revoked ${rule.isEgress ? "egress" : "ingress"} rule ${rule.ruleId} in ${rule.groupId} (it references ${g.id})`,
                );
            }
        }
        for (const g of mine) {
            const result = await this.retry(`delete security group ${g.id}`, "deleting security groups", () =>
                this.aws.deleteSecurityGroup(g.id),
            );
            this.deleted("securityGroups", g.id, `${g.id} (${g.name})`, result);
        }
    }

    async networkInterfaces(vpcId: string): Promise<void> {
        const filters = [
            { Name: "vpc-id", Values: [vpcId] },
            { Name: "status", Values: ["available"] },
            { Name: `tag:${CNI_CLUSTER_TAG}`, Values: [this.cluster] },
        ];
        const all = await this.read(
            "DescribeNetworkInterfaces",
            "finding network interfaces",
            () => this.aws.findNetworkInterfaces(filters),
            [],
        );
        const mine = all.filter((n) => isLeakedCniInterfaceOf(this.cluster, vpcId, n));
        if (
            !this.found(
                "networkInterfaces",
                mine.map((n) => ({ id: n.id, label: n.id })),
            )
        )
            return;
        for (const n of mine) {
            const result = await this.retry(`delete network interface ${n.id}`, "deleting network interfaces", () =>
                this.aws.deleteNetworkInterface(n.id),
            );
            this.deleted("networkInterfaces", n.id, n.id, result);
        }
    }

    async run(): Promise<SweepReport> {
        const phases = new Set(this.opts.phases ?? SWEEP_PHASES);
        const { vpcId } = this.opts;
        this.log(
            `sweeping what cluster ${this.cluster} left in ${this.opts.region}${vpcId ? ` (VPC ${vpcId})` : ""}, ` +
                `time bound ${Math.round(this.opts.timeoutMs / 1000)} s${this.opts.dryRun ? ", DRY RUN: nothing is deleted" : ""}`,
        );
        for (const phase of SWEEP_PHASES) {
            if (!phases.has(phase)) continue;
            if ((phase === "securityGroups" || phase === "networkInterfaces") && vpcId === undefined) {
                const reason = "no VPC id given: they are only ever matched inside the cluster's VPC";
                this.report.skipped.push({ phase, reason });
                this.log(`${PHASE_TITLE[phase]}: skipped (${reason})`);
                continue;
            }
            switch (phase) {
                case "loadBalancers":
                    await this.loadBalancers();
                    break;
                case "targetGroups":
                    await this.targetGroups();
                    break;
                case "instances":
                    await this.instances();
                    break;
                case "securityGroups":
                    await this.securityGroups(vpcId as string);
                    break;
                case "networkInterfaces":
                    await this.networkInterfaces(vpcId as string);
                    break;
            }
        }
        this.report.elapsedMs = this.clock.now() - this.startedAt;
        this.log(summary(this.report));
        return this.report;
    }
}

/**
 * The cluster's VPC, found from its subnets' `karpenter.sh/discovery=<cluster>` tag (components/network.ts sets it
 * on the node subnets): for a sweep run by hand, where the VPC id is not in the stack's config. Undefined when no
 * subnet has the tag; an error when subnets of several VPCs do.
 */
export async function discoverClusterVpc(
    clusterName: string,
    region: string,
    clients?: Partial<SweepClients>,
): Promise<string | undefined> {
    const aws = await SweepAws.load(region, clients);
    const vpcs = await aws.vpcsOfSubnetsTagged(KARPENTER_DISCOVERY_TAG, clusterName);
    if (vpcs.length > 1)
        throw new Error(
            `subnets tagged ${KARPENTER_DISCOVERY_TAG}=${clusterName} are in ${vpcs.length} VPCs (${vpcs.join(", ")}): pass --vpc-id`,
        );
    return vpcs[0];
}

/**
 * Finds and deletes, in order, what the cluster's controllers made outside Pulumi's state (see the module comment).
 * Resolves with the report; rejects with SweepTimeoutError at the time bound, or with the first error that is
 * neither throttling, "in use" nor "not found" (e.g. AccessDenied).
 */
export async function sweepCluster(opts: SweepOptions): Promise<SweepReport> {
    if (!opts.clusterName) throw new Error("sweepCluster: clusterName is required");
    if (!opts.region) throw new Error("sweepCluster: region is required");
    if (!(opts.timeoutMs > 0)) throw new Error(`sweepCluster: timeoutMs must be positive, got ${opts.timeoutMs}`);
    const prefix = `[sweep ${opts.clusterName}]`;
    const sink = opts.log ?? ((line: string) => console.log(line));
    const log = (line: string) => sink(`${prefix} ${line}`);
    const aws = await SweepAws.load(opts.region, opts.clients);
    const sweep = new Sweep(aws, opts, opts.clock ?? systemClock, log);
    try {
        return await sweep.run();
    } catch (err) {
        if (err instanceof SweepTimeoutError) log(err.message);
        throw err;
    }
}
