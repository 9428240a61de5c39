// Network under the mock runtime, for dev, prod and a NAT-less variant, plus the network config rules.
import { describe, expect, it } from "vitest";
import { Network, natGatewayCount } from "../../components/network";
import { parsePlatformConfig, type PlatformConfig } from "../../stacks/config";
import { configError } from "../helpers/config";
import { accountContextFor } from "../helpers/stand-ins";
import { platformConfigFor, rawConfigFor, settle, setupMocks, type PlannedResource } from "../../plan";

const { recorder } = setupMocks("dev");
const dev = platformConfigFor("dev");
const prod = platformConfigFor("prod");
const noNat = platformConfigFor({
    stack: "dev",
    overrides: {
        "eks-platform:network": {
            natGateways: "none",
            podCidr: "100.64.0.0/16",
            endpoints: { s3Gateway: true, interface: ["ecr.api", "ecr.dkr", "sts", "ec2"] },
        },
    },
});
const build = (name: string, c: PlatformConfig) => new Network(name, { ctx: accountContextFor(c, `${name}-`), config: c.network });
build("dev", dev);
build("prod", prod);
build("nonat", noNat);

const mine = (prefix: string, type: string): PlannedResource[] => recorder.byType(type).filter((r) => r.name.startsWith(`${prefix}-`));
const subnets = (prefix: string, role: string) =>
    mine(prefix, "aws:ec2/subnet:Subnet").filter((r) => r.name.startsWith(`${prefix}-${role}-`));

describe("Network resources", () => {
    it("registers everything", async () => {
        await settle();
        expect(recorder.byType("eks-platform:network:Network")).toHaveLength(3);
    });

    it.each([
        ["dev", dev, 2],
        ["prod", prod, 3],
    ] as const)("%s: one public and one private subnet per AZ with the planned CIDRs and discovery tags", (prefix, c, azs) => {
        const pub = subnets(prefix, "public");
        const priv = subnets(prefix, "private");
        expect(pub).toHaveLength(azs);
        expect(priv).toHaveLength(azs);
        for (const s of pub) {
            expect(s.inputs.tags).toMatchObject({ "kubernetes.io/role/elb": "1" });
            expect(s.inputs.tags).not.toHaveProperty("karpenter.sh/discovery");
            expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
        }
        for (const s of priv) {
            expect(s.inputs.tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": c.clusterName });
            expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
        }
        expect(priv.map((s) => s.inputs.cidrBlock)).toEqual(
            priv.map(
                (_, i) =>
                    `${c.network.vpcCidr.split(".").slice(0, 2).join(".")}.${i * 2 ** (32 - c.network.privateSubnetPrefix - 8)}.0/${c.network.privateSubnetPrefix}`,
            ),
        );
        // Each subnet in its own zone, in order.
        expect(priv.map((s) => s.inputs.availabilityZone)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"].slice(0, azs));
        expect(recorder.one("aws:ec2/vpc:Vpc", `${prefix}-vpc`).inputs).toMatchObject({
            cidrBlock: c.network.vpcCidr,
            enableDnsHostnames: true,
            enableDnsSupport: true,
        });
    });

    it("makes NAT gateways per mode: single in dev, one per AZ in prod, none without NAT", () => {
        expect(mine("dev", "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
        expect(mine("prod", "aws:ec2/natGateway:NatGateway")).toHaveLength(3);
        expect(mine("nonat", "aws:ec2/natGateway:NatGateway")).toHaveLength(0);
        expect(mine("nonat", "aws:ec2/eip:Eip")).toHaveLength(0);
        expect(natGatewayCount("perAz", 2)).toBe(2);
    });

    it("routes each private table to its zone's NAT in prod and to the single NAT in dev", () => {
        const natRoutes = (prefix: string) => mine(prefix, "aws:ec2/route:Route").filter((r) => r.name.endsWith("-nat"));
        const natUrns = (prefix: string) => mine(prefix, "aws:ec2/natGateway:NatGateway").map((n) => n.urn);
        expect(natRoutes("prod")).toHaveLength(3);
        natRoutes("prod").forEach((route, i) => expect(route.dependencies).toContain(natUrns("prod")[i]));
        expect(natRoutes("dev")).toHaveLength(2);
        natRoutes("dev").forEach((route) => expect(route.dependencies).toContain(natUrns("dev")[0]));
        expect(natRoutes("nonat")).toHaveLength(0);
        const internet = recorder.one("aws:ec2/route:Route", "dev-public-internet");
        expect(internet.inputs.destinationCidrBlock).toBe("0.0.0.0/0");
        expect(internet.dependencies).toContain(recorder.one("aws:ec2/internetGateway:InternetGateway", "dev-igw").urn);
    });

    it("sends flow logs to a CloudWatch group with the configured retention through a scoped role", () => {
        expect(recorder.one("aws:cloudwatch/logGroup:LogGroup", "dev-flow-logs").inputs.retentionInDays).toBe(7);
        expect(recorder.one("aws:cloudwatch/logGroup:LogGroup", "prod-flow-logs").inputs.retentionInDays).toBe(365);
        const flow = recorder.one("aws:ec2/flowLog:FlowLog", "prod-flow-logs");
        expect(flow.inputs).toMatchObject({ trafficType: "ALL", logDestinationType: "cloud-watch-logs" });
        const trust = JSON.parse(recorder.one("aws:iam/role:Role", "prod-flow-logs").inputs.assumeRolePolicy as string);
        expect(trust.Statement[0].Principal.Service).toBe("vpc-flow-logs.amazonaws.com");
        expect(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"]).toBe("123456789012");
        expect(recorder.one("aws:ec2/flowLog:FlowLog", "dev-flow-logs").inputs.trafficType).toBe("REJECT");
    });

    it("makes the S3 gateway and the configured interface endpoints with private DNS", () => {
        const endpoints = (prefix: string) =>
            mine(prefix, "aws:ec2/vpcEndpoint:VpcEndpoint")
                .map((e) => e.inputs.serviceName)
                .sort();
        expect(endpoints("dev")).toEqual(["com.amazonaws.eu-west-1.s3"]);
        expect(endpoints("prod")).toEqual(
            ["ec2", "ecr.api", "ecr.dkr", "s3", "sqs", "ssm", "sts"].map((s) => `com.amazonaws.eu-west-1.${s}`),
        );
        const ecr = recorder.one("aws:ec2/vpcEndpoint:VpcEndpoint", "prod-ecr-api");
        expect(ecr.inputs).toMatchObject({ vpcEndpointType: "Interface", privateDnsEnabled: true });
        expect(ecr.inputs.subnetIds).toHaveLength(3);
        const s3 = recorder.one("aws:ec2/vpcEndpoint:VpcEndpoint", "prod-s3");
        expect(s3.inputs.routeTableIds).toHaveLength(4);
        const sg = recorder.one("aws:ec2/securityGroup:SecurityGroup", "prod-endpoints");
        expect(sg.inputs.ingress).toEqual([expect.objectContaining({ fromPort: 443, toPort: 443, cidrBlocks: ["10.30.0.0/16"] })]);
    });

    it("adds the pod CIDR to the VPC and one untagged-for-discovery pod subnet per AZ", () => {
        expect(recorder.one("aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation", "nonat-pod-cidr").inputs.cidrBlock).toBe(
            "100.64.0.0/16",
        );
        const pods = subnets("nonat", "pod");
        expect(pods.map((s) => s.inputs.cidrBlock)).toEqual(["100.64.0.0/18", "100.64.64.0/18"]);
        pods.forEach((s) => expect(s.inputs.tags).not.toHaveProperty("karpenter.sh/discovery"));
        expect(mine("dev", "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation")).toHaveLength(0);
        expect(recorder.one("aws:ec2/securityGroup:SecurityGroup", "nonat-endpoints").inputs.ingress).toEqual([
            expect.objectContaining({ cidrBlocks: ["10.10.0.0/16", "100.64.0.0/16"] }),
        ]);
    });

    it("empties the VPC's default security group", () => {
        expect(recorder.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "prod-default-sg").inputs).toMatchObject({
            ingress: [],
            egress: [],
        });
    });
});

/** The ConfigError of a stack with `network` deep-merged over its file's network section. */
const networkError = (stack: string, network: Record<string, unknown>) =>
    configError({ stack, overrides: { "eks-platform:network": network } });

describe("network config rules", () => {
    it("rejects a pod CIDR overlapping the VPC CIDR", () => {
        expect(networkError("dev", { podCidr: "10.10.0.0/16" }).message).toContain(
            'eks-platform:network.podCidr: must not overlap vpcCidr 10.10.0.0/16 (got "10.10.0.0/16")',
        );
    });

    it("rejects a pod CIDR outside the private and CG-NAT ranges", () => {
        expect(networkError("dev", { podCidr: "8.8.0.0/16" }).message).toMatch(
            /eks-platform:network\.podCidr: must lie in 100\.64\.0\.0\/10/,
        );
    });

    it("rejects a VPC CIDR too small for the subnets", () => {
        expect(networkError("dev", { vpcCidr: "10.10.0.0/20", privateSubnetPrefix: 21 }).message).toMatch(
            /eks-platform:network\.vpcCidr: is too small: 3 AZ slots .* need 6912 addresses, the VPC has 4096 \(got "10\.10\.0\.0\/20"\)/,
        );
    });

    it("rejects a VPC CIDR smaller than a subnet", () => {
        expect(networkError("dev", { vpcCidr: "10.10.0.0/22" }).message).toContain(
            "eks-platform:network.vpcCidr: must be larger than each subnet",
        );
    });

    it("rejects an AZ count out of range", () => {
        expect(networkError("prod", { azCount: 4 }).message).toContain("eks-platform:network.azCount: must be 2 or 3 (got 4)");
        expect(networkError("dev", { azCount: 1 }).message).toContain("eks-platform:network.azCount: must be 2 or 3 (got 1)");
    });

    it("rejects explicit zones that do not match azCount", () => {
        expect(networkError("dev", { availabilityZones: ["eu-west-1a"] }).message).toContain(
            "eks-platform:network.availabilityZones: must list exactly azCount (2) zones",
        );
    });

    it("rejects a NAT-less network without the endpoints nodes need", () => {
        const message = networkError("dev", { natGateways: "none", endpoints: { s3Gateway: false, interface: ["sts"] } }).message;
        expect(message).toContain("eks-platform:network.endpoints.s3Gateway: must be true when natGateways is none");
        expect(message).toContain("eks-platform:network.endpoints.interface: must include ecr.api, ecr.dkr, ec2 when natGateways is none");
    });

    it("rejects a service CIDR overlapping the VPC", () => {
        const err = (() => {
            try {
                parsePlatformConfig(
                    rawConfigFor({ stack: "dev", overrides: { "eks-platform:cluster": { serviceCidr: "10.10.128.0/20" } } }),
                    "dev",
                );
            } catch (e) {
                return e as Error;
            }
            throw new Error("expected a ConfigError");
        })();
        expect(err.message).toContain("eks-platform:cluster.serviceCidr: must not overlap eks-platform:network.vpcCidr 10.10.0.0/16");
    });
});
