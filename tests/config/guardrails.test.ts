// Guardrails that cannot be sidestepped: the endpoint rule judges what a CIDR list covers, not its spelling; a
// setting that has no effect under another one is refused, not kept for a later flip; the AMI family matches the
// user data every node gets; the container-runtime settings admit only what the nodes run with. Each bad input gets
// one problem naming the key, the value and the rule.
import { describe, expect, it } from "vitest";
import { parsePlatformConfig } from "../../stacks/config";
import { rawConfigFor } from "../../plan";
import { expectOnly, pathsOf, problemsOf } from "./expect";

const CLUSTER = "eks-platform:cluster";
const CIDRS = `${CLUSTER}.endpoint.publicAccessCidrs`;
const endpoint = (publicAccess: boolean, publicAccessCidrs: string[]) => ({ [CLUSTER]: { endpoint: { publicAccess, publicAccessCidrs } } });
const warningsOf = (stack: string, overrides: Record<string, unknown>) =>
    parsePlatformConfig(rawConfigFor({ stack, overrides }), stack).warnings.map((w) => `${w.path}: ${w.rule} (got ${w.value})`);

describe("the public endpoint: what the networks cover, not how they are spelt", () => {
    it("refuses two halves of the internet in staging as it refuses 0.0.0.0/0", () => {
        for (const cidrs of [["0.0.0.0/0"], ["0.0.0.0/1", "128.0.0.0/1"]])
            expectOnly(
                problemsOf("staging", endpoint(true, cidrs)),
                CIDRS,
                JSON.stringify(cidrs),
                /must not open the public API endpoint this wide in staging/,
                /together they cover 4,294,967,296 addresses \(100% of IPv4\)/,
                /more than the 65,536 addresses \(a \/16's worth\) allowed there/,
            );
    });

    it("counts overlapping networks once: 10.0.0.0/16 twice plus a /17 inside it is one /16, allowed in staging", () => {
        expect(problemsOf("staging", endpoint(true, ["10.0.0.0/16", "10.0.0.0/16", "10.0.128.0/17"]))).toEqual([]);
        expectOnly(
            problemsOf("staging", endpoint(true, ["10.0.0.0/16", "10.1.0.0/16"])),
            CIDRS,
            '["10.0.0.0/16","10.1.0.0/16"]',
            /131,072 addresses/,
        );
    });

    it("warns in dev (advisory there, as the pack is) above a /8's worth, whatever the spelling", () => {
        const overrides = endpoint(true, ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"]);
        expect(problemsOf("dev", overrides)).toEqual([]);
        expect(warningsOf("dev", overrides)).toEqual([
            expect.stringMatching(
                /^eks-platform:cluster\.endpoint\.publicAccessCidrs: must not open the public API endpoint this wide in dev: .*100% of IPv4/,
            ),
        ]);
        expect(warningsOf("dev", endpoint(true, ["10.0.0.0/8"]))).toEqual([]);
    });

    it("refuses any public endpoint in prod, even one office network (the pack's allowPublicAccess: false)", () => {
        const found = problemsOf("prod", endpoint(true, ["203.0.113.0/24"]));
        expect(pathsOf(found)).toEqual([`${CLUSTER}.endpoint.publicAccess`]);
        expectOnly(found, `${CLUSTER}.endpoint.publicAccess`, "true", /must be false in prod: the API endpoint is private only there/);
    });

    it("refuses networks for an endpoint that is off instead of keeping them for a later flip", () => {
        expectOnly(
            problemsOf("dev", { [CLUSTER]: { endpoint: { publicAccess: false } } }),
            CIDRS,
            '["203.0.113.0/24","198.51.100.10/32"]',
            /must be empty while publicAccess is false/,
            /open it unreviewed the day publicAccess flips/,
        );
    });
});

describe("settings that have no effect under another setting are refused", () => {
    it("warmPrefixTarget without prefixDelegation", () => {
        expectOnly(
            problemsOf("dev", { "eks-platform:cni": { vpcCni: { prefixDelegation: false, warmPrefixTarget: 2 } } }),
            "eks-platform:cni.vpcCni.warmPrefixTarget",
            "2",
            /has no effect without eks-platform:cni\.vpcCni\.prefixDelegation/,
            /use warmIpTarget/,
        );
        // The environment's default warmPrefixTarget is not the user's: turning prefix delegation off alone is fine.
        expect(problemsOf("dev", { "eks-platform:cni": { vpcCni: { prefixDelegation: false } } })).toEqual([]);
    });

    it("calico.* outside mode calico-cni", () => {
        expectOnly(
            problemsOf("dev", { "eks-platform:cni": { calico: { blockSize: 24 } } }),
            "eks-platform:cni.calico.blockSize",
            "24",
            /has no effect in mode calico-policy: Calico's IP pool, block size and max pods apply in mode calico-cni only/,
        );
    });

    it("calicoVersion in mode vpc-cni-policy, and the VPC CNI's IPAM settings in mode calico-cni", () => {
        expectOnly(
            problemsOf("dev", { "eks-platform:cni": { mode: "vpc-cni-policy", calicoVersion: "v3.32.1" } }),
            "eks-platform:cni.calicoVersion",
            '"v3.32.1"',
            /has no effect in mode vpc-cni-policy: no Calico is installed/,
        );
        expectOnly(
            problemsOf("dev", { "eks-platform:cni": { mode: "calico-cni", vpcCni: { prefixDelegation: false, warmIpTarget: 5 } } }),
            "eks-platform:cni.vpcCni.warmIpTarget",
            "5",
            /has no effect in mode calico-cni: there is no aws-node/,
        );
    });

    it("loki.* unless logs is loki, cloudwatch.* unless logs is cloudwatch", () => {
        expectOnly(
            problemsOf("staging", { "eks-platform:observability": { logs: "cloudwatch", loki: { retentionDays: 30 } } }),
            "eks-platform:observability.loki.retentionDays",
            "30",
            /has no effect while logs is cloudwatch: Loki is not installed/,
        );
        expectOnly(
            problemsOf("dev", { "eks-platform:observability": { cloudwatch: { retentionDays: 14 } } }),
            "eks-platform:observability.cloudwatch.retentionDays",
            "14",
            /has no effect while logs is loki: the CloudWatch Logs group is not created/,
        );
    });

    it("fluentBit.* when logs is none, alertmanager.replicas while Alertmanager is off", () => {
        const found = problemsOf("dev", {
            "eks-platform:observability": { logs: "none", fluentBit: { chartVersion: "0.58.1" }, alertmanager: { replicas: 2 } },
        });
        expect(pathsOf(found)).toEqual([
            "eks-platform:observability.alertmanager.replicas",
            "eks-platform:observability.fluentBit.chartVersion",
        ]);
        expectOnly(found, "eks-platform:observability.fluentBit.chartVersion", '"0.58.1"', /has no effect while logs is none/);
        expectOnly(found, "eks-platform:observability.alertmanager.replicas", "2", /has no effect while alertmanager\.enabled is false/);
    });

    it("flowLogs.* while flow logs are off", () => {
        expectOnly(
            problemsOf("dev", { "eks-platform:network": { flowLogs: { enabled: false, retentionDays: 30 } } }),
            "eks-platform:network.flowLogs.retentionDays",
            "30",
            /has no effect while flowLogs\.enabled is false/,
        );
    });
});

describe("the AMI family matches the user data every node gets (nodeadm, AL2023)", () => {
    it.each([
        ["bottlerocket@v1.30.0", /Bottlerocket is not supported: every node gets nodeadm user data .* which Bottlerocket ignores/],
        ["al2@v20251120", /AL2 is not supported/],
        ["windows2022@latest", /Windows nodes are not supported/],
    ])("refuses %s", (alias, rule) => {
        expectOnly(
            problemsOf("dev", { "eks-platform:karpenter": { amiAlias: alias } }),
            "eks-platform:karpenter.amiAlias",
            JSON.stringify(alias),
            rule,
            /use al2023@vYYYYMMDD/,
        );
    });

    it("refuses it on an EC2NodeClass too", () => {
        expectOnly(
            problemsOf("dev", {
                "eks-platform:karpenter": { nodeClasses: [{ name: "default", volumeSizeGiB: 50, amiAlias: "bottlerocket@latest" }] },
            }),
            "eks-platform:karpenter.nodeClasses[0].amiAlias",
            '"bottlerocket@latest"',
            /Bottlerocket is not supported/,
        );
    });

    it("refuses an AL2023 alias of Bottlerocket's version format", () => {
        expectOnly(
            problemsOf("dev", { "eks-platform:karpenter": { amiAlias: "al2023@v1.30.0" } }),
            "eks-platform:karpenter.amiAlias",
            '"al2023@v1.30.0"',
            /must be an AMI alias such as al2023@v20251120/,
        );
    });
});

describe("the container-runtime settings admit only what the nodes run with", () => {
    const settings = (nodeSettings: Record<string, unknown>) => problemsOf("dev", { [CLUSTER]: { nodeSettings } });
    const at = (key: string) => `${CLUSTER}.nodeSettings.${key}`;

    it("the cgroupfs driver", () => {
        expectOnly(
            settings({ cgroupDriver: "cgroupfs" }),
            at("cgroupDriver"),
            '"cgroupfs"',
            /must be systemd: containerd's runc runtime drives cgroups through systemd \(SystemdCgroup = true/,
        );
    });

    it("swap: failSwapOn false and LimitedSwap", () => {
        const found = settings({ failSwapOn: false, swapBehavior: "LimitedSwap" });
        expectOnly(found, at("failSwapOn"), "false", /must be true: nodes run without swap/);
        expectOnly(found, at("swapBehavior"), '"LimitedSwap"', /must be NoSwap: pods never use swap/);
    });

    it("log rotation switched off in all but name: a 0Mi log size or a single file", () => {
        expectOnly(
            settings({ containerLogMaxSize: "0Mi" }),
            at("containerLogMaxSize"),
            '"0Mi"',
            /must be at least 1Mi: the kubelet rotates each container's log at this size/,
        );
        expectOnly(
            settings({ containerLogMaxFiles: 1 }),
            at("containerLogMaxFiles"),
            "1",
            /must be between 2 and 20: the kubelet keeps the current log and at least one rotated file/,
        );
    });
});

describe("every problem at once, across the new categories", () => {
    it("a region typo, a session ARN, a Bottlerocket alias and Loki settings under CloudWatch Logs: four problems, four lines", () => {
        const found = problemsOf("staging", {
            "aws:region": "eu-wset-1",
            [CLUSTER]: { accessEntries: [{ principalArn: "arn:aws:sts::222222222222:assumed-role/deployer/ci", accessPolicy: "admin" }] },
            "eks-platform:karpenter": { amiAlias: "bottlerocket@v1.30.0" },
            "eks-platform:observability": { logs: "cloudwatch", loki: { replicas: 2 } },
        });
        expect(pathsOf(found)).toEqual([
            "aws:region",
            `${CLUSTER}.accessEntries[0].principalArn`,
            "eks-platform:karpenter.amiAlias",
            "eks-platform:observability.loki.replicas",
        ]);
        expectOnly(found, "aws:region", '"eu-wset-1"', /did you mean eu-west-1/);
        expectOnly(
            found,
            `${CLUSTER}.accessEntries[0].principalArn`,
            '"arn:aws:sts::222222222222:assumed-role/deployer/ci"',
            /arn:aws:iam::222222222222:role\/deployer/,
        );
        expectOnly(found, "eks-platform:karpenter.amiAlias", '"bottlerocket@v1.30.0"', /Bottlerocket is not supported/);
        expectOnly(found, "eks-platform:observability.loki.replicas", "2", /has no effect while logs is cloudwatch/);
    });

    it("a zone of another region does not hide an unknown instance type or a too-wide endpoint", () => {
        const found = problemsOf("staging", {
            "eks-platform:network": { availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-central-1c"] },
            [CLUSTER]: { systemNodeGroup: { instanceTypes: ["m7g.huge"] }, endpoint: { publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] } },
        });
        expect(pathsOf(found)).toEqual([CIDRS, `${CLUSTER}.systemNodeGroup.instanceTypes[0]`, "eks-platform:network.availabilityZones[2]"]);
    });
});
