// The config contract: each real stack parses; bad input fails before any resource with one message per problem
// naming the key path, the value given and the rule.
import { describe, expect, it } from "vitest";
import { ConfigError, deepMerge, parsePlatformConfig, type ConfigProblem } from "../../stacks/config";
import { listStacks, rawConfigFor, type StackSource } from "../../plan";
import { RULES, SECTIONS } from "../../stacks/sections";

function problems(source: StackSource, mutate?: (raw: Record<string, unknown>) => void): ConfigProblem[] {
    const raw = rawConfigFor(source);
    mutate?.(raw);
    try {
        parsePlatformConfig(raw, source.stack);
    } catch (err) {
        if (err instanceof ConfigError) return [...err.problems];
        throw err;
    }
    return [];
}

/** Expects exactly one problem at `path`, whose rule matches `rule`, and returns it. */
function expectProblem(found: ConfigProblem[], path: string, rule: RegExp, value?: string): ConfigProblem {
    const atPath = found.filter((p) => p.path === path);
    expect(atPath, `problems: ${JSON.stringify(found, null, 2)}`).toHaveLength(1);
    const problem = atPath[0] as ConfigProblem;
    expect(problem.rule).toMatch(rule);
    if (value !== undefined) expect(problem.value).toBe(value);
    return problem;
}

const dev = (overrides: Record<string, unknown>) => problems({ stack: "dev", overrides });
const prod = (overrides: Record<string, unknown>) => problems({ stack: "prod", overrides });

describe("the shipped stacks", () => {
    it.each(["dev", "staging", "prod"])("%s parses into a frozen PlatformConfig", (stack) => {
        const config = parsePlatformConfig(rawConfigFor({ stack }), stack);
        expect(config.environment).toBe(stack);
        expect(config.clusterName).toBe(`eks-platform-${stack}`);
        expect(Object.isFrozen(config)).toBe(true);
        expect(Object.isFrozen(config.network)).toBe(true);
        expect(Object.isFrozen(config.karpenter.nodePools)).toBe(true);
        expect(() => {
            (config.network as { azCount: number }).azCount = 9;
        }).toThrow(TypeError);
    });

    it("lists exactly the three environments' stacks", () => {
        expect(listStacks()).toEqual(["dev", "prod", "staging"]);
    });

    it("differs where environments differ in real life", () => {
        const [d, s, p] = (["dev", "staging", "prod"] as const).map((stack) => parsePlatformConfig(rawConfigFor({ stack }), stack));
        if (!d || !s || !p) throw new Error("unreachable");
        expect([d.network.azCount, s.network.azCount, p.network.azCount]).toEqual([2, 3, 3]);
        expect([d.network.natGateways, p.network.natGateways]).toEqual(["single", "perAz"]);
        expect(p.cluster.endpoint.publicAccess).toBe(false);
        expect(d.cluster.endpoint.publicAccess).toBe(true);
        expect([d.cluster.protect, s.cluster.protect, p.cluster.protect]).toEqual([false, false, true]);
        expect(p.cluster.logRetentionDays).toBeGreaterThan(d.cluster.logRetentionDays);
        expect(p.cluster.systemNodeGroup.minSize).toBeGreaterThanOrEqual(2);
        expect(p.karpenter.nodePools.length).toBeGreaterThan(d.karpenter.nodePools.length);
        expect(d.karpenter.nodePools.every((pool) => pool.capacityTypes.every((c) => c === "spot"))).toBe(true);
    });

    it("applies environment defaults under the stack file's values", () => {
        const config = parsePlatformConfig(rawConfigFor({ stack: "dev" }), "dev");
        // Not in Pulumi.dev.yaml: from the dev defaults.
        expect(config.network.flowLogs.retentionDays).toBe(7);
        // Not in any file: from the version table for the cluster's minor (1.35, the default).
        expect(config.cluster.addons.kubeProxy).toMatch(/^v1\.35\./);
        // In Pulumi.dev.yaml: the file wins.
        expect(config.network.vpcCidr).toBe("10.10.0.0/16");
    });

    it("adds the program's tags to the stack's own", () => {
        const config = parsePlatformConfig(rawConfigFor({ stack: "prod" }), "prod");
        expect(config.tags).toMatchObject({
            Owner: "platform-team",
            Project: "eks-platform",
            Environment: "prod",
            Stack: "prod",
            ManagedBy: "pulumi",
        });
    });

    it("accepts values as Pulumi hands them over (objects JSON-encoded in strings)", () => {
        const raw = rawConfigFor({ stack: "dev" });
        const encoded = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
        expect(parsePlatformConfig(encoded, "dev").network.vpcCidr).toBe("10.10.0.0/16");
    });
});

describe("bad input: one clear problem per mistake, naming the key path, the value and the rule", () => {
    it("rejects a malformed VPC CIDR", () => {
        expectProblem(
            dev({ "eks-platform:network": { vpcCidr: "10.0.0.0/33" } }),
            "eks-platform:network.vpcCidr",
            /CIDR notation/,
            '"10.0.0.0/33"',
        );
    });

    it("rejects a CIDR with host bits set", () => {
        expectProblem(dev({ "eks-platform:network": { vpcCidr: "10.0.0.1/16" } }), "eks-platform:network.vpcCidr", /CIDR notation/);
    });

    it("rejects a VPC prefix out of range", () => {
        expectProblem(
            dev({ "eks-platform:network": { vpcCidr: "10.0.0.0/8" } }),
            "eks-platform:network.vpcCidr",
            /between \/16 and \/24/,
            '"10.0.0.0/8"',
        );
    });

    it("rejects a VPC too small for its subnets", () => {
        const found = dev({ "eks-platform:network": { vpcCidr: "10.0.0.0/20", privateSubnetPrefix: 20 } });
        expectProblem(found, "eks-platform:network.vpcCidr", /(too small|larger than each subnet)/);
    });

    it("rejects an AZ count out of range", () => {
        expectProblem(dev({ "eks-platform:network": { azCount: 4 } }), "eks-platform:network.azCount", /2 or 3/, "4");
        expectProblem(dev({ "eks-platform:network": { azCount: 1 } }), "eks-platform:network.azCount", /2 or 3/, "1");
    });

    it("rejects an unknown NAT mode", () => {
        expectProblem(
            dev({ "eks-platform:network": { natGateways: "perAZ" } }),
            "eks-platform:network.natGateways",
            /single, perAz, none/,
            '"perAZ"',
        );
    });

    it("rejects an unknown environment", () => {
        expectProblem(dev({ "eks-platform:environment": "qa" }), "eks-platform:environment", /dev, staging, prod/, '"qa"');
    });

    it("rejects a missing region", () => {
        const found = problems({ stack: "dev" }, (raw) => delete raw["aws:region"]);
        expectProblem(found, "aws:region", /is required/, "nothing");
    });

    it("rejects an unsupported Kubernetes version", () => {
        expectProblem(
            dev({ "eks-platform:cluster": { kubernetesVersion: "1.25" } }),
            "eks-platform:cluster.kubernetesVersion",
            /supported Kubernetes version/,
            '"1.25"',
        );
    });

    it("rejects a version given as a YAML number", () => {
        expectProblem(dev({ "eks-platform:cluster": { kubernetesVersion: 1.3 } }), "eks-platform:cluster.kubernetesVersion", /quote it/);
    });

    it("rejects an empty node pool list", () => {
        expectProblem(
            dev({ "eks-platform:karpenter": { nodePools: [] } }),
            "eks-platform:karpenter.nodePools",
            /at least one NodePool/,
            "[]",
        );
    });

    it("rejects a node pool with no limits", () => {
        const found = problems({ stack: "dev" }, (raw) => {
            const k = raw["eks-platform:karpenter"] as { nodePools: Record<string, unknown>[] };
            delete k.nodePools[0]?.limits;
        });
        expectProblem(found, "eks-platform:karpenter.nodePools[0].limits", /every NodePool needs limits/, "nothing");
    });

    it("rejects duplicate pool names", () => {
        const found = problems({ stack: "staging" }, (raw) => {
            const k = raw["eks-platform:karpenter"] as { nodePools: Record<string, unknown>[] };
            (k.nodePools[1] as Record<string, unknown>).name = "general";
        });
        expectProblem(found, "eks-platform:karpenter.nodePools[1].name", /must be unique/, '"general"');
    });

    it("rejects an unknown capacity type", () => {
        const found = problems({ stack: "dev" }, (raw) => {
            const k = raw["eks-platform:karpenter"] as { nodePools: Record<string, unknown>[] };
            (k.nodePools[0] as Record<string, unknown>).capacityTypes = ["spot", "preemptible"];
        });
        expectProblem(found, "eks-platform:karpenter.nodePools[0].capacityTypes[1]", /spot, on-demand/, '"preemptible"');
    });

    it("rejects an unknown architecture", () => {
        const found = problems({ stack: "dev" }, (raw) => {
            const k = raw["eks-platform:karpenter"] as { nodePools: Record<string, unknown>[] };
            (k.nodePools[0] as Record<string, unknown>).architectures = ["x86_64"];
        });
        expectProblem(found, "eks-platform:karpenter.nodePools[0].architectures[0]", /amd64, arm64/, '"x86_64"');
    });

    it("rejects an unknown instance family", () => {
        const found = problems({ stack: "dev" }, (raw) => {
            const k = raw["eks-platform:karpenter"] as { nodePools: Record<string, unknown>[] };
            (k.nodePools[0] as Record<string, unknown>).instanceFamilies = ["m7g", "q9x"];
        });
        expectProblem(found, "eks-platform:karpenter.nodePools[0].instanceFamilies[1]", /instance family/, '"q9x"');
    });

    it("rejects a public endpoint open to 0.0.0.0/0 in prod", () => {
        const found = prod({
            "eks-platform:cluster": { endpoint: { publicAccess: true, publicAccessCidrs: ["10.0.0.0/8", "0.0.0.0/0"] } },
        });
        expectProblem(found, "eks-platform:cluster.endpoint.publicAccessCidrs[1]", /whole internet in prod/, '"0.0.0.0/0"');
    });

    it("allows 0.0.0.0/0 outside prod only when asked for explicitly", () => {
        expect(dev({ "eks-platform:cluster": { endpoint: { publicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } } })).toEqual([]);
        expectProblem(
            dev({ "eks-platform:cluster": { endpoint: { publicAccess: true, publicAccessCidrs: [] } } }),
            "eks-platform:cluster.endpoint.publicAccessCidrs",
            /0\.0\.0\.0\/0 when empty/,
        );
    });

    it("rejects turning the private endpoint off", () => {
        expectProblem(
            dev({ "eks-platform:cluster": { endpoint: { privateAccess: false } } }),
            "eks-platform:cluster.endpoint.privateAccess",
            /must be true/,
            "false",
        );
    });

    it("rejects a system node group smaller than 2 nodes in prod", () => {
        const found = prod({ "eks-platform:cluster": { systemNodeGroup: { minSize: 1, desiredSize: 2 } } });
        expectProblem(found, "eks-platform:cluster.systemNodeGroup.minSize", /at least 2 in prod/, "1");
    });

    it("rejects an add-on version that is not an EKS build", () => {
        expectProblem(
            dev({ "eks-platform:cluster": { addons: { coredns: "1.11.1" } } }),
            "eks-platform:cluster.addons.coredns",
            /eksbuild/,
            '"1.11.1"',
        );
    });

    it("rejects a kube-proxy version for another Kubernetes minor", () => {
        expectProblem(
            dev({ "eks-platform:cluster": { addons: { kubeProxy: "v1.31.2-eksbuild.3" } } }),
            "eks-platform:cluster.addons.kubeProxy",
            /minor version 1\.35/,
        );
    });

    it("rejects a control-plane log list without audit", () => {
        expectProblem(
            dev({ "eks-platform:cluster": { logTypes: ["api", "authenticator"] } }),
            "eks-platform:cluster.logTypes",
            /must include api, audit, authenticator/,
        );
    });

    it("rejects a log retention CloudWatch does not offer", () => {
        expectProblem(
            dev({ "eks-platform:cluster": { logRetentionDays: 10 } }),
            "eks-platform:cluster.logRetentionDays",
            /retention periods/,
            "10",
        );
    });

    it("rejects an AMI alias of @latest in prod", () => {
        expectProblem(
            prod({ "eks-platform:karpenter": { amiAlias: "al2023@latest" } }),
            "eks-platform:karpenter.amiAlias",
            /pin an AMI version in prod/,
            '"al2023@latest"',
        );
    });

    it("rejects an unknown CNI mode", () => {
        expectProblem(
            dev({ "eks-platform:cni": { mode: "cilium" } }),
            "eks-platform:cni.mode",
            /calico-policy, vpc-cni-policy, calico-cni/,
            '"cilium"',
        );
    });

    it("rejects custom networking without a secondary CIDR", () => {
        const found = dev({ "eks-platform:cni": { vpcCni: { customNetworking: true } } });
        expectProblem(found, "eks-platform:cni.vpcCni.customNetworking", /needs eks-platform:network\.podCidr/, "true");
    });

    it("rejects a misspelt setting instead of ignoring it", () => {
        expectProblem(
            dev({ "eks-platform:network": { natGateway: "single" } }),
            "eks-platform:network.natGateway",
            /not a known setting/,
            '"single"',
        );
    });

    it("rejects an unknown eks-platform key", () => {
        expectProblem(dev({ "eks-platform:clustr": { name: "x" } }), "eks-platform:clustr", /not a known setting/);
    });

    it("requires the Owner and CostCenter tags", () => {
        const found = problems({ stack: "dev" }, (raw) => {
            raw["eks-platform:tags"] = { Owner: "me" };
        });
        expectProblem(found, "eks-platform:tags.CostCenter", /is required/);
    });

    it("reports every problem at once, not the first", () => {
        const found = prod({
            "eks-platform:network": { vpcCidr: "300.0.0.0/16", azCount: 7 },
            "eks-platform:cluster": { kubernetesVersion: "1.20" },
            "eks-platform:cni": { mode: "flannel" },
        });
        expect(found.map((p) => p.path).sort()).toEqual([
            "eks-platform:cluster.kubernetesVersion",
            "eks-platform:cni.mode",
            "eks-platform:network.azCount",
            "eks-platform:network.vpcCidr",
        ]);
    });

    it("runs every rule whose values parsed: a bad azCount does not hide prod's protect: false", () => {
        const found = prod({ "eks-platform:network": { azCount: 7 }, "eks-platform:cluster": { protect: false } });
        expect(found.map((p) => p.path).sort()).toEqual(["eks-platform:cluster.protect", "eks-platform:network.azCount"]);
        expectProblem(found, "eks-platform:cluster.protect", /must be true in prod/, "false");
    });

    it("reports both CIDRs that overlap the VPC, though one of them fails its own section", () => {
        const found = dev({
            "eks-platform:network": { vpcCidr: "10.10.0.0/16", podCidr: "10.10.128.0/18" },
            "eks-platform:cluster": { serviceCidr: "10.10.0.0/20" },
        });
        expectProblem(found, "eks-platform:network.podCidr", /must not overlap vpcCidr 10\.10\.0\.0\/16/, '"10.10.128.0/18"');
        expectProblem(found, "eks-platform:cluster.serviceCidr", /must not overlap eks-platform:network\.vpcCidr/, '"10.10.0.0/20"');
    });

    it("reports three unrelated mistakes in three sections at once, each with key, value and rule", () => {
        const found = prod({
            "eks-platform:network": { natGateways: "sometimes" },
            "eks-platform:karpenter": { replicas: 1 },
            "eks-platform:observability": { loki: { retentionDays: 0 } },
        });
        expect(found).toHaveLength(3);
        expectProblem(found, "eks-platform:network.natGateways", /must be one of single, perAz, none/, '"sometimes"');
        expectProblem(found, "eks-platform:karpenter.replicas", /at least 2 in prod/, "1");
        expectProblem(found, "eks-platform:observability.loki.retentionDays", /between 1 and 3650/, "0");
    });

    it("skips only the rules whose values failed (a rule over a failed field does not run on bad data)", () => {
        // kubernetesVersion fails its enum: the kube-proxy rule, which reads it, must not add a second problem.
        const found = dev({ "eks-platform:cluster": { kubernetesVersion: "1.20" } });
        expect(found.map((p) => p.path)).toEqual(["eks-platform:cluster.kubernetesVersion"]);
    });

    it("formats the error as one line per problem with path, rule and value", () => {
        const raw = rawConfigFor({ stack: "dev", overrides: { "eks-platform:network": { azCount: 5 } } });
        expect(() => parsePlatformConfig(raw, "dev")).toThrow(
            /stack dev: 1 configuration problem:\n {2}- eks-platform:network\.azCount: must be 2 or 3 \(got 5\)/,
        );
    });
});

describe("deepMerge", () => {
    it("merges objects key by key and replaces arrays", () => {
        expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).toEqual({ a: { b: 1, c: [3] }, d: 1, e: 2 });
    });
});

describe("the registry of sections and rules", () => {
    it("every rule reads only values the loader can report as parsed (a typo would make a rule that never runs)", () => {
        const names = new Set<string>();
        for (const section of SECTIONS) {
            names.add(section.name);
            const shape = (section.schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
            for (const field of Object.keys(shape)) names.add(`${section.name}.${field}`);
        }
        for (const rule of RULES) for (const need of rule.needs) expect(names, `${rule.summary}: ${need}`).toContain(need);
    });

    it("every key a rule reports on is a setting of a registered section", () => {
        const keys = SECTIONS.map((s) => s.key);
        for (const rule of RULES)
            for (const path of rule.reports)
                expect(
                    keys.some((k) => path.startsWith(k)),
                    path,
                ).toBe(true);
    });
});
