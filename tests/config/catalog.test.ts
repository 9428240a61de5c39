// Bad input against the catalogues (lib/catalog): every setting that names a region, an availability zone, an
// instance type, an instance family or an IAM principal is checked against pinned upstream data, and an unknown
// value gets the nearest known names.
import { describe, expect, it } from "vitest";
import { partitionOf } from "../../components/lib/context";
import { knownRegions } from "../../lib/catalog";
import { parsePlatformConfig } from "../../stacks/config";
import { PLATFORM_PARTITIONS } from "../../stacks/schema/catalog";
import { rawConfigFor } from "../../plan";
import { expectOnly, pathsOf, problemsOf } from "./expect";

const CLUSTER = "eks-platform:cluster";
const pool = (extra: Record<string, unknown>) => ({
    "eks-platform:karpenter": {
        nodePools: [{ name: "general", preset: "general", limits: { cpu: "64", memory: "256Gi" }, ...extra }],
    },
});
const accessEntry = (principalArn: string) => ({ [CLUSTER]: { accessEntries: [{ principalArn, accessPolicy: "admin" }] } });

describe("aws:region", () => {
    it("refuses a typo, suggesting the nearest regions", () => {
        expectOnly(
            problemsOf("dev", { "aws:region": "eu-wset-1" }),
            "aws:region",
            '"eu-wset-1"',
            /must be an AWS region the AWS SDK lists/,
            /did you mean eu-west-1\b/,
        );
    });

    it("refuses a region of the right shape that does not exist", () => {
        const line = expectOnly(
            problemsOf("dev", { "aws:region": "eu-west-9" }),
            "aws:region",
            '"eu-west-9"',
            /@aws-sdk\/core \d+\.\d+\.\d+/,
        );
        expect(line).toMatch(/did you mean eu-west-1, eu-west-2 or eu-west-3\?/);
    });

    it("refuses a region the SDK knows but @pulumi/aws does not yet, saying why", () => {
        expectOnly(
            problemsOf("dev", { "aws:region": "me-west-1" }),
            "aws:region",
            '"me-west-1"',
            /Middle East \(Saudi Arabia\)/,
            /@pulumi\/aws 7\.48\.0 does not know yet/,
        );
    });

    it("accepts a region of another partition, and then holds ARNs to that partition", () => {
        // cn-north-1 is aws-cn: the shipped access entries (arn:aws:...) are of the wrong partition there.
        const found = problemsOf("dev", { "aws:region": "cn-north-1" });
        expect(pathsOf(found)).toEqual([`${CLUSTER}.accessEntries[0].principalArn`, `${CLUSTER}.accessEntries[1].principalArn`]);
        expectOnly(
            found,
            `${CLUSTER}.accessEntries[0].principalArn`,
            '"arn:aws:iam::111111111111:role/platform-admin"',
            /must be an ARN of partition aws-cn, the partition of aws:region cn-north-1/,
            /arn:aws-cn:iam::111111111111:role\/platform-admin/,
        );
        const fixed = rawConfigFor({ stack: "dev", overrides: { "aws:region": "cn-north-1" } });
        const entries = (fixed[CLUSTER] as { accessEntries: { principalArn: string }[] }).accessEntries;
        for (const entry of entries) entry.principalArn = entry.principalArn.replace("arn:aws:", "arn:aws-cn:");
        expect(parsePlatformConfig(fixed, "dev").region).toBe("cn-north-1");
    });
});

describe("the partition of every ARN is the region's", () => {
    it("the program's partition rule (components/lib/context.ts) gives the catalogue's partition for every region the config accepts", () => {
        const accepted = knownRegions().filter((r) => r.inPulumiEnum && (PLATFORM_PARTITIONS as readonly string[]).includes(r.partition));
        expect(accepted.length).toBeGreaterThan(30);
        for (const r of accepted) expect(partitionOf(r.name), r.name).toBe(r.partition);
    });

    it("refuses a region of a partition the program builds no ARNs for", () => {
        expectOnly(
            problemsOf("dev", { "aws:region": "eusc-de-east-1" }),
            "aws:region",
            '"eusc-de-east-1"',
            /is a region of partition aws-eusc .* which this platform does not build ARNs and service principals for: it supports aws, aws-cn, aws-us-gov/,
        );
    });
});

describe("availability zones", () => {
    it("refuses a zone of another region in network.availabilityZones, suggesting the region's own", () => {
        expectOnly(
            problemsOf("dev", { "eks-platform:network": { availabilityZones: ["eu-west-1a", "us-east-1b"] } }),
            "eks-platform:network.availabilityZones[1]",
            '"us-east-1b"',
            /must be an availability zone of aws:region eu-west-1/,
            /us-east-1b is in us-east-1/,
            /did you mean eu-west-1b\?/,
        );
    });

    it("refuses a zone listed twice", () => {
        expectOnly(
            problemsOf("staging", { "eks-platform:network": { availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1a"] } }),
            "eks-platform:network.availabilityZones[2]",
            '"eu-west-1a"',
            /must be listed once/,
        );
    });

    it("refuses a Local Zone name and a zone ID by their shape", () => {
        for (const zone of ["eu-west-1-lhr-1a", "euw1-az1"])
            expectOnly(
                problemsOf("dev", { "eks-platform:network": { availabilityZones: ["eu-west-1a", zone] } }),
                "eks-platform:network.availabilityZones[1]",
                JSON.stringify(zone),
                /must be an availability zone name such as eu-west-1a \(not a Local Zone/,
            );
    });

    it("refuses a NodePool zone of another region", () => {
        expectOnly(
            problemsOf("dev", {
                "eks-platform:network": { availabilityZones: ["eu-west-1a", "eu-west-1b"] },
                ...pool({ zones: ["us-west-2a"] }),
            }),
            "eks-platform:karpenter.nodePools[0].zones[0]",
            '"us-west-2a"',
            /must be an availability zone of aws:region eu-west-1 \(us-west-2a is in us-west-2\)/,
        );
    });

    it("refuses NodePool zones while the network's zones are left to EC2", () => {
        expectOnly(
            problemsOf("dev", pool({ zones: ["eu-west-1c"] })),
            "eks-platform:karpenter.nodePools[0].zones[0]",
            '"eu-west-1c"',
            /needs eks-platform:network\.availabilityZones/,
            /may have no subnet/,
        );
    });
});

describe("instance types and families", () => {
    it("refuses an unknown system node group instance type, suggesting sizes of its family", () => {
        expectOnly(
            problemsOf("dev", { [CLUSTER]: { systemNodeGroup: { instanceTypes: ["t4g.larg"] } } }),
            `${CLUSTER}.systemNodeGroup.instanceTypes[0]`,
            '"t4g.larg"',
            /must be an EC2 instance type .* that the instance-type catalogue lists \(amazon-vpc-cni-k8s v1\.23\.0/,
            /did you mean t4g\.large\b/,
        );
    });

    it("refuses an unknown instance family in a NodePool, suggesting the nearest families", () => {
        expectOnly(
            problemsOf("dev", pool({ instanceFamilies: ["m7g", "m99g"] })),
            "eks-platform:karpenter.nodePools[0].instanceFamilies[1]",
            '"m99g"',
            /must be an EC2 instance family/,
            /did you mean m\dg\b/,
        );
    });

    it("refuses an unknown family in excludeInstanceFamilies", () => {
        expectOnly(
            problemsOf("dev", pool({ excludeInstanceFamilies: ["c7gx"] })),
            "eks-platform:karpenter.nodePools[0].excludeInstanceFamilies[0]",
            '"c7gx"',
            /must be an EC2 instance family/,
            /did you mean c7g/,
        );
    });

    it("takes the system node group's architecture from the catalogue, not the name (a1 is Graviton, g5 is not)", () => {
        expect(problemsOf("dev", { [CLUSTER]: { systemNodeGroup: { instanceTypes: ["a1.large"] } } })).toEqual([]);
        expectOnly(
            problemsOf("dev", { [CLUSTER]: { systemNodeGroup: { instanceTypes: ["t4g.large", "g5.xlarge"] } } }),
            `${CLUSTER}.systemNodeGroup.instanceTypes[1]`,
            '"g5.xlarge"',
            /must be an arm64 instance type to match architecture/,
        );
    });

    it("refuses a family a pool's other requirements exclude (architecture, preset categories, minimum generation)", () => {
        const found = problemsOf("dev", pool({ architectures: ["amd64"], instanceFamilies: ["m7g", "t3", "c4"] }));
        expectOnly(
            found,
            "eks-platform:karpenter.nodePools[0].instanceFamilies[0]",
            '"m7g"',
            /can never be launched/,
            /it is arm64 and the pool's architectures are amd64/,
        );
        expectOnly(
            found,
            "eks-platform:karpenter.nodePools[0].instanceFamilies[1]",
            '"t3"',
            /its category is t and the pool's instanceCategories are c, m, r/,
        );
        expectOnly(
            found,
            "eks-platform:karpenter.nodePools[0].instanceFamilies[2]",
            '"c4"',
            /generation 4 and the pool's minGeneration is 5/,
        );
    });
});

describe("max pods against the ENI limits", () => {
    it("refuses an explicit maxPods the system node group's instance type cannot address without prefix delegation", () => {
        expectOnly(
            problemsOf("dev", {
                [CLUSTER]: { nodeSettings: { maxPods: 58 } },
                "eks-platform:cni": { vpcCni: { prefixDelegation: false } },
            }),
            `${CLUSTER}.nodeSettings.maxPods`,
            "58",
            /must be at most 35 for system node group instance type t4g\.large/,
            /3 ENIs x \(12 IPv4 addresses - 1\) \+ 2 = 35 pods without prefix delegation/,
            /amazon-vpc-cni-k8s v1\.23\.0 pkg\/vpc\/vpc_ip_resource_limit\.go/,
        );
    });

    it("counts one ENI fewer with custom networking", () => {
        const found = problemsOf("dev", {
            "eks-platform:network": { podCidr: "100.64.0.0/16" },
            [CLUSTER]: { nodeSettings: { maxPods: 30 } },
            "eks-platform:cni": { vpcCni: { prefixDelegation: false, customNetworking: true } },
        });
        expectOnly(
            found,
            `${CLUSTER}.nodeSettings.maxPods`,
            "30",
            /at most 24 for system node group instance type t4g\.large/,
            /one fewer with custom networking/,
        );
    });

    it("accepts what the ENIs can address", () => {
        expect(
            problemsOf("dev", {
                [CLUSTER]: { nodeSettings: { maxPods: 35 } },
                "eks-platform:cni": { vpcCni: { prefixDelegation: false } },
            }),
        ).toEqual([]);
    });
});

describe("IAM principals", () => {
    it("refuses an STS session ARN, naming the role ARN to use instead", () => {
        expectOnly(
            problemsOf("dev", accessEntry("arn:aws:sts::111111111111:assumed-role/platform-admin/jane@example.com")),
            `${CLUSTER}.accessEntries[0].principalArn`,
            '"arn:aws:sts::111111111111:assumed-role/platform-admin/jane@example.com"',
            /is an STS session ARN/,
            /use the role's ARN arn:aws:iam::111111111111:role\/platform-admin /,
        );
    });

    it("refuses a federated-user session, a group and an account root", () => {
        for (const [arn, rule] of [
            ["arn:aws:sts::111111111111:federated-user/jane", /federated user session/],
            ["arn:aws:iam::111111111111:group/admins", /is an IAM group/],
            ["arn:aws:iam::111111111111:root", /account's root user/],
        ] as const)
            expectOnly(problemsOf("dev", accessEntry(arn)), `${CLUSTER}.accessEntries[0].principalArn`, JSON.stringify(arn), rule);
    });

    it("accepts a role with a path (IAM Identity Center) and refuses one of another partition", () => {
        expect(
            problemsOf(
                "dev",
                accessEntry("arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123"),
            ),
        ).toEqual([]);
        expectOnly(
            problemsOf("dev", accessEntry("arn:aws-us-gov:iam::111111111111:role/platform-admin")),
            `${CLUSTER}.accessEntries[0].principalArn`,
            '"arn:aws-us-gov:iam::111111111111:role/platform-admin"',
            /must be an ARN of partition aws, the partition of aws:region eu-west-1/,
        );
    });

    it("refuses the same principal in two access entries", () => {
        const arn = "arn:aws:iam::111111111111:role/platform-admin";
        expectOnly(
            problemsOf("dev", {
                [CLUSTER]: {
                    accessEntries: [
                        { principalArn: arn, accessPolicy: "admin" },
                        { principalArn: arn, accessPolicy: "view" },
                    ],
                },
            }),
            `${CLUSTER}.accessEntries[1].principalArn`,
            JSON.stringify(arn),
            /must be unique: accessEntries\[0\] already names this principal/,
        );
    });
});
