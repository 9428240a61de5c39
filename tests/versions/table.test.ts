// The version table's shape: every minor has every add-on with an EKS add-on version, kube-proxy is built for its
// minor, the AMI release reads the same for the node group and Karpenter, the support dates are in order, and every
// fact says where it came from. The checker the table relies on is itself shown to catch each fault.
import { describe, expect, it } from "vitest";
import { addonVersion } from "../../stacks/schema/common";
import { clusterSchema } from "../../stacks/schema/cluster";
import {
    ADDON_NAMES,
    KUBERNETES_MINORS,
    UnknownKubernetesVersionError,
    VERSIONS_AS_OF,
    VERSION_TABLE,
    clusterAddonVersions,
    entryProblems,
    observabilityAddonVersions,
    versionsFor,
    type MinorVersions,
    type PinnedAddon,
} from "../../stacks/versions";

const entries = Object.entries(VERSION_TABLE.minors) as [string, MinorVersions][];
const copy = (minor: (typeof KUBERNETES_MINORS)[number]): MinorVersions => structuredClone(VERSION_TABLE.minors[minor]);

describe("the version table", () => {
    it("has one entry per minor it names, 1.32 to 1.36, and is dated", () => {
        expect(Object.keys(VERSION_TABLE.minors)).toEqual([...KUBERNETES_MINORS]);
        expect(KUBERNETES_MINORS).toEqual(expect.arrayContaining(["1.33", "1.34", "1.35"]));
        expect(VERSIONS_AS_OF).toBe("2026-12-02");
    });

    it.each(entries)("%s is coherent (entryProblems finds nothing)", (minor, entry) => {
        expect(entryProblems(minor, entry)).toEqual([]);
    });

    it.each(entries)("%s has every add-on, each an EKS add-on version with a source and read date", (_minor, entry) => {
        expect(Object.keys(entry.addons).sort()).toEqual([...ADDON_NAMES].sort());
        for (const addon of Object.values(entry.addons)) {
            expect(addonVersion.safeParse(addon.version).success, addon.version).toBe(true);
            expect(addon.source.length).toBeGreaterThan(0);
            expect(addon.asOf).toBe(VERSIONS_AS_OF);
        }
    });

    it.each(entries)("%s: kube-proxy is built for the minor, and the AMI names one release three ways", (minor, entry) => {
        expect(entry.addons["kube-proxy"].version.startsWith(`v${minor}.`)).toBe(true);
        const day = entry.ami.release.slice(1);
        expect(entry.ami.releaseVersion).toMatch(new RegExp(`^${minor.replace(".", "\\.")}\\.\\d+-${day}$`));
        expect(entry.ami.karpenterAlias).toBe(`al2023@${entry.ami.release}`);
    });

    it.each(entries)("%s: the calendar runs upstream < EKS release < end of standard < end of extended", (_minor, entry) => {
        const { upstreamRelease, eksRelease, endOfStandardSupport, endOfExtendedSupport } = entry.support;
        const days = [upstreamRelease, eksRelease, endOfStandardSupport, endOfExtendedSupport].map((d) => Date.parse(`${d}T00:00:00Z`));
        expect(days.every((d) => !Number.isNaN(d))).toBe(true);
        expect([...days].sort((a, b) => a - b)).toEqual(days);
        expect(new Set(days).size).toBe(4);
        // EKS: 14 months of standard support, then 12 of extended (user guide, "Kubernetes version lifecycle").
        const months = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
        expect(months(endOfStandardSupport) - months(eksRelease)).toBe(14);
        expect(endOfStandardSupport.slice(8)).toBe(eksRelease.slice(8));
        expect(endOfExtendedSupport).toBe(`${Number(endOfStandardSupport.slice(0, 4)) + 1}${endOfStandardSupport.slice(4)}`);
    });

    it("matches the EKS calendar for the two dates the upgrade turns on", () => {
        expect(VERSION_TABLE.minors["1.34"].support.endOfStandardSupport).toBe("2026-12-02");
        expect(VERSION_TABLE.minors["1.35"].support.endOfStandardSupport).toBe("2027-03-27");
    });

    it("marks as verified only what an AWS source states, and says how to refresh the rest", () => {
        const awsSource = /EKS user guide|awslabs\/amazon-eks-ami|DescribeAddonVersions|DescribeClusterVersions|SSM /;
        for (const [minor, entry] of entries) {
            for (const fact of [entry.support, entry.ami, ...Object.values(entry.addons)]) {
                if (fact.verified) expect(fact.source, minor).toMatch(awsSource);
                else expect(fact.note, `${minor}: ${fact.source}`).toMatch(/npm run versions/);
            }
        }
    });
});

describe("entryProblems", () => {
    it("names a missing add-on and one the platform does not pin", () => {
        const entry = copy("1.35");
        const addons: Partial<Record<string, PinnedAddon>> = entry.addons;
        delete addons["metrics-server"];
        addons["aws-load-balancer-controller"] = entry.addons.coredns;
        expect(entryProblems("1.35", entry)).toEqual([
            "1.35 metrics-server: missing",
            "1.35 aws-load-balancer-controller: not an add-on the platform pins",
        ]);
    });

    it("refuses a kube-proxy build for another minor and a version that is not an add-on version", () => {
        const entry = copy("1.35");
        entry.addons["kube-proxy"].version = "v1.34.6-eksbuild.13";
        entry.addons.coredns.version = "1.14.3";
        expect(entryProblems("1.35", entry)).toEqual([
            "1.35 coredns: 1.14.3 is not an EKS add-on version (v1.2.3-eksbuild.4)",
            "1.35 kube-proxy: v1.34.6-eksbuild.13 is not built for Kubernetes 1.35",
        ]);
    });

    it("refuses dates out of order and a day that does not exist", () => {
        const entry = copy("1.34");
        entry.support.endOfStandardSupport = "2028-01-01";
        expect(entryProblems("1.34", entry)).toEqual(["1.34 support: dates out of order (2025-08-27, 2025-10-02, 2028-01-01, 2027-12-02)"]);
        entry.support.endOfStandardSupport = "2026-02-30";
        expect(entryProblems("1.34", entry)).toContain("1.34 support.endOfStandardSupport: 2026-02-30 is not a calendar day");
    });

    it("refuses an AMI release spelled differently for the node group or Karpenter", () => {
        const entry = copy("1.35");
        entry.ami.releaseVersion = "1.35.6-20260625";
        entry.ami.karpenterAlias = "al2023@latest";
        expect(entryProblems("1.35", entry)).toEqual([
            "1.35 ami: releaseVersion 1.35.6-20260625 is not 1.35.<patch>-20260714",
            "1.35 ami: karpenterAlias al2023@latest is not al2023@v20260714",
        ]);
    });

    it("refuses an unverified fact that does not say how to refresh it, and one without a source", () => {
        const entry = copy("1.35");
        entry.addons.adot.note = "probably fine";
        entry.ami.source = " ";
        expect(entryProblems("1.35", entry)).toEqual([
            "1.35 adot: is unverified, so its note must say to refresh it with npm run versions",
            "1.35 ami: has no source",
        ]);
    });
});

describe("versionsFor and the per-section views", () => {
    it("returns the minor's entry and refuses one the table lacks, naming what it has", () => {
        expect(versionsFor("1.35")).toBe(VERSION_TABLE.minors["1.35"]);
        expect(() => versionsFor("1.31")).toThrow(UnknownKubernetesVersionError);
        expect(() => versionsFor("1.31")).toThrow(
            "Kubernetes 1.31 has no entry in the version table (stacks/versions/table.ts has 1.32, 1.33",
        );
    });

    it.each([...KUBERNETES_MINORS])("%s fits eks-platform:cluster.addons and the observability add-on settings", (minor) => {
        const cluster = clusterAddonVersions(minor);
        expect(Object.keys(cluster).sort()).toEqual(Object.keys(clusterSchema.shape.addons.shape).sort());
        for (const v of [...Object.values(cluster), ...Object.values(observabilityAddonVersions(minor))]) {
            expect(addonVersion.safeParse(v).success, v).toBe(true);
        }
        expect(cluster.kubeProxy).toBe(versionsFor(minor).addons["kube-proxy"].version);
    });
});
