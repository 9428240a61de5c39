// eks-platform:karpenter: every stack parses, presets expand, the spot overflow is derived as documented, and every
// bad value gets a ConfigError naming its key path.
import { describe, expect, it } from "vitest";
import { ConfigError, parsePlatformConfig } from "../../stacks/config";
import { effectiveNodePools, scaleQuantity } from "../../stacks/schema/karpenter";
import { configProblems } from "../helpers/config";
import { listStacks, platformConfigFor, rawConfigFor } from "../../plan";

const pool = (extra: Record<string, unknown> = {}) => ({
    name: "general",
    preset: "general",
    limits: { cpu: "64", memory: "256Gi" },
    ...extra,
});
const prodBudgets = {
    consolidationPolicy: "WhenEmptyOrUnderutilized",
    consolidateAfter: "1m",
    budgets: [{ nodes: "10%" }, { nodes: "0", schedule: "0 8 * * mon-fri", duration: "10h" }],
};

// The stack's teams are left out: they name its pools (prod's payments team), which these tests replace.
const problems = (stack: string, karpenter: Record<string, unknown>) =>
    configProblems({ stack, overrides: { "eks-platform:karpenter": karpenter, "eks-platform:teams": { teams: [] } } });

function expectProblem(stack: string, karpenter: Record<string, unknown>, path: string, rule: RegExp): void {
    const found = problems(stack, karpenter);
    expect(
        found.map((p) => p.path),
        JSON.stringify(found),
    ).toContain(path);
    expect(found.find((p) => p.path === path)?.rule).toMatch(rule);
}

describe("the stacks' Karpenter settings", () => {
    it.each(listStacks())("%s parses, with a pinned AMI alias and a pool", (stack) => {
        const config = platformConfigFor(stack);
        expect(config.karpenter.chartVersion).toBe("1.14.1");
        expect(config.karpenter.amiAlias).toMatch(/^al2023@v\d{8}$/);
        expect(config.karpenter.nodePools.length).toBeGreaterThan(0);
        for (const p of config.karpenter.nodePools) expect(p.limits.cpu).toBeTruthy();
    });

    it("prod's baseline derives a spot overflow pool with 60% of the pair's limits", () => {
        const pools = effectiveNodePools(platformConfigFor("prod").karpenter.nodePools);
        expect(pools.map((p) => p.name)).toEqual(["baseline", "baseline-spot", "payments"]);
        const [baseline, spot] = pools;
        expect(baseline).toMatchObject({ capacityTypes: ["on-demand"], weight: 100, limits: { cpu: "400", memory: "1600Gi" } });
        expect(spot).toMatchObject({
            capacityTypes: ["spot"],
            weight: 10,
            limits: { cpu: "600", memory: "2400Gi" },
            derivedFrom: { name: "baseline", index: 0 },
        });
        expect(spot?.disruption).toEqual(baseline?.disruption);
        expect(spot?.labels).toEqual({ "eks-platform/capacity-split": "baseline" });
        expect(baseline).not.toHaveProperty("spotOverflow");
    });

    it("presets fill what a pool leaves out and a pool's own fields win", () => {
        const staging = platformConfigFor("staging").karpenter.nodePools;
        expect(staging.find((p) => p.name === "graviton")).toMatchObject({
            architectures: ["arm64"],
            capacityTypes: ["spot", "on-demand"],
            weight: 20,
            minGeneration: 6,
        });
        const dev = platformConfigFor("dev").karpenter.nodePools[0];
        expect(dev).toMatchObject({ capacityTypes: ["spot"], architectures: ["amd64", "arm64"], expireAfter: "168h" });
        const team = platformConfigFor("prod").karpenter.nodePools.find((p) => p.name === "payments");
        expect(team).toMatchObject({
            taints: [{ key: "eks-platform/team", value: "payments", effect: "NoSchedule" }],
            labels: { "eks-platform/team": "payments" },
        });
        // The on-demand-baseline preset alone gives a 50/50 split.
        const split = effectiveNodePools(
            platformConfigFor({
                stack: "dev",
                overrides: { "eks-platform:karpenter": { nodePools: [pool({ name: "base", preset: "on-demand-baseline" })] } },
            }).karpenter.nodePools,
        );
        expect(split.map((p) => [p.name, p.limits.cpu, p.weight])).toEqual([
            ["base", "64", 100],
            ["base-spot", "64", 10],
        ]);
    });

    it("scales quantities in their own unit, rounding up", () => {
        expect(scaleQuantity("400", 60, 40)).toBe("600");
        expect(scaleQuantity("1600Gi", 60, 40)).toBe("2400Gi");
        expect(scaleQuantity("10", 1, 3)).toBe("4");
        expect(scaleQuantity("500m", 50, 50)).toBe("500m");
        expect(scaleQuantity("1.5", 50, 50)).toBe("2");
    });
});

describe("bad Karpenter settings name their key", () => {
    const K = "eks-platform:karpenter";

    it("a pool without limits", () => {
        expectProblem(
            "dev",
            { nodePools: [{ name: "general", preset: "general" }] },
            `${K}.nodePools[0].limits`,
            /is required: every NodePool needs limits\.cpu and limits\.memory/,
        );
    });
    it("limits without memory", () => {
        expectProblem("dev", { nodePools: [pool({ limits: { cpu: "8" } })] }, `${K}.nodePools[0].limits.memory`, /required/);
    });
    it("an unknown capacity type", () => {
        expectProblem(
            "dev",
            { nodePools: [pool({ capacityTypes: ["spot", "preemptible"] })] },
            `${K}.nodePools[0].capacityTypes[1]`,
            /must be one of spot, on-demand/,
        );
    });
    it("an unknown architecture", () => {
        expectProblem(
            "dev",
            { nodePools: [pool({ architectures: ["x86_64"] })] },
            `${K}.nodePools[0].architectures[0]`,
            /must be one of amd64, arm64/,
        );
    });
    it("an unknown instance family", () => {
        expectProblem(
            "dev",
            { nodePools: [pool({ instanceFamilies: ["m7g", "q9z"] })] },
            `${K}.nodePools[0].instanceFamilies[1]`,
            /must be an EC2 instance family/,
        );
    });
    it("an unknown instance category", () => {
        expectProblem(
            "dev",
            { nodePools: [pool({ instanceCategories: ["c", "y"] })] },
            `${K}.nodePools[0].instanceCategories[1]`,
            /must be one of/,
        );
    });
    it("a duplicate pool name", () => {
        expectProblem("dev", { nodePools: [pool(), pool()] }, `${K}.nodePools[1].name`, /must be unique/);
    });
    it("an empty pool list", () => {
        expectProblem("dev", { nodePools: [] }, `${K}.nodePools`, /must declare at least one NodePool/);
    });
    it("@latest in prod, for the stack and for a node class", () => {
        expectProblem("prod", { amiAlias: "al2023@latest" }, `${K}.amiAlias`, /must pin an AMI version in prod/);
        expectProblem(
            "prod",
            { nodeClasses: [{ name: "default", volumeSizeGiB: 100, amiAlias: "al2023@latest" }] },
            `${K}.nodeClasses[0].amiAlias`,
            /must pin an AMI version in prod/,
        );
        // ...but dev may float.
        expect(problems("dev", { amiAlias: "al2023@latest" })).toEqual([]);
    });
    it("a prod pool without a schedule-bound budget", () => {
        expectProblem(
            "prod",
            { nodePools: [pool({ disruption: { ...prodBudgets, budgets: [{ nodes: "10%" }] } })] },
            `${K}.nodePools[0].disruption.budgets`,
            /schedule-bound budget in prod/,
        );
        expect(problems("prod", { nodePools: [pool({ disruption: prodBudgets })] })).toEqual([]);
    });
    it("a pool naming an unknown node class", () => {
        expectProblem(
            "dev",
            { nodePools: [pool({ nodeClass: "gpu" })] },
            `${K}.nodePools[0].nodeClass`,
            /must name an EC2NodeClass declared in eks-platform:karpenter\.nodeClasses \(default\)/,
        );
    });
    it("a budget above 100% and a schedule without duration", () => {
        const disruption = {
            consolidationPolicy: "WhenEmpty",
            consolidateAfter: "1m",
            budgets: [{ nodes: "150%" }, { nodes: "0", schedule: "0 8 * * *" }],
        };
        expectProblem(
            "dev",
            { nodePools: [pool({ disruption })] },
            `${K}.nodePools[0].disruption.budgets[0].nodes`,
            /percentage from 0% to 100%/,
        );
        expectProblem(
            "dev",
            { nodePools: [pool({ disruption })] },
            `${K}.nodePools[0].disruption.budgets[1]`,
            /schedule and duration go together/,
        );
    });
    it("a fractional or day-based duration Karpenter's CRD refuses", () => {
        expectProblem("dev", { nodePools: [pool({ expireAfter: "30d" })] }, `${K}.nodePools[0].expireAfter`, /whole s, m or h/);
        expectProblem(
            "dev",
            { nodePools: [pool({ disruption: { ...prodBudgets, consolidateAfter: "1.5m" } })] },
            `${K}.nodePools[0].disruption.consolidateAfter`,
            /whole s, m or h/,
        );
    });
    it("a spot overflow on a pool that is not on-demand only", () => {
        expectProblem(
            "dev",
            { nodePools: [pool({ weight: 50, spotOverflow: { spotShare: 50 } })] },
            `${K}.nodePools[0].spotOverflow`,
            /needs capacityTypes \[on-demand\]/,
        );
    });
    it("a spot overflow weighted at or above its baseline", () => {
        expectProblem(
            "dev",
            { nodePools: [pool({ preset: "on-demand-baseline", weight: 10, spotOverflow: { spotShare: 50, weight: 20 } })] },
            `${K}.nodePools[0].weight`,
            /must be higher than spotOverflow\.weight \(20\)/,
        );
    });
    it("a spot share outside 1-99", () => {
        expectProblem(
            "dev",
            { nodePools: [pool({ preset: "on-demand-baseline", spotOverflow: { spotShare: 100 } })] },
            `${K}.nodePools[0].spotOverflow.spotShare`,
            /between 1 and 99/,
        );
    });
    it("a derived spot pool whose name clashes with a declared pool", () => {
        expectProblem(
            "dev",
            { nodePools: [pool({ name: "base", preset: "on-demand-baseline" }), pool({ name: "base-spot" })] },
            `${K}.nodePools[0].spotOverflow.name`,
            /must be unique: the spot pool derived from base/,
        );
    });
    it("a label in a domain Karpenter reserves", () => {
        expectProblem(
            "dev",
            { nodePools: [pool({ labels: { "karpenter.sh/capacity-type": "spot" } })] },
            `${K}.nodePools[0].labels.karpenter.sh/capacity-type`,
            /label Karpenter reserves/,
        );
        expectProblem(
            "dev",
            { nodePools: [pool({ labels: { "kubernetes.io/hostname": "x" } })] },
            `${K}.nodePools[0].labels.kubernetes.io/hostname`,
            /label Karpenter reserves/,
        );
    });
    it("a node class tag Karpenter sets itself", () => {
        expectProblem(
            "dev",
            { nodeClasses: [{ name: "default", volumeSizeGiB: 50, tags: { "kubernetes.io/cluster/eks-platform-dev": "owned" } }] },
            `${K}.nodeClasses[0].tags.kubernetes.io/cluster/eks-platform-dev`,
            /tag Karpenter sets itself/,
        );
        expectProblem(
            "dev",
            { nodeClasses: [{ name: "default", volumeSizeGiB: 50, tags: { "eks:eks-cluster-name": "x" } }] },
            `${K}.nodeClasses[0].tags.eks:eks-cluster-name`,
            /tag Karpenter sets itself/,
        );
    });
    it("a team pool without taints", () => {
        expectProblem(
            "dev",
            { nodePools: [pool({ name: "payments", preset: "team", taints: [] })] },
            `${K}.nodePools[0].taints`,
            /at least one taint for a team pool/,
        );
    });
    it("maxPods together with podsPerCore, and an AMI chosen twice", () => {
        expectProblem(
            "dev",
            { nodeClasses: [{ name: "default", volumeSizeGiB: 50, maxPods: 110, podsPerCore: 10 }] },
            `${K}.nodeClasses[0].podsPerCore`,
            /must not be set together with maxPods/,
        );
        expectProblem(
            "dev",
            {
                nodeClasses: [
                    { name: "default", volumeSizeGiB: 50, amiAlias: "al2023@v20251120", amiSelector: { id: "ami-0123456789abcdef0" } },
                ],
            },
            `${K}.nodeClasses[0]`,
            /amiAlias or amiSelector, not both/,
        );
        expectProblem(
            "dev",
            { nodeClasses: [{ name: "default", volumeSizeGiB: 50, amiSelector: { id: "ami-0123456789abcdef0", name: "x" } }] },
            `${K}.nodeClasses[0].amiSelector`,
            /exactly one of id, name or tags/,
        );
    });
    it("a zone outside the network's zones", () => {
        const raw = rawConfigFor({
            stack: "dev",
            overrides: {
                "eks-platform:network": { availabilityZones: ["eu-west-1a", "eu-west-1b"] },
                [K]: { nodePools: [pool({ zones: ["eu-west-1c"] })] },
            },
        });
        try {
            parsePlatformConfig(raw, "dev");
            throw new Error("expected a ConfigError");
        } catch (err) {
            expect(err).toBeInstanceOf(ConfigError);
            expect((err as ConfigError).problems.map((p) => p.path)).toContain(`${K}.nodePools[0].zones[0]`);
        }
    });
    it("the error message lists path, rule and value", () => {
        try {
            parsePlatformConfig(
                rawConfigFor({ stack: "dev", overrides: { [K]: { nodePools: [pool({ capacityTypes: ["preemptible"] })] } } }),
                "dev",
            );
            throw new Error("expected a ConfigError");
        } catch (err) {
            expect((err as Error).message).toContain(
                `${K}.nodePools[0].capacityTypes[0]: must be one of spot, on-demand (got "preemptible")`,
            );
        }
    });
});
