import { Address4 } from "ip-address";
import { z } from "zod";
import { blockSize, CidrPlanError, MAX_AZ_COUNT, planSubnets } from "../../lib/cidr";
import { AZ_NAME_RULE, cidrWithPrefix, logRetentionDays, parseCidr, type Environment } from "./common";
import { defineRule, problems, writtenFields, type Rule, type Written } from "./rule";

/** Ranges a secondary VPC CIDR for pods may come from: CG-NAT space and the RFC 1918 ranges. */
export const SECONDARY_CIDR_RANGES = ["100.64.0.0/10", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

export const NAT_MODES = ["single", "perAz", "none"] as const;
/** Interface endpoints we know how to make; the service name is com.amazonaws.<region>.<name>. */
export const INTERFACE_ENDPOINTS = [
    "ecr.api",
    "ecr.dkr",
    "sts",
    "ec2",
    "sqs",
    "ssm",
    "logs",
    "eks",
    "eks-auth",
    "elasticloadbalancing",
] as const;

/** Interface endpoints a VPC without NAT gateways needs for nodes to join and pull images. */
export const NO_NAT_REQUIRED_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "ec2"] as const;

export const networkSchema = z
    .strictObject({
        vpcCidr: cidrWithPrefix(16, 24).describe("The VPC's primary CIDR, /16 to /24. Fixed at creation: a change replaces the VPC."),
        azCount: z
            .number()
            .int("must be a whole number")
            .min(2, "must be 2 or 3")
            .max(3, "must be 2 or 3")
            .describe("How many availability zones the subnets span (2 or 3)."),
        availabilityZones: z
            .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, AZ_NAME_RULE))
            .optional()
            .describe(
                "Explicit zone names; otherwise the first `azCount` zones the region reports. Exactly azCount zones of aws:region (by name: which letters exist only EC2 can say), each once; required when a NodePool names zones.",
            ),
        publicSubnetPrefix: z
            .number()
            .int()
            .min(20, "must be between /20 and /28")
            .max(28, "must be between /20 and /28")
            .describe("Prefix length of each public subnet (load balancers, NAT gateways)."),
        privateSubnetPrefix: z
            .number()
            .int()
            .min(16, "must be between /16 and /24")
            .max(24, "must be between /16 and /24")
            .describe("Prefix length of each private subnet (nodes and pods: keep them large)."),
        natGateways: z
            .enum(NAT_MODES, { message: `must be one of ${NAT_MODES.join(", ")}` })
            .describe("NAT gateways: one per AZ (perAz, HA), one shared (single, cheap) or none (private clusters with endpoints)."),
        podCidr: cidrWithPrefix(16, 20)
            .optional()
            .describe("A secondary CIDR (100.64.0.0/10 range) for per-AZ pod subnets, used by VPC CNI custom networking."),
        flowLogs: z
            .strictObject({
                enabled: z.boolean().describe("Send VPC flow logs to CloudWatch Logs."),
                retentionDays: logRetentionDays.describe("Days the flow-log group keeps its events (refused while enabled is false)."),
                trafficType: z
                    .enum(["ALL", "ACCEPT", "REJECT"], { message: "must be ALL, ACCEPT or REJECT" })
                    .describe("Which flows are logged (refused while enabled is false)."),
            })
            .describe("VPC flow logs."),
        endpoints: z
            .strictObject({
                s3Gateway: z.boolean().describe("The free S3 gateway endpoint (ECR image layers come from S3)."),
                interface: z
                    .array(z.enum(INTERFACE_ENDPOINTS, { message: `must be one of ${INTERFACE_ENDPOINTS.join(", ")}` }))
                    .describe("Interface endpoints in the private subnets (private DNS on; HTTPS from the VPC and pod CIDRs)."),
            })
            .describe("VPC endpoints."),
    })
    .describe("The VPC: CIDR, zones, subnet sizes, NAT, pod CIDR, flow logs and endpoints.");

export type NetworkConfig = z.infer<typeof networkSchema>;

const at = (...path: (string | number)[]) => ["eks-platform:network", ...path];

export const networkRules: readonly Rule<{ network: NetworkConfig; written: Written }>[] = [
    defineRule({
        needs: ["network.flowLogs"],
        summary: "flowLogs.retentionDays and trafficType only with flowLogs.enabled",
        reports: ["eks-platform:network.flowLogs.retentionDays", "eks-platform:network.flowLogs.trafficType"],
        check: ({ network: n, written }) => {
            const p = problems();
            if (n.flowLogs.enabled) return p.list;
            for (const field of writtenFields(written, "eks-platform:network", "flowLogs"))
                if (field !== "enabled")
                    p.add(
                        at("flowLogs", field),
                        "has no effect while flowLogs.enabled is false: no flow log is created; remove it (kept for later it would take effect unreviewed)",
                    );
            return p.list;
        },
    }),
    defineRule({
        needs: ["network.availabilityZones", "network.azCount"],
        summary: "availabilityZones lists exactly azCount zones",
        reports: ["eks-platform:network.availabilityZones"],
        check: ({ network: n }) => {
            const p = problems();
            if (n.availabilityZones && n.availabilityZones.length !== n.azCount)
                p.add(at("availabilityZones"), `must list exactly azCount (${n.azCount}) zones`);
            return p.list;
        },
    }),
    defineRule({
        needs: ["network.vpcCidr", "network.publicSubnetPrefix", "network.privateSubnetPrefix", "network.azCount"],
        summary: "the VPC holds 3 AZ slots of each subnet size (so azCount can grow without moving a subnet)",
        reports: ["eks-platform:network.vpcCidr"],
        check: ({ network: n }) => {
            const p = problems();
            const vpc = parseCidr(n.vpcCidr);
            if (!vpc) return p.list;
            if (n.privateSubnetPrefix < vpc.prefix || n.publicSubnetPrefix < vpc.prefix) {
                p.add(at("vpcCidr"), "must be larger than each subnet (subnet prefixes must be longer than the VPC prefix)");
                return p.list;
            }
            // The Network builds exactly this plan: a CIDR that validates is one it can split.
            try {
                planSubnets({
                    vpcCidr: n.vpcCidr,
                    azCount: n.azCount,
                    publicSubnetPrefix: n.publicSubnetPrefix,
                    privateSubnetPrefix: n.privateSubnetPrefix,
                });
            } catch (err) {
                if (!(err instanceof CidrPlanError)) throw err;
                const needed = MAX_AZ_COUNT * (blockSize(n.privateSubnetPrefix) + blockSize(n.publicSubnetPrefix));
                p.add(
                    at("vpcCidr"),
                    `is too small: ${MAX_AZ_COUNT} AZ slots (reserved so azCount can grow) of /${n.privateSubnetPrefix} private and /${n.publicSubnetPrefix} public subnets need ${needed} addresses, the VPC has ${blockSize(vpc.prefix)}`,
                );
            }
            return p.list;
        },
    }),
    defineRule({
        needs: ["network.natGateways", "network.endpoints"],
        summary: "without NAT gateways: the S3 gateway and the ecr.api, ecr.dkr, sts and ec2 interface endpoints",
        reports: ["eks-platform:network.endpoints.s3Gateway", "eks-platform:network.endpoints.interface"],
        check: ({ network: n }) => {
            const p = problems();
            if (n.natGateways !== "none") return p.list;
            // Without NAT, nodes reach AWS only through endpoints: image pulls (ECR + S3), node credentials (STS)
            // and the VPC CNI's ENI calls (EC2) must all have one or nodes never join.
            if (!n.endpoints.s3Gateway)
                p.add(at("endpoints", "s3Gateway"), "must be true when natGateways is none: ECR image layers come from S3");
            const missing = NO_NAT_REQUIRED_ENDPOINTS.filter((e) => !n.endpoints.interface.includes(e));
            if (missing.length > 0)
                p.add(
                    at("endpoints", "interface"),
                    `must include ${missing.join(", ")} when natGateways is none (nodes have no other way to reach AWS)`,
                );
            return p.list;
        },
    }),
    defineRule({
        needs: ["network.podCidr", "network.vpcCidr"],
        summary: "podCidr lies outside vpcCidr, in 100.64.0.0/10 or RFC 1918",
        reports: ["eks-platform:network.podCidr"],
        check: ({ network: n }) => {
            const p = problems();
            const vpc = parseCidr(n.vpcCidr);
            const pod = n.podCidr === undefined ? undefined : parseCidr(n.podCidr);
            if (!vpc || !pod) return p.list;
            if (vpc.address.isInSubnet(pod.address) || pod.address.isInSubnet(vpc.address))
                p.add(at("podCidr"), `must not overlap vpcCidr ${n.vpcCidr}`);
            else if (!SECONDARY_CIDR_RANGES.some((range) => pod.address.isInSubnet(new Address4(range))))
                p.add(
                    at("podCidr"),
                    `must lie in ${SECONDARY_CIDR_RANGES.join(", ")} (100.64.0.0/10 is the range EKS custom networking recommends)`,
                );
            return p.list;
        },
    }),
];

export const networkDefaults: Record<Environment, Partial<NetworkConfig>> = {
    dev: {
        azCount: 2,
        publicSubnetPrefix: 24,
        privateSubnetPrefix: 20,
        natGateways: "single",
        flowLogs: { enabled: true, retentionDays: 7, trafficType: "REJECT" },
        endpoints: { s3Gateway: true, interface: [] },
    },
    staging: {
        azCount: 3,
        publicSubnetPrefix: 24,
        privateSubnetPrefix: 19,
        natGateways: "single",
        flowLogs: { enabled: true, retentionDays: 30, trafficType: "ALL" },
        endpoints: { s3Gateway: true, interface: ["ecr.api", "ecr.dkr", "sts"] },
    },
    prod: {
        azCount: 3,
        publicSubnetPrefix: 24,
        privateSubnetPrefix: 19,
        natGateways: "perAz",
        flowLogs: { enabled: true, retentionDays: 365, trafficType: "ALL" },
        endpoints: { s3Gateway: true, interface: ["ecr.api", "ecr.dkr", "sts", "ec2", "sqs", "ssm"] },
    },
};
