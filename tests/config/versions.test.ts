// Versions follow the cluster's Kubernetes minor: one config line moves the add-on builds and the node AMI; a
// version past EKS standard support is refused in prod unless the stack accepts extended support, warned elsewhere,
// judged against the version table's own as-of date.
import { describe, expect, it } from "vitest";
import { platformConfigFor } from "../../plan";
import { clusterAddonVersions, observabilityAddonVersions, VERSIONS_AS_OF, versionsFor } from "../../stacks/versions";
import { configProblems } from "../helpers/config";

const cluster = (overrides: Record<string, unknown>) => ({ "eks-platform:cluster": overrides });

describe("a stack names its minor; everything that follows it follows", () => {
    it("ships every stack on 1.35 with the table's builds and AMI", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const c = platformConfigFor(stack);
            expect(c.cluster.kubernetesVersion).toBe("1.35");
            expect(c.cluster.addons).toEqual(clusterAddonVersions("1.35"));
            expect(c.karpenter.amiAlias).toBe(versionsFor("1.35").ami.karpenterAlias);
            expect(c.observability.containerInsights.version).toBe(observabilityAddonVersions("1.35").containerInsights);
        }
    });

    it("moves the add-ons and the Karpenter alias with one line (kubernetesVersion)", () => {
        const c = platformConfigFor({ stack: "staging", overrides: cluster({ kubernetesVersion: "1.34" }) });
        expect(c.cluster.addons).toEqual(clusterAddonVersions("1.34"));
        expect(c.cluster.addons.kubeProxy.startsWith("v1.34.")).toBe(true);
        expect(c.karpenter.amiAlias).toBe(versionsFor("1.34").ami.karpenterAlias);
    });

    it("keeps a per-add-on override", () => {
        const c = platformConfigFor({ stack: "dev", overrides: cluster({ addons: { coredns: "v1.14.2-eksbuild.1" } }) });
        expect(c.cluster.addons.coredns).toBe("v1.14.2-eksbuild.1");
        expect(c.cluster.addons.vpcCni).toBe(clusterAddonVersions("1.35").vpcCni);
    });

    it("keeps a pinned AMI alias", () => {
        const c = platformConfigFor({ stack: "dev", overrides: { "eks-platform:karpenter": { amiAlias: "al2023@v20260601" } } });
        expect(c.karpenter.amiAlias).toBe("al2023@v20260601");
    });
});

describe("support dates (as of the table, not the wall clock)", () => {
    it("the table has an as-of date", () => {
        expect(VERSIONS_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it("refuses 1.34 in prod: past standard support on the table's date", () => {
        const found = configProblems({ stack: "prod", overrides: cluster({ kubernetesVersion: "1.34" }) });
        expect(found).toEqual([
            expect.objectContaining({
                path: "eks-platform:cluster.kubernetesVersion",
                value: '"1.34"',
                rule: expect.stringMatching(
                    /left EKS standard support on 2026-12-02.*acceptExtendedSupport: true and upgradePolicy.supportType EXTENDED/,
                ),
            }),
        ]);
    });

    it("accepts 1.34 in prod with extended support accepted and the EXTENDED policy, with a warning naming the price", () => {
        const c = platformConfigFor({
            stack: "prod",
            overrides: cluster({ kubernetesVersion: "1.34", acceptExtendedSupport: true, upgradePolicy: { supportType: "EXTENDED" } }),
        });
        expect(c.warnings).toEqual([
            expect.objectContaining({ path: "eks-platform:cluster.kubernetesVersion", rule: expect.stringContaining("$0.60") }),
        ]);
    });

    it("refuses the acceptance without the EXTENDED policy (EKS would upgrade the control plane itself)", () => {
        const found = configProblems({ stack: "prod", overrides: cluster({ kubernetesVersion: "1.34", acceptExtendedSupport: true }) });
        expect(found.map((p) => p.path)).toEqual(["eks-platform:cluster.upgradePolicy.supportType"]);
    });

    it("warns outside prod", () => {
        const c = platformConfigFor({ stack: "staging", overrides: cluster({ kubernetesVersion: "1.34" }) });
        expect(c.warnings.map((w) => w.path)).toEqual(["eks-platform:cluster.kubernetesVersion"]);
    });

    it("refuses a minor the table has no entry for, naming the ones it has", () => {
        const found = configProblems({ stack: "dev", overrides: cluster({ kubernetesVersion: "1.31" }) });
        expect(found).toEqual([
            expect.objectContaining({ path: "eks-platform:cluster.kubernetesVersion", rule: expect.stringContaining("1.35") }),
        ]);
    });

    it("the shipped stacks plan without a support warning", () => {
        for (const stack of ["dev", "staging", "prod"]) expect(platformConfigFor(stack).warnings).toEqual([]);
    });
});
