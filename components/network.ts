// eks-platform:network:Network — the VPC the cluster lives in: public and private subnets per AZ (planned by
// lib/cidr.ts), optional pod subnets from a secondary CIDR, internet and NAT gateways, route tables,
// discovery tags, flow logs to CloudWatch and VPC endpoints.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig, PlatformConfig } from "../stacks/config";
import { planSubnets, type SubnetPlan } from "../lib/cidr";
import { subnetTags } from "../lib/subnets";
import type { AccountContext } from "./lib/context";
import type { NetworkOutputs } from "./lib/contracts";
import { policyDocument, type PolicyDocument } from "./lib/iam";
import { vpcSweepHook } from "./lib/destroy-hooks";

// The role tags are shared data (lib/subnets.ts): the Gateways select their subnets by them.
export { subnetTags };

export interface NetworkArgs {
    /** The account, region and cluster name (value of the karpenter.sh/discovery tag on private subnets). */
    ctx: AccountContext;
    /** The stack's network settings. */
    config: PlatformConfig["network"];
}

/** How many NAT gateways a mode makes for `azCount` zones. */
export function natGatewayCount(mode: NetworkConfig["natGateways"], azCount: number): number {
    return mode === "perAz" ? azCount : mode === "single" ? 1 : 0;
}

/** The NAT gateway (index) each private route table sends 0.0.0.0/0 to; undefined without NAT. */
export function natGatewayForZone(mode: NetworkConfig["natGateways"], zoneIndex: number): number | undefined {
    return mode === "perAz" ? zoneIndex : mode === "single" ? 0 : undefined;
}

/** Trust policy of the flow-log delivery role, limited to this account's flow logs (confused deputy). */
export function flowLogsTrustPolicy(accountId: string, partition: string, region: string): PolicyDocument {
    return policyDocument({
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${region}:${accountId}:vpc-flow-log/*` },
        },
    });
}

/** What the flow-log role may do: write streams of its one log group. */
export function flowLogsDeliveryPolicy(logGroupArn: string): PolicyDocument {
    return policyDocument({
        Sid: "WriteFlowLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
    });
}

export class Network extends pulumi.ComponentResource implements NetworkOutputs {
    readonly vpc: aws.ec2.Vpc;
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidr: string;
    readonly availabilityZones: pulumi.Output<string[]>;
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly podSubnets: { availabilityZone: pulumi.Output<string>; subnetId: pulumi.Output<string> }[];
    /** The subnet plan (CIDR per AZ and role) this network was built from. */
    readonly plan: SubnetPlan;
    readonly privateRouteTableIds: pulumi.Output<string>[];
    readonly natGatewayIds: pulumi.Output<string>[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:network:Network", name, {}, opts);
        const { config, ctx } = args;
        const { clusterName } = ctx;
        const parent = { parent: this };
        const named = (suffix: string) => ({ Name: `${clusterName}-${suffix}` });

        this.plan = planSubnets({
            vpcCidr: config.vpcCidr,
            azCount: config.azCount,
            publicSubnetPrefix: config.publicSubnetPrefix,
            privateSubnetPrefix: config.privateSubnetPrefix,
            podCidr: config.podCidr,
        });
        this.vpcCidr = config.vpcCidr;

        const explicitZones = config.availabilityZones;
        this.availabilityZones = explicitZones
            ? pulumi.output([...explicitZones])
            : aws
                  .getAvailabilityZonesOutput(
                      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
                      parent,
                  )
                  .names.apply((names) => {
                      if (names.length < config.azCount)
                          throw new Error(`region ${ctx.region} has ${names.length} zones, azCount is ${config.azCount}`);
                      return names.slice(0, config.azCount);
                  });
        const zone = (i: number) => this.availabilityZones.apply((zones) => zones[i] as string);

        this.vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: config.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: named("vpc") },
            // A second, cheap sweep pass before the VPC goes: leftover controller security groups and detached ENIs.
            { parent: this, hooks: { beforeDelete: [vpcSweepHook({ clusterName, region: ctx.region })] } },
        );
        this.vpcId = this.vpc.id;
        // The default security group is adopted and emptied so nothing can use it by accident (CIS AWS 5.4).
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            { vpcId: this.vpc.id, ingress: [], egress: [], tags: named("default-deny") },
            parent,
        );

        const internetGateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id, tags: named("igw") }, parent);

        const publicSubnets = this.plan.public.map(
            (cidrBlock, i) =>
                new aws.ec2.Subnet(
                    `${name}-public-${i}`,
                    {
                        vpcId: this.vpc.id,
                        cidrBlock,
                        availabilityZone: zone(i),
                        mapPublicIpOnLaunch: false,
                        tags: { ...named(`public-${i}`), ...subnetTags("public", clusterName) },
                    },
                    parent,
                ),
        );
        const privateSubnets = this.plan.private.map(
            (cidrBlock, i) =>
                new aws.ec2.Subnet(
                    `${name}-private-${i}`,
                    {
                        vpcId: this.vpc.id,
                        cidrBlock,
                        availabilityZone: zone(i),
                        mapPublicIpOnLaunch: false,
                        tags: { ...named(`private-${i}`), ...subnetTags("private", clusterName) },
                    },
                    parent,
                ),
        );
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);

        const publicRouteTable = new aws.ec2.RouteTable(`${name}-public`, { vpcId: this.vpc.id, tags: named("public") }, parent);
        new aws.ec2.Route(
            `${name}-public-internet`,
            { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id },
            parent,
        );
        publicSubnets.forEach(
            (subnet, i) =>
                new aws.ec2.RouteTableAssociation(
                    `${name}-public-${i}`,
                    { subnetId: subnet.id, routeTableId: publicRouteTable.id },
                    parent,
                ),
        );

        const natGateways = Array.from({ length: natGatewayCount(config.natGateways, config.azCount) }, (_, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: named(`nat-${i}`) }, parent);
            return new aws.ec2.NatGateway(
                `${name}-nat-${i}`,
                {
                    allocationId: eip.id,
                    subnetId: publicSubnets[i]?.id ?? this.publicSubnetIds[0],
                    connectivityType: "public",
                    tags: named(`nat-${i}`),
                },
                { parent: this, dependsOn: [internetGateway] },
            );
        });
        this.natGatewayIds = natGateways.map((n) => n.id);

        // One private route table per zone whatever the NAT mode, so switching modes changes routes, not associations.
        const privateRouteTables = privateSubnets.map((subnet, i) => {
            const table = new aws.ec2.RouteTable(`${name}-private-${i}`, { vpcId: this.vpc.id, tags: named(`private-${i}`) }, parent);
            new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: table.id }, parent);
            const nat = natGatewayForZone(config.natGateways, i);
            const natGateway = nat === undefined ? undefined : natGateways[nat];
            if (natGateway)
                new aws.ec2.Route(
                    `${name}-private-${i}-nat`,
                    { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: natGateway.id },
                    parent,
                );
            return table;
        });
        this.privateRouteTableIds = privateRouteTables.map((t) => t.id);

        this.podSubnets = [];
        if (config.podCidr) {
            const association = new aws.ec2.VpcIpv4CidrBlockAssociation(
                `${name}-pod-cidr`,
                { vpcId: this.vpc.id, cidrBlock: config.podCidr },
                parent,
            );
            this.plan.pod.forEach((cidrBlock, i) => {
                const subnet = new aws.ec2.Subnet(
                    `${name}-pod-${i}`,
                    {
                        vpcId: association.vpcId,
                        cidrBlock,
                        availabilityZone: zone(i),
                        mapPublicIpOnLaunch: false,
                        tags: { ...named(`pod-${i}`), ...subnetTags("pod", clusterName) },
                    },
                    { parent: this, dependsOn: [association] },
                );
                const table = privateRouteTables[i];
                if (table) new aws.ec2.RouteTableAssociation(`${name}-pod-${i}`, { subnetId: subnet.id, routeTableId: table.id }, parent);
                this.podSubnets.push({ availabilityZone: subnet.availabilityZone, subnetId: subnet.id });
            });
        }

        if (config.flowLogs.enabled) this.flowLogs(name, args);
        this.endpoints(name, args, [publicRouteTable, ...privateRouteTables], privateSubnets);

        this.registerOutputs({
            vpcId: this.vpcId,
            vpcCidr: this.vpcCidr,
            availabilityZones: this.availabilityZones,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            podSubnetIds: this.podSubnets.map((s) => s.subnetId),
            natGatewayIds: this.natGatewayIds,
        });
    }

    private flowLogs(name: string, args: NetworkArgs): void {
        const parent = { parent: this };
        const flow = args.config.flowLogs;
        const { clusterName, partition, region } = args.ctx;
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { name: `/aws/vpc/${clusterName}/flow-logs`, retentionInDays: flow.retentionDays },
            parent,
        );
        const role = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                description: `Delivers VPC flow logs of ${clusterName} to CloudWatch Logs`,
                assumeRolePolicy: args.ctx.accountId.apply((accountId) =>
                    JSON.stringify(flowLogsTrustPolicy(accountId, partition, region)),
                ),
            },
            parent,
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            { role: role.name, policy: logGroup.arn.apply((arn) => JSON.stringify(flowLogsDeliveryPolicy(arn))) },
            parent,
        );
        new aws.ec2.FlowLog(
            `${name}-flow-logs`,
            {
                vpcId: this.vpc.id,
                trafficType: flow.trafficType,
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: { Name: `${clusterName}-flow-logs` },
            },
            parent,
        );
    }

    private endpoints(name: string, args: NetworkArgs, routeTables: aws.ec2.RouteTable[], privateSubnets: aws.ec2.Subnet[]): void {
        const parent = { parent: this };
        const { endpoints } = args.config;
        const service = (s: string) => `com.amazonaws.${args.ctx.region}.${s}`;
        if (endpoints.s3Gateway) {
            new aws.ec2.VpcEndpoint(
                `${name}-s3`,
                {
                    vpcId: this.vpc.id,
                    serviceName: service("s3"),
                    vpcEndpointType: "Gateway",
                    routeTableIds: routeTables.map((t) => t.id),
                    tags: { Name: `${args.ctx.clusterName}-s3` },
                },
                parent,
            );
        }
        if (endpoints.interface.length === 0) return;
        const sources = [args.config.vpcCidr, ...(args.config.podCidr ? [args.config.podCidr] : [])];
        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-endpoints`,
            {
                vpcId: this.vpc.id,
                description: "HTTPS from the VPC to its interface endpoints",
                ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: sources, description: "HTTPS from the VPC" }],
                tags: { Name: `${args.ctx.clusterName}-endpoints` },
            },
            parent,
        );
        for (const endpoint of endpoints.interface) {
            new aws.ec2.VpcEndpoint(
                `${name}-${endpoint.replace(/\./g, "-")}`,
                {
                    vpcId: this.vpc.id,
                    serviceName: service(endpoint),
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: privateSubnets.map((s) => s.id),
                    securityGroupIds: [securityGroup.id],
                    tags: { Name: `${args.ctx.clusterName}-${endpoint}` },
                },
                parent,
            );
        }
    }
}
