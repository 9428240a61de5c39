// The few EC2 and ELBv2 calls the sweep makes, with pagination, on AWS SDK for JavaScript v3 clients. The SDK is
// loaded here, lazily, the first time a sweep runs: planning and `pulumi up` never load it.
import type { EC2Client, Filter } from "@aws-sdk/client-ec2";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { isNotFound } from "./retry";
import { tagMap, type Tags } from "./tags";

/** The clients a sweep uses; tests inject their own (aws-sdk-client-mock mocks them). */
export interface SweepClients {
    ec2: EC2Client;
    elbv2: ElasticLoadBalancingV2Client;
}

type Ec2Module = typeof import("@aws-sdk/client-ec2");
type Elbv2Module = typeof import("@aws-sdk/client-elastic-load-balancing-v2");

export interface LoadBalancerInfo {
    arn: string;
    name: string;
    vpcId: string | undefined;
    /** "application", "network" or "gateway". */
    type: string | undefined;
}

export interface TargetGroupInfo {
    arn: string;
    name: string;
    vpcId: string | undefined;
}

export interface InstanceInfo {
    id: string;
    state: string | undefined;
    vpcId: string | undefined;
    tags: Tags;
}

export interface SecurityGroupInfo {
    id: string;
    name: string;
    vpcId: string | undefined;
    tags: Tags;
}

export interface SecurityGroupRuleRef {
    /** The group the rule belongs to. */
    groupId: string;
    ruleId: string;
    isEgress: boolean;
}

export interface NetworkInterfaceInfo {
    id: string;
    status: string | undefined;
    vpcId: string | undefined;
    description: string;
    tags: Tags;
}

/** ELBv2 DescribeTags takes at most 20 ARNs a call. */
const ELB_TAGS_BATCH = 20;
/** Keep TerminateInstances/DescribeInstances id lists well under EC2's limits. */
const INSTANCE_BATCH = 100;

function chunks<T>(items: readonly T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
}

export class SweepAws {
    private constructor(
        private readonly clients: SweepClients,
        private readonly ec2: Ec2Module,
        private readonly elbv2: Elbv2Module,
    ) {}

    /** Loads the SDK and makes clients for `region` with the default credential chain, unless clients are given. */
    static async load(region: string, clients?: Partial<SweepClients>): Promise<SweepAws> {
        const [ec2, elbv2] = await Promise.all([import("@aws-sdk/client-ec2"), import("@aws-sdk/client-elastic-load-balancing-v2")]);
        return new SweepAws(
            {
                ec2: clients?.ec2 ?? new ec2.EC2Client({ region }),
                elbv2: clients?.elbv2 ?? new elbv2.ElasticLoadBalancingV2Client({ region }),
            },
            ec2,
            elbv2,
        );
    }

    // --- ELBv2

    async listLoadBalancers(): Promise<LoadBalancerInfo[]> {
        const out: LoadBalancerInfo[] = [];
        let Marker: string | undefined;
        do {
            const page = await this.clients.elbv2.send(new this.elbv2.DescribeLoadBalancersCommand({ Marker }));
            for (const lb of page.LoadBalancers ?? []) {
                if (lb.LoadBalancerArn)
                    out.push({ arn: lb.LoadBalancerArn, name: lb.LoadBalancerName ?? lb.LoadBalancerArn, vpcId: lb.VpcId, type: lb.Type });
            }
            Marker = page.NextMarker;
        } while (Marker);
        return out;
    }

    async listTargetGroups(): Promise<TargetGroupInfo[]> {
        const out: TargetGroupInfo[] = [];
        let Marker: string | undefined;
        do {
            const page = await this.clients.elbv2.send(new this.elbv2.DescribeTargetGroupsCommand({ Marker }));
            for (const tg of page.TargetGroups ?? []) {
                if (tg.TargetGroupArn) out.push({ arn: tg.TargetGroupArn, name: tg.TargetGroupName ?? tg.TargetGroupArn, vpcId: tg.VpcId });
            }
            Marker = page.NextMarker;
        } while (Marker);
        return out;
    }

    /** Tags of load balancers or target groups, by ARN. */
    async elbTags(arns: readonly string[]): Promise<Map<string, Tags>> {
        const out = new Map<string, Tags>();
        for (const batch of chunks(arns, ELB_TAGS_BATCH)) {
            const page = await this.clients.elbv2.send(new this.elbv2.DescribeTagsCommand({ ResourceArns: batch }));
            for (const d of page.TagDescriptions ?? []) if (d.ResourceArn) out.set(d.ResourceArn, tagMap(d.Tags));
        }
        return out;
    }

    async deleteLoadBalancer(arn: string): Promise<void> {
        await this.clients.elbv2.send(new this.elbv2.DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
    }

    /** False once DescribeLoadBalancers no longer knows the ARN. */
    async loadBalancerExists(arn: string): Promise<boolean> {
        try {
            const page = await this.clients.elbv2.send(new this.elbv2.DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }));
            return (page.LoadBalancers ?? []).some((lb) => lb.LoadBalancerArn === arn);
        } catch (err) {
            if (isNotFound(err)) return false;
            throw err;
        }
    }

    async deleteTargetGroup(arn: string): Promise<void> {
        await this.clients.elbv2.send(new this.elbv2.DeleteTargetGroupCommand({ TargetGroupArn: arn }));
    }

    // --- EC2

    async findInstances(filters: Filter[]): Promise<InstanceInfo[]> {
        const out: InstanceInfo[] = [];
        let NextToken: string | undefined;
        do {
            const page = await this.clients.ec2.send(new this.ec2.DescribeInstancesCommand({ Filters: filters, NextToken }));
            for (const reservation of page.Reservations ?? []) {
                for (const i of reservation.Instances ?? []) {
                    if (i.InstanceId) out.push({ id: i.InstanceId, state: i.State?.Name, vpcId: i.VpcId, tags: tagMap(i.Tags) });
                }
            }
            NextToken = page.NextToken;
        } while (NextToken);
        return out;
    }

    async terminateInstances(ids: readonly string[]): Promise<void> {
        for (const batch of chunks(ids, INSTANCE_BATCH))
            await this.clients.ec2.send(new this.ec2.TerminateInstancesCommand({ InstanceIds: batch }));
    }

    /** Current state of each instance, by id; ids EC2 no longer reports are absent. */
    async instanceStates(ids: readonly string[]): Promise<Map<string, string | undefined>> {
        const out = new Map<string, string | undefined>();
        for (const batch of chunks(ids, INSTANCE_BATCH)) {
            for (const i of await this.findInstances([{ Name: "instance-id", Values: batch }])) out.set(i.id, i.state);
        }
        return out;
    }

    async findSecurityGroups(filters: Filter[]): Promise<SecurityGroupInfo[]> {
        const out: SecurityGroupInfo[] = [];
        let NextToken: string | undefined;
        do {
            const page = await this.clients.ec2.send(new this.ec2.DescribeSecurityGroupsCommand({ Filters: filters, NextToken }));
            for (const g of page.SecurityGroups ?? []) {
                if (g.GroupId) out.push({ id: g.GroupId, name: g.GroupName ?? g.GroupId, vpcId: g.VpcId, tags: tagMap(g.Tags) });
            }
            NextToken = page.NextToken;
        } while (NextToken);
        return out;
    }

    /** Rules in other groups of the VPC whose source or destination is `groupId` (they block its deletion). */
    async rulesReferencing(vpcId: string, groupId: string): Promise<SecurityGroupRuleRef[]> {
        const referencing = new Set<string>();
        for (const name of ["ip-permission.group-id", "egress.ip-permission.group-id"]) {
            for (const g of await this.findSecurityGroups([
                { Name: "vpc-id", Values: [vpcId] },
                { Name: name, Values: [groupId] },
            ]))
                referencing.add(g.id);
        }
        if (referencing.size === 0) return [];
        const out: SecurityGroupRuleRef[] = [];
        let NextToken: string | undefined;
        do {
            const page = await this.clients.ec2.send(
                new this.ec2.DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [...referencing] }], NextToken }),
            );
            for (const rule of page.SecurityGroupRules ?? []) {
                if (rule.SecurityGroupRuleId && rule.GroupId && rule.ReferencedGroupInfo?.GroupId === groupId) {
                    out.push({ groupId: rule.GroupId, ruleId: rule.SecurityGroupRuleId, isEgress: rule.IsEgress === true });
                }
            }
            NextToken = page.NextToken;
        } while (NextToken);
        return out;
    }

    async revokeRule(rule: SecurityGroupRuleRef): Promise<void> {
        const input = { GroupId: rule.groupId, SecurityGroupRuleIds: [rule.ruleId] };
        if (rule.isEgress) await this.clients.ec2.send(new this.ec2.RevokeSecurityGroupEgressCommand(input));
        else await this.clients.ec2.send(new this.ec2.RevokeSecurityGroupIngressCommand(input));
    }

    async deleteSecurityGroup(id: string): Promise<void> {
        await this.clients.ec2.send(new this.ec2.DeleteSecurityGroupCommand({ GroupId: id }));
    }

    async findNetworkInterfaces(filters: Filter[]): Promise<NetworkInterfaceInfo[]> {
        const out: NetworkInterfaceInfo[] = [];
        let NextToken: string | undefined;
        do {
            const page = await this.clients.ec2.send(new this.ec2.DescribeNetworkInterfacesCommand({ Filters: filters, NextToken }));
            for (const n of page.NetworkInterfaces ?? []) {
                if (n.NetworkInterfaceId) {
                    out.push({
                        id: n.NetworkInterfaceId,
                        status: n.Status,
                        vpcId: n.VpcId,
                        description: n.Description ?? "",
                        tags: tagMap(n.TagSet),
                    });
                }
            }
            NextToken = page.NextToken;
        } while (NextToken);
        return out;
    }

    /** The VPCs of the subnets tagged `tagKey=tagValue`, e.g. the cluster's `karpenter.sh/discovery` subnets. */
    async vpcsOfSubnetsTagged(tagKey: string, tagValue: string): Promise<string[]> {
        const vpcs = new Set<string>();
        let NextToken: string | undefined;
        do {
            const page = await this.clients.ec2.send(
                new this.ec2.DescribeSubnetsCommand({ Filters: [{ Name: `tag:${tagKey}`, Values: [tagValue] }], NextToken }),
            );
            for (const subnet of page.Subnets ?? []) if (subnet.VpcId) vpcs.add(subnet.VpcId);
            NextToken = page.NextToken;
        } while (NextToken);
        return [...vpcs].sort();
    }

    async deleteNetworkInterface(id: string): Promise<void> {
        await this.clients.ec2.send(new this.ec2.DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id }));
    }
}

/**
 * The description ELB gives the ENIs of a load balancer: "ELB app/<name>/<id>" or "ELB net/<name>/<id>", the tail
 * of its ARN. They are requester-managed (we cannot delete them) and linger for a while after the load balancer is
 * deleted; until they are gone the subnets and the security groups stay in use.
 */
export function loadBalancerInterfaceDescription(arn: string): string | undefined {
    const m = /:loadbalancer\/((?:app|net|gwy)\/[^/]+\/[^/]+)$/.exec(arn);
    return m ? `ELB ${m[1]}` : undefined;
}
