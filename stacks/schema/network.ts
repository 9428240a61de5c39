import { Address4 } from "ip-address";
import { z } from "zod";
import { blockSize, CidrPlanError, MAX_AZ_COUNT, planSubnets } from "../../lib/cidr";
import { cidrWithPrefix, logRetentionDays, parseCidr, type Environment } from "./common";

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
            ctx.addIssue({
                code: "custom",
                path: ["vpcCidr"],
                message: "must be larger than each subnet (subnet prefixes must be longer than the VPC prefix)",
            });
            return;
        }
        // The Network builds exactly this plan: a CIDR that validates is one it can split. (A bad azCount is
        // reported on its own key; the size check waits until it is right.)
        const azCountValid = Number.isInteger(n.azCount) && n.azCount >= 2 && n.azCount <= MAX_AZ_COUNT;
        if (azCountValid)
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
                ctx.addIssue({
                    code: "custom",
                    path: ["vpcCidr"],
                    message: `is too small: ${MAX_AZ_COUNT} AZ slots (reserved so azCount can grow) of /${n.privateSubnetPrefix} private and /${n.publicSubnetPrefix} public subnets need ${needed} addresses, the VPC has ${blockSize(vpc.prefix)}`,
                });
            }
        if (n.natGateways === "none") {
            // Without NAT, nodes reach AWS only through endpoints: image pulls (ECR + S3), node credentials (STS)
            // and the VPC CNI's ENI calls (EC2) must all have one or nodes never join.
            if (!n.endpoints.s3Gateway)
                ctx.addIssue({
                    code: "custom",
                    path: ["endpoints", "s3Gateway"],
                    message: "must be true when natGateways is none: ECR image layers come from S3",
                });
            const missing = NO_NAT_REQUIRED_ENDPOINTS.filter((e) => !n.endpoints.interface.includes(e));
            if (missing.length > 0) {
                ctx.addIssue({
                    code: "custom",
                    path: ["endpoints", "interface"],
                    message: `must include ${missing.join(", ")} when natGateways is none (nodes have no other way to reach AWS)`,
                });
            }
        }
        if (n.podCidr) {
            const pod = parseCidr(n.podCidr);
            if (pod && (vpc.address.isInSubnet(pod.address) || pod.address.isInSubnet(vpc.address))) {
                ctx.addIssue({ code: "custom", path: ["podCidr"], message: `must not overlap vpcCidr ${n.vpcCidr}` });
            } else if (pod && !SECONDARY_CIDR_RANGES.some((range) => pod.address.isInSubnet(new Address4(range)))) {
                ctx.addIssue({
                    code: "custom",
                    path: ["podCidr"],
                    message: `must lie in ${SECONDARY_CIDR_RANGES.join(", ")} (100.64.0.0/10 is the range EKS custom networking recommends)`,
                });
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
