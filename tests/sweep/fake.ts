// A small, stateful fake of the EC2 and ELBv2 APIs the sweep uses, wired into aws-sdk-client-mock. It behaves like
// AWS where the sweep's correctness depends on it: filters, pagination, load balancers and their ENIs that linger
// after deletion, target groups in use while their load balancer exists, instances that take time to terminate,
// security groups that cannot be deleted while a rule or an ENI references them (DependencyViolation). Time is
// virtual: the sweep's sleeps advance the fake's clock.
import {
    DeleteNetworkInterfaceCommand,
    DeleteSecurityGroupCommand,
    DescribeInstancesCommand,
    DescribeNetworkInterfacesCommand,
    DescribeSecurityGroupRulesCommand,
    DescribeSecurityGroupsCommand,
    DescribeSubnetsCommand,
    EC2Client,
    RevokeSecurityGroupEgressCommand,
    RevokeSecurityGroupIngressCommand,
    TerminateInstancesCommand,
    type Filter,
} from "@aws-sdk/client-ec2";
import {
    DeleteLoadBalancerCommand,
    DeleteTargetGroupCommand,
    DescribeLoadBalancersCommand,
    DescribeTagsCommand,
    DescribeTargetGroupsCommand,
    ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import type { Clock } from "../../components/lib/sweep/retry";

export type TagSet = Record<string, string>;

export interface FakeLoadBalancer {
    arn: string;
    name: string;
    vpcId: string;
    type: "application" | "network";
    tags: TagSet;
}
export interface FakeTargetGroup {
    arn: string;
    name: string;
    vpcId: string;
    tags: TagSet;
    /** The load balancer whose listener forwards to it: deleting it before that LB fails with ResourceInUse. */
    loadBalancerArn?: string;
}
export interface FakeInstance {
    id: string;
    vpcId: string;
    state: string;
    tags: TagSet;
    /** How long termination takes once asked for; Infinity: it never finishes. */
    terminationMs?: number;
}
export interface FakeRule {
    id: string;
    isEgress: boolean;
    /** The security group this rule allows traffic from/to. */
    referencedGroupId?: string;
}
export interface FakeSecurityGroup {
    id: string;
    name: string;
    vpcId: string;
    tags: TagSet;
    rules: FakeRule[];
}
export interface FakeInterface {
    id: string;
    vpcId: string;
    status: "available" | "in-use";
    description: string;
    tags: TagSet;
    securityGroupIds: string[];
}
export interface FakeSubnet {
    id: string;
    vpcId: string;
    tags: TagSet;
}

/** The time the fake takes: a deleted LB is still listed for this long, its ENIs are released after the second. */
export const LB_DELETE_MS = 5_000;
export const LB_ENI_RELEASE_MS = 40_000;
export const DEFAULT_TERMINATION_MS = 60_000;

export class VirtualClock implements Clock {
    t = 0;
    readonly sleeps: number[] = [];
    now(): number {
        return this.t;
    }
    async sleep(ms: number): Promise<void> {
        this.sleeps.push(ms);
        this.t += ms;
    }
}

export function awsError(name: string, message = name): Error {
    return Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode: 400 } });
}

const toTagList = (tags: TagSet) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

interface Facts {
    id: string;
    vpcId?: string;
    tags: TagSet;
    state?: string;
    status?: string;
    description?: string;
    ingressRefs?: string[];
    egressRefs?: string[];
}

function matches(filters: Filter[] | undefined, f: Facts): boolean {
    for (const filter of filters ?? []) {
        const name = filter.Name ?? "";
        const values = filter.Values ?? [];
        let actual: (string | undefined)[];
        if (name.startsWith("tag:")) actual = [f.tags[name.slice(4)]];
        else if (name === "tag-key") actual = Object.keys(f.tags);
        else if (name === "vpc-id") actual = [f.vpcId];
        else if (name === "instance-state-name") actual = [f.state];
        else if (name === "status") actual = [f.status];
        else if (name === "description") actual = [f.description];
        else if (name === "instance-id" || name === "group-id") actual = [f.id];
        else if (name === "ip-permission.group-id") actual = f.ingressRefs ?? [];
        else if (name === "egress.ip-permission.group-id") actual = f.egressRefs ?? [];
        else throw new Error(`fake AWS: filter ${name} is not implemented`);
        if (!actual.some((a) => a !== undefined && values.includes(a))) return false;
    }
    return true;
}

/** Pages of `size`, with a numeric marker. */
function page<T>(items: T[], marker: string | undefined, size: number): { items: T[]; next: string | undefined } {
    const start = marker ? Number(marker) : 0;
    const end = start + size;
    return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

export interface FakeOptions {
    /** Apply request filters like AWS does (default); false returns everything, to prove the sweep re-checks tags. */
    honourFilters?: boolean;
    pageSize?: number;
}

export class FakeAws {
    readonly clock = new VirtualClock();
    loadBalancers: FakeLoadBalancer[] = [];
    targetGroups: FakeTargetGroup[] = [];
    instances: FakeInstance[] = [];
    securityGroups: FakeSecurityGroup[] = [];
    interfaces: FakeInterface[] = [];
    subnets: FakeSubnet[] = [];
    /** Every mutating call, in order: "DeleteLoadBalancer <name>", "TerminateInstances <ids>", ... */
    readonly mutations: string[] = [];
    /** Every error the fake raised by itself (not injected): proof that the order avoided DependencyViolation. */
    readonly raised: string[] = [];
    private readonly deletedLbs = new Map<string, { lb: FakeLoadBalancer; at: number }>();
    private readonly terminating = new Map<string, number>();
    private readonly injected = new Map<string, Error[]>();
    readonly ec2 = mockClient(EC2Client);
    readonly elbv2 = mockClient(ElasticLoadBalancingV2Client);

    constructor(private readonly options: FakeOptions = {}) {
        this.install();
    }

    /** The next `times` calls of `command` fail with `error` before doing anything. */
    failNext(command: string, error: Error, times = 1): void {
        const queue = this.injected.get(command) ?? [];
        for (let i = 0; i < times; i++) queue.push(error);
        this.injected.set(command, queue);
    }

    restore(): void {
        this.ec2.restore();
        this.elbv2.restore();
    }

    private injectedFailure(command: string): void {
        const error = this.injected.get(command)?.shift();
        if (error) throw error;
    }

    /** Fails like AWS; `refusal` errors (in use, not found on delete) are recorded, lookups of gone things not. */
    private raise(name: string, message: string, refusal = true): never {
        if (refusal) this.raised.push(`${name}: ${message}`);
        throw awsError(name, message);
    }

    private filter<T>(items: T[], filters: Filter[] | undefined, facts: (item: T) => Facts): T[] {
        return this.options.honourFilters === false ? items : items.filter((i) => matches(filters, facts(i)));
    }

    private get pageSize(): number {
        return this.options.pageSize ?? 2;
    }

    /** A deleted LB is still described for LB_DELETE_MS; its ENIs go away after LB_ENI_RELEASE_MS. */
    private tick(): void {
        for (const [arn, { lb, at }] of this.deletedLbs) {
            if (this.clock.t >= at + LB_ENI_RELEASE_MS) {
                const description = `ELB ${lb.type === "application" ? "app" : "net"}/${lb.name}/${arn.split("/").pop()}`;
                this.interfaces = this.interfaces.filter((n) => n.description !== description);
            }
        }
    }

    private lbVisible(arn: string): FakeLoadBalancer | undefined {
        const live = this.loadBalancers.find((lb) => lb.arn === arn);
        if (live) return live;
        const deleted = this.deletedLbs.get(arn);
        return deleted && this.clock.t < deleted.at + LB_DELETE_MS ? deleted.lb : undefined;
    }

    private instanceState(i: FakeInstance): string {
        const since = this.terminating.get(i.id);
        if (since === undefined) return i.state;
        return this.clock.t >= since + (i.terminationMs ?? DEFAULT_TERMINATION_MS) ? "terminated" : "shutting-down";
    }

    private sgFacts = (g: FakeSecurityGroup): Facts => ({
        id: g.id,
        vpcId: g.vpcId,
        tags: g.tags,
        ingressRefs: g.rules.filter((r) => !r.isEgress && r.referencedGroupId).map((r) => r.referencedGroupId as string),
        egressRefs: g.rules.filter((r) => r.isEgress && r.referencedGroupId).map((r) => r.referencedGroupId as string),
    });

    private install(): void {
        const { elbv2, ec2 } = this;

        elbv2.on(DescribeLoadBalancersCommand).callsFake(async (input: { LoadBalancerArns?: string[]; Marker?: string }) => {
            this.injectedFailure("DescribeLoadBalancers");
            this.tick();
            if (input.LoadBalancerArns) {
                const found = input.LoadBalancerArns.map((arn) => this.lbVisible(arn));
                if (found.some((lb) => lb === undefined))
                    this.raise("LoadBalancerNotFoundException", `One or more load balancers not found`, false);
                return {
                    LoadBalancers: found.map((lb) => ({
                        LoadBalancerArn: lb?.arn,
                        LoadBalancerName: lb?.name,
                        VpcId: lb?.vpcId,
                        Type: lb?.type,
                    })),
                };
            }
            const p = page(this.loadBalancers, input.Marker, this.pageSize);
            return {
                LoadBalancers: p.items.map((lb) => ({
                    LoadBalancerArn: lb.arn,
                    LoadBalancerName: lb.name,
                    VpcId: lb.vpcId,
                    Type: lb.type,
                })),
                NextMarker: p.next,
            };
        });
        elbv2.on(DescribeTargetGroupsCommand).callsFake(async (input: { Marker?: string }) => {
            this.injectedFailure("DescribeTargetGroups");
            const p = page(this.targetGroups, input.Marker, this.pageSize);
            return {
                TargetGroups: p.items.map((tg) => ({ TargetGroupArn: tg.arn, TargetGroupName: tg.name, VpcId: tg.vpcId })),
                NextMarker: p.next,
            };
        });
        elbv2.on(DescribeTagsCommand).callsFake(async (input: { ResourceArns?: string[] }) => {
            this.injectedFailure("DescribeTags");
            if ((input.ResourceArns?.length ?? 0) > 20) this.raise("ValidationError", "at most 20 resource ARNs");
            const all = [...this.loadBalancers, ...this.targetGroups];
            return {
                TagDescriptions: (input.ResourceArns ?? []).map((arn) => ({
                    ResourceArn: arn,
                    Tags: toTagList(all.find((r) => r.arn === arn)?.tags ?? {}),
                })),
            };
        });
        elbv2.on(DeleteLoadBalancerCommand).callsFake(async (input: { LoadBalancerArn?: string }) => {
            this.injectedFailure("DeleteLoadBalancer");
            const lb = this.loadBalancers.find((l) => l.arn === input.LoadBalancerArn);
            this.mutations.push(`DeleteLoadBalancer ${lb?.name ?? input.LoadBalancerArn}`);
            if (lb) {
                this.loadBalancers = this.loadBalancers.filter((l) => l !== lb);
                this.deletedLbs.set(lb.arn, { lb, at: this.clock.t });
            }
            return {};
        });
        elbv2.on(DeleteTargetGroupCommand).callsFake(async (input: { TargetGroupArn?: string }) => {
            this.injectedFailure("DeleteTargetGroup");
            const tg = this.targetGroups.find((t) => t.arn === input.TargetGroupArn);
            if (!tg) this.raise("TargetGroupNotFoundException", `target group ${input.TargetGroupArn} not found`);
            if (tg.loadBalancerArn && this.loadBalancers.some((lb) => lb.arn === tg.loadBalancerArn)) {
                this.raise("ResourceInUseException", `Target group '${tg.arn}' is currently in use by a listener or a rule`);
            }
            this.mutations.push(`DeleteTargetGroup ${tg.name}`);
            this.targetGroups = this.targetGroups.filter((t) => t !== tg);
            return {};
        });

        ec2.on(DescribeInstancesCommand).callsFake(async (input: { Filters?: Filter[]; NextToken?: string }) => {
            this.injectedFailure("DescribeInstances");
            const facts = (i: FakeInstance): Facts => ({ id: i.id, vpcId: i.vpcId, tags: i.tags, state: this.instanceState(i) });
            const p = page(this.filter(this.instances, input.Filters, facts), input.NextToken, this.pageSize);
            return {
                Reservations: [
                    {
                        Instances: p.items.map((i) => ({
                            InstanceId: i.id,
                            VpcId: i.vpcId,
                            State: { Name: this.instanceState(i) },
                            Tags: toTagList(i.tags),
                        })),
                    },
                ],
                NextToken: p.next,
            };
        });
        ec2.on(TerminateInstancesCommand).callsFake(async (input: { InstanceIds?: string[] }) => {
            this.injectedFailure("TerminateInstances");
            this.mutations.push(`TerminateInstances ${(input.InstanceIds ?? []).join(",")}`);
            for (const id of input.InstanceIds ?? []) {
                if (!this.instances.some((i) => i.id === id))
                    this.raise("InvalidInstanceID.NotFound", `The instance ID '${id}' does not exist`);
                if (!this.terminating.has(id)) this.terminating.set(id, this.clock.t);
            }
            return { TerminatingInstances: (input.InstanceIds ?? []).map((InstanceId) => ({ InstanceId })) };
        });
        ec2.on(DescribeSecurityGroupsCommand).callsFake(async (input: { Filters?: Filter[]; NextToken?: string }) => {
            this.injectedFailure("DescribeSecurityGroups");
            const p = page(this.filter(this.securityGroups, input.Filters, this.sgFacts), input.NextToken, this.pageSize);
            return {
                SecurityGroups: p.items.map((g) => ({ GroupId: g.id, GroupName: g.name, VpcId: g.vpcId, Tags: toTagList(g.tags) })),
                NextToken: p.next,
            };
        });
        ec2.on(DescribeSecurityGroupRulesCommand).callsFake(async (input: { Filters?: Filter[] }) => {
            this.injectedFailure("DescribeSecurityGroupRules");
            const groups = this.securityGroups.filter((g) => matches(input.Filters, { id: g.id, tags: g.tags }));
            return {
                SecurityGroupRules: groups.flatMap((g) =>
                    g.rules.map((r) => ({
                        SecurityGroupRuleId: r.id,
                        GroupId: g.id,
                        IsEgress: r.isEgress,
                        ...(r.referencedGroupId ? { ReferencedGroupInfo: { GroupId: r.referencedGroupId } } : {}),
                    })),
                ),
            };
        });
        const revoke = (command: string, egress: boolean) => async (input: { GroupId?: string; SecurityGroupRuleIds?: string[] }) => {
            this.injectedFailure(command);
            const group = this.securityGroups.find((g) => g.id === input.GroupId);
            if (!group) this.raise("InvalidGroup.NotFound", `The security group '${input.GroupId}' does not exist`);
            for (const id of input.SecurityGroupRuleIds ?? []) {
                if (!group.rules.some((r) => r.id === id && r.isEgress === egress))
                    this.raise("InvalidSecurityGroupRuleId.NotFound", `rule ${id} not found in ${group.id}`);
            }
            this.mutations.push(`${command} ${group.id} ${(input.SecurityGroupRuleIds ?? []).join(",")}`);
            group.rules = group.rules.filter((r) => !(input.SecurityGroupRuleIds ?? []).includes(r.id));
            return { Return: true };
        };
        ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revoke("RevokeSecurityGroupIngress", false));
        ec2.on(RevokeSecurityGroupEgressCommand).callsFake(revoke("RevokeSecurityGroupEgress", true));
        ec2.on(DeleteSecurityGroupCommand).callsFake(async (input: { GroupId?: string }) => {
            this.injectedFailure("DeleteSecurityGroup");
            this.tick();
            const group = this.securityGroups.find((g) => g.id === input.GroupId);
            if (!group) this.raise("InvalidGroup.NotFound", `The security group '${input.GroupId}' does not exist`);
            const referencedBy = this.securityGroups.find((g) => g !== group && g.rules.some((r) => r.referencedGroupId === group.id));
            if (referencedBy)
                this.raise("DependencyViolation", `resource ${group.id} has a dependent object (a rule in ${referencedBy.id})`);
            const usedBy = this.interfaces.find((n) => n.securityGroupIds.includes(group.id));
            if (usedBy) this.raise("DependencyViolation", `resource ${group.id} has a dependent object (${usedBy.id})`);
            this.mutations.push(`DeleteSecurityGroup ${group.id}`);
            this.securityGroups = this.securityGroups.filter((g) => g !== group);
            return {};
        });
        ec2.on(DescribeNetworkInterfacesCommand).callsFake(async (input: { Filters?: Filter[]; NextToken?: string }) => {
            this.injectedFailure("DescribeNetworkInterfaces");
            this.tick();
            const facts = (n: FakeInterface): Facts => ({
                id: n.id,
                vpcId: n.vpcId,
                tags: n.tags,
                status: n.status,
                description: n.description,
            });
            const p = page(this.filter(this.interfaces, input.Filters, facts), input.NextToken, this.pageSize);
            return {
                NetworkInterfaces: p.items.map((n) => ({
                    NetworkInterfaceId: n.id,
                    VpcId: n.vpcId,
                    Status: n.status,
                    Description: n.description,
                    TagSet: toTagList(n.tags),
                })),
                NextToken: p.next,
            };
        });
        ec2.on(DeleteNetworkInterfaceCommand).callsFake(async (input: { NetworkInterfaceId?: string }) => {
            this.injectedFailure("DeleteNetworkInterface");
            const eni = this.interfaces.find((n) => n.id === input.NetworkInterfaceId);
            if (!eni)
                this.raise("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${input.NetworkInterfaceId}' does not exist`);
            if (eni.status !== "available")
                this.raise("InvalidNetworkInterface.InUse", `Network interface '${eni.id}' is currently in use`);
            this.mutations.push(`DeleteNetworkInterface ${eni.id}`);
            this.interfaces = this.interfaces.filter((n) => n !== eni);
            return {};
        });
        ec2.on(DescribeSubnetsCommand).callsFake(async (input: { Filters?: Filter[] }) => {
            this.injectedFailure("DescribeSubnets");
            return {
                Subnets: this.subnets
                    .filter((s) => matches(input.Filters, { id: s.id, vpcId: s.vpcId, tags: s.tags }))
                    .map((s) => ({ SubnetId: s.id, VpcId: s.vpcId, Tags: toTagList(s.tags) })),
            };
        });
    }
}

/**
 * A realistic leftover scene for `cluster` in `vpc`: what the LB controller, Karpenter and the VPC CNI leave, plus
 * look-alikes that must survive (another cluster's, untagged, hand-made, a managed node group's, another VPC's).
 */
export function seedLeftovers(fake: FakeAws, cluster: string, vpc = "vpc-mine"): void {
    const lbArn = (type: "app" | "net", name: string, id: string) =>
        `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/${type}/${name}/${id}`;
    const tgArn = (name: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}/0123456789abcdef`;
    const lbc = (stack: Record<string, string>) => ({ "elbv2.k8s.aws/cluster": cluster, ...stack });
    const karpenter = (c: string) => ({
        "karpenter.sh/nodepool": "general",
        "karpenter.sh/nodeclaim": "general-x1",
        [`kubernetes.io/cluster/${c}`]: "owned",
        "eks:eks-cluster-name": c,
    });

    fake.loadBalancers = [
        {
            arn: lbArn("app", "k8s-web-ingress", "aaa111"),
            name: "k8s-web-ingress",
            vpcId: vpc,
            type: "application",
            tags: lbc({ "ingress.k8s.aws/stack": "web/site" }),
        },
        {
            arn: lbArn("net", "k8s-ingressn-nginx", "bbb222"),
            name: "k8s-ingressn-nginx",
            vpcId: vpc,
            type: "network",
            tags: lbc({ "service.k8s.aws/stack": "ingress-nginx/ingress-nginx-controller" }),
        },
        {
            arn: lbArn("app", "other-cluster-alb", "ccc333"),
            name: "other-cluster-alb",
            vpcId: vpc,
            type: "application",
            tags: { "elbv2.k8s.aws/cluster": "someone-else", "ingress.k8s.aws/stack": "a/b" },
        },
        { arn: lbArn("app", "untagged-alb", "ddd444"), name: "untagged-alb", vpcId: vpc, type: "application", tags: {} },
        {
            arn: lbArn("net", "hand-made-nlb", "eee555"),
            name: "hand-made-nlb",
            vpcId: vpc,
            type: "network",
            tags: { "elbv2.k8s.aws/cluster": cluster },
        },
        {
            arn: lbArn("app", "same-name-other-vpc", "fff666"),
            name: "same-name-other-vpc",
            vpcId: "vpc-other",
            type: "application",
            tags: lbc({ "ingress.k8s.aws/stack": "web/site" }),
        },
    ];
    fake.targetGroups = [
        {
            arn: tgArn("k8s-web-site"),
            name: "k8s-web-site",
            vpcId: vpc,
            tags: lbc({ "ingress.k8s.aws/stack": "web/site" }),
            loadBalancerArn: lbArn("app", "k8s-web-ingress", "aaa111"),
        },
        {
            arn: tgArn("k8s-ingressn-nginx"),
            name: "k8s-ingressn-nginx",
            vpcId: vpc,
            tags: lbc({ "service.k8s.aws/stack": "ingress-nginx/ingress-nginx-controller" }),
            loadBalancerArn: lbArn("net", "k8s-ingressn-nginx", "bbb222"),
        },
        {
            arn: tgArn("other-cluster-tg"),
            name: "other-cluster-tg",
            vpcId: vpc,
            tags: { "elbv2.k8s.aws/cluster": "someone-else", "ingress.k8s.aws/stack": "a/b" },
        },
        { arn: tgArn("untagged-tg"), name: "untagged-tg", vpcId: vpc, tags: {} },
    ];
    fake.instances = [
        { id: "i-karpenter1", vpcId: vpc, state: "running", tags: karpenter(cluster) },
        { id: "i-karpenter2", vpcId: vpc, state: "pending", tags: karpenter(cluster) },
        {
            id: "i-system1",
            vpcId: vpc,
            state: "running",
            tags: { [`kubernetes.io/cluster/${cluster}`]: "owned", "eks:nodegroup-name": "system-1", "eks:cluster-name": cluster },
        },
        { id: "i-othercluster", vpcId: vpc, state: "running", tags: karpenter("someone-else") },
        { id: "i-untagged", vpcId: vpc, state: "running", tags: {} },
        { id: "i-gone", vpcId: vpc, state: "terminated", tags: karpenter(cluster) },
    ];
    fake.securityGroups = [
        {
            id: "sg-frontend",
            name: "k8s-web-site-1a2b3c",
            vpcId: vpc,
            tags: lbc({ "ingress.k8s.aws/stack": "web/site", "ingress.k8s.aws/resource": "ManagedLBSecurityGroup" }),
            rules: [{ id: "sgr-front-in", isEgress: false }],
        },
        {
            id: "sg-backend",
            name: `k8s-traffic-${cluster}-9f8e7d`,
            vpcId: vpc,
            tags: { "elbv2.k8s.aws/cluster": cluster, "elbv2.k8s.aws/resource": "backend-sg" },
            rules: [{ id: "sgr-back-out", isEgress: true }],
        },
        {
            id: "sg-cluster",
            name: `eks-cluster-sg-${cluster}`,
            vpcId: vpc,
            tags: { "aws:eks:cluster-name": cluster, [`kubernetes.io/cluster/${cluster}`]: "owned" },
            rules: [
                { id: "sgr-from-backend", isEgress: false, referencedGroupId: "sg-backend" },
                { id: "sgr-self", isEgress: false, referencedGroupId: "sg-cluster" },
            ],
        },
        {
            id: "sg-othercluster",
            name: "k8s-traffic-someone-else",
            vpcId: vpc,
            tags: { "elbv2.k8s.aws/cluster": "someone-else", "elbv2.k8s.aws/resource": "backend-sg" },
            rules: [],
        },
        { id: "sg-untagged", name: "hand-made", vpcId: vpc, tags: {}, rules: [] },
    ];
    fake.interfaces = [
        {
            id: "eni-alb1",
            vpcId: vpc,
            status: "in-use",
            description: "ELB app/k8s-web-ingress/aaa111",
            tags: {},
            securityGroupIds: ["sg-frontend", "sg-backend"],
        },
        {
            id: "eni-nlb1",
            vpcId: vpc,
            status: "in-use",
            description: "ELB net/k8s-ingressn-nginx/bbb222",
            tags: {},
            securityGroupIds: ["sg-backend"],
        },
        {
            id: "eni-leaked",
            vpcId: vpc,
            status: "available",
            description: "aws-K8S-i-0dead",
            tags: { "cluster.k8s.amazonaws.com/name": cluster, "node.k8s.amazonaws.com/instance_id": "i-0dead" },
            securityGroupIds: ["sg-cluster"],
        },
        {
            id: "eni-attached",
            vpcId: vpc,
            status: "in-use",
            description: "aws-K8S-i-system1",
            tags: { "cluster.k8s.amazonaws.com/name": cluster, "node.k8s.amazonaws.com/instance_id": "i-system1" },
            securityGroupIds: ["sg-cluster"],
        },
        {
            id: "eni-othercluster",
            vpcId: vpc,
            status: "available",
            description: "aws-K8S-i-0other",
            tags: { "cluster.k8s.amazonaws.com/name": "someone-else" },
            securityGroupIds: [],
        },
        { id: "eni-untagged", vpcId: vpc, status: "available", description: "hand-made", tags: {}, securityGroupIds: [] },
        {
            id: "eni-othervpc",
            vpcId: "vpc-other",
            status: "available",
            description: "aws-K8S-i-0far",
            tags: { "cluster.k8s.amazonaws.com/name": cluster },
            securityGroupIds: [],
        },
    ];
    fake.subnets = [
        { id: "subnet-a", vpcId: vpc, tags: { "karpenter.sh/discovery": cluster } },
        { id: "subnet-b", vpcId: vpc, tags: { "karpenter.sh/discovery": cluster } },
        { id: "subnet-x", vpcId: "vpc-other", tags: { "karpenter.sh/discovery": "someone-else" } },
    ];
}

/** The mutating calls a correct sweep of `seedLeftovers` makes, in order. */
export const EXPECTED_MUTATIONS = [
    "DeleteLoadBalancer k8s-web-ingress",
    "DeleteLoadBalancer k8s-ingressn-nginx",
    "DeleteTargetGroup k8s-web-site",
    "DeleteTargetGroup k8s-ingressn-nginx",
    "TerminateInstances i-karpenter1,i-karpenter2",
    "RevokeSecurityGroupIngress sg-cluster sgr-from-backend",
    "DeleteSecurityGroup sg-frontend",
    "DeleteSecurityGroup sg-backend",
    "DeleteNetworkInterface eni-leaked",
];

/**
 * What the LB controller leaves for Gateways (tags per pkg/deploy/tracking/provider.go at v3.5.0: the cluster tag,
 * `<prefix>/stack=<namespace>/<gateway>` and `<prefix>/resource`): a shared ALB Gateway with its target group and
 * frontend security group, a team's NLB Gateway with its target group; and look-alikes that must survive (another
 * cluster's Gateway ALB, a Gateway-tagged one without the cluster tag).
 */
export function seedGatewayLeftovers(fake: FakeAws, cluster: string, vpc = "vpc-mine"): void {
    const lbArn = (type: "app" | "net", name: string, id: string) =>
        `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/${type}/${name}/${id}`;
    const tgArn = (name: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}/0123456789abcdef`;
    const alb = (resource: string) => ({
        "elbv2.k8s.aws/cluster": cluster,
        "gateway.k8s.aws.alb/stack": "gateway-system/internet-facing",
        "gateway.k8s.aws.alb/resource": resource,
    });
    const nlb = (resource: string) => ({
        "elbv2.k8s.aws/cluster": cluster,
        "gateway.k8s.aws.nlb/stack": "team-a/tcp",
        "gateway.k8s.aws.nlb/resource": resource,
    });
    fake.loadBalancers = [
        {
            arn: lbArn("app", "k8s-gateways-internet", "aaa111"),
            name: "k8s-gateways-internet",
            vpcId: vpc,
            type: "application",
            tags: alb("LoadBalancer"),
        },
        { arn: lbArn("net", "k8s-teama-tcp", "bbb222"), name: "k8s-teama-tcp", vpcId: vpc, type: "network", tags: nlb("LoadBalancer") },
        {
            arn: lbArn("app", "other-cluster-gateway", "ccc333"),
            name: "other-cluster-gateway",
            vpcId: vpc,
            type: "application",
            tags: { ...alb("LoadBalancer"), "elbv2.k8s.aws/cluster": "someone-else" },
        },
        {
            arn: lbArn("app", "no-cluster-tag", "ddd444"),
            name: "no-cluster-tag",
            vpcId: vpc,
            type: "application",
            tags: { "gateway.k8s.aws.alb/stack": "gateway-system/internal" },
        },
    ];
    fake.targetGroups = [
        {
            arn: tgArn("k8s-monitori-grafana"),
            name: "k8s-monitori-grafana",
            vpcId: vpc,
            tags: alb("monitoring/grafana:80"),
            loadBalancerArn: lbArn("app", "k8s-gateways-internet", "aaa111"),
        },
        {
            arn: tgArn("k8s-teama-tcp"),
            name: "k8s-teama-tcp",
            vpcId: vpc,
            tags: nlb("team-a/tcp-svc:9000"),
            loadBalancerArn: lbArn("net", "k8s-teama-tcp", "bbb222"),
        },
    ];
    fake.instances = [];
    fake.securityGroups = [
        { id: "sg-gateway-frontend", name: "k8s-gateways-internet-1a2b", vpcId: vpc, tags: alb("ManagedLBSecurityGroup"), rules: [] },
        { id: "sg-hand-made", name: "hand-made", vpcId: vpc, tags: {}, rules: [] },
    ];
    fake.interfaces = [
        {
            id: "eni-gateway-alb",
            vpcId: vpc,
            status: "in-use",
            description: "ELB app/k8s-gateways-internet/aaa111",
            tags: {},
            securityGroupIds: ["sg-gateway-frontend"],
        },
    ];
    fake.subnets = [{ id: "subnet-a", vpcId: vpc, tags: { "karpenter.sh/discovery": cluster } }];
}
