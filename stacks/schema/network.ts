import { z } from "zod";
import { cidrWithPrefix, logRetentionDays, parseCidr, type Environment } from "./common";

export const NAT_MODES = ["single", "perAz", "none"] as const;
/** Interface endpoints we know how to make; the service name is com.amazonaws.<region>.<name>. */
export const INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "ec2", "sqs", "ssm", "logs", "eks", "eks-auth", "elasticloadbalancing"] as const;

export const networkSchema = z
    .strictObject({
        /** The VPC's primary CIDR, /16 to /24. */
        vpcCidr: cidrWithPrefix(16, 24),
        /** How many availability zones the subnets span (2 or 3). */
        azCount: z.number().int("must be a whole number").min(2, "must be 2 or 3").max(3, "must be 2 or 3"),
        /** Explicit zone names; otherwise the first `azCount` zones the region reports. */
        availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "must be an AZ name such as eu-west-1a")).optional(),
        /** Prefix length of each public subnet (load balancers, NAT). */
        publicSubnetPrefix: z.number().int().min(20, "must be between /20 and /28").max(28, "must be between /20 and /28"),
        /** Prefix length of each private subnet (nodes and pods: keep them large). */
        privateSubnetPrefix: z.number().int().min(16, "must be between /16 and /24").max(24, "must be between /16 and /24"),
        /** NAT gateways: one per AZ (HA), a single shared one (cheap) or none (private clusters with endpoints). */
        natGateways: z.enum(NAT_MODES, { message: `must be one of ${NAT_MODES.join(", ")}` }),
        /** A secondary CIDR (100.64.0.0/10 range) for pod subnets, used by VPC CNI custom networking. */
        podCidr: cidrWithPrefix(16, 20).optional(),
        flowLogs: z.strictObject({
            enabled: z.boolean(),
            retentionDays: logRetentionDays,
            trafficType: z.enum(["ALL", "ACCEPT", "REJECT"], { message: "must be ALL, ACCEPT or REJECT" }),
        }),
        endpoints: z.strictObject({
            /** The free S3 gateway endpoint (ECR image layers come from S3). */
            s3Gateway: z.boolean(),
            interface: z.array(z.enum(INTERFACE_ENDPOINTS, { message: `must be one of ${INTERFACE_ENDPOINTS.join(", ")}` })),
        }),
    })
    .superRefine((n, ctx) => {
        const vpc = parseCidr(n.vpcCidr);
        if (!vpc) return;
        if (n.availabilityZones && n.availabilityZones.length !== n.azCount) {
            ctx.addIssue({ code: "custom", path: ["availabilityZones"], message: `must list exactly azCount (${n.azCount}) zones` });
        }
        if (n.privateSubnetPrefix < vpc.prefix || n.publicSubnetPrefix < vpc.prefix) {
            ctx.addIssue({ code: "custom", path: ["vpcCidr"], message: "must be larger than each subnet (subnet prefixes must be longer than the VPC prefix)" });
            return;
        }
        const needed = n.azCount * (2 ** (32 - n.privateSubnetPrefix) + 2 ** (32 - n.publicSubnetPrefix));
        const available = 2 ** (32 - vpc.prefix);
        if (needed > available) {
            ctx.addIssue({
                code: "custom",
                path: ["vpcCidr"],
                message: `is too small: ${n.azCount} AZs of /${n.privateSubnetPrefix} private and /${n.publicSubnetPrefix} public subnets need ${needed} addresses, the VPC has ${available}`,
            });
        }
        if (n.podCidr) {
            const pod = parseCidr(n.podCidr);
            if (pod && (vpc.address.isInSubnet(pod.address) || pod.address.isInSubnet(vpc.address))) {
                ctx.addIssue({ code: "custom", path: ["podCidr"], message: `must not overlap vpcCidr ${n.vpcCidr}` });
            }
        }
    });

export type NetworkConfig = z.infer<typeof networkSchema>;

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
