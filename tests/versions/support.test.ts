// Support status on the EKS calendar and the rule the config applies, at fixed as-of days: a version past standard
// support is refused in prod unless extended support is accepted (and the upgrade policy says EXTENDED), warned
// elsewhere; past extended support or before its EKS release it is refused everywhere. Never the wall clock.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
    SUPPORT_SETTING_PATHS,
    UPGRADE_ORDER,
    UnknownKubernetesVersionError,
    VERSION_TABLE,
    supportFindings,
    supportStatus,
    upgradePath,
    type SupportPolicyInput,
} from "../../stacks/versions";

const finding = (input: Partial<SupportPolicyInput> & Pick<SupportPolicyInput, "kubernetesVersion">) =>
    supportFindings({ environment: "prod", supportType: "STANDARD", acceptExtendedSupport: false, ...input });

afterEach(() => {
    vi.useRealTimers();
});

describe("supportStatus", () => {
    it.each([
        ["2025-10-01", "unreleased", 1],
        ["2025-10-02", "standard", 426],
        ["2026-12-01", "standard", 1],
        ["2026-12-02", "extended", 365],
        ["2027-12-01", "extended", 1],
        ["2027-12-02", "unsupported", undefined],
    ])("1.34 on %s is %s (next phase in %s days)", (asOf, phase, days) => {
        const status = supportStatus("1.34", asOf);
        expect(status.phase).toBe(phase);
        expect(status.daysToNextPhase).toBe(days);
        expect(status).toMatchObject({ eksRelease: "2025-10-02", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" });
    });

    it("judges against the table's as-of day by default: 1.34 is in extended support, 1.35 in standard for 115 more days", () => {
        expect(supportStatus("1.34")).toMatchObject({ phase: "extended", asOf: "2026-12-02" });
        expect(supportStatus("1.35")).toMatchObject({ phase: "standard", daysToNextPhase: 115, endOfStandardSupport: "2027-03-27" });
    });

    it("does not read the wall clock", () => {
        vi.useFakeTimers();
        vi.setSystemTime(new Date("2031-01-01T00:00:00Z"));
        expect(supportStatus("1.35").phase).toBe("standard");
        expect(
            supportFindings({ environment: "prod", kubernetesVersion: "1.35", supportType: "STANDARD", acceptExtendedSupport: false }),
        ).toEqual([]);
        // A newer table date (a refresh) is what moves the status.
        expect(supportStatus("1.35", undefined, { ...VERSION_TABLE, asOf: "2031-01-01" }).phase).toBe("unsupported");
    });

    it("refuses a minor the table lacks and a day that is not one", () => {
        expect(() => supportStatus("1.31")).toThrow(UnknownKubernetesVersionError);
        expect(() => supportStatus("1.35", "2026-13-01")).toThrow("not a calendar day (YYYY-MM-DD): 2026-13-01");
    });
});

describe("supportFindings on the table's day (2026-12-02)", () => {
    it("refuses 1.34 in prod without accepted extended support, naming the date, the way out and the price", () => {
        expect(finding({ kubernetesVersion: "1.34" })).toEqual([
            {
                severity: "error",
                pathParts: SUPPORT_SETTING_PATHS.kubernetesVersion,
                rule:
                    "Kubernetes 1.34 left EKS standard support on 2026-12-02 (version table as of 2026-12-02): upgrade to 1.35, or accept " +
                    "extended support ($0.60 instead of $0.10 per cluster-hour, until 2027-12-02) with acceptExtendedSupport: true and " +
                    "upgradePolicy.supportType EXTENDED",
            },
        ]);
    });

    it("does not take an EXTENDED upgrade policy alone for acceptance in prod", () => {
        expect(finding({ kubernetesVersion: "1.34", supportType: "EXTENDED" })).toEqual([
            expect.objectContaining({ severity: "error", pathParts: SUPPORT_SETTING_PATHS.kubernetesVersion }),
        ]);
    });

    it("lets prod stay on 1.34 with accepted extended support, with a warning of the cost", () => {
        expect(finding({ kubernetesVersion: "1.34", acceptExtendedSupport: true, supportType: "EXTENDED" })).toEqual([
            {
                severity: "warning",
                pathParts: SUPPORT_SETTING_PATHS.kubernetesVersion,
                rule:
                    "Kubernetes 1.34 left EKS standard support on 2026-12-02 (version table as of 2026-12-02): extended support costs " +
                    "$0.60 instead of $0.10 per cluster-hour until 2027-12-02; upgrade to 1.35",
            },
        ]);
    });

    it("refuses an acceptance that leaves the upgrade policy at STANDARD, at the supportType key", () => {
        const [only, ...rest] = finding({ kubernetesVersion: "1.34", acceptExtendedSupport: true, supportType: "STANDARD" });
        expect(rest).toEqual([]);
        expect(only).toMatchObject({ severity: "error", pathParts: SUPPORT_SETTING_PATHS.supportType });
        expect(only?.rule).toMatch(/^must be EXTENDED to accept extended support: .* with STANDARD EKS upgrades the control plane itself$/);
    });

    it.each(["dev", "staging"] as const)("only warns in %s, saying what STANDARD or EXTENDED means there", (environment) => {
        const standard = finding({ environment, kubernetesVersion: "1.34" });
        expect(standard.map((f) => f.severity)).toEqual(["warning"]);
        expect(standard[0]?.rule).toMatch(
            /with upgradePolicy\.supportType STANDARD, EKS upgrades the control plane itself; upgrade to 1\.35$/,
        );
        const extended = finding({ environment, kubernetesVersion: "1.34", supportType: "EXTENDED" });
        expect(extended.map((f) => f.severity)).toEqual(["warning"]);
        expect(extended[0]?.rule).toMatch(/extended support costs \$0\.60 instead of \$0\.10 per cluster-hour until 2027-12-02/);
    });

    it("has nothing to say about 1.35 in prod, 115 days before its end of standard support", () => {
        expect(finding({ kubernetesVersion: "1.35" })).toEqual([]);
    });

    it("refuses 1.32 past standard support in prod, and refuses a minor the table lacks everywhere", () => {
        expect(finding({ kubernetesVersion: "1.32" })[0]?.rule).toMatch(
            /^Kubernetes 1\.32 left EKS standard support on 2026-03-23 .*upgrade to 1\.33/,
        );
        const unknown = finding({ environment: "dev", kubernetesVersion: "1.30" });
        expect(unknown).toEqual([
            {
                severity: "error",
                pathParts: SUPPORT_SETTING_PATHS.kubernetesVersion,
                rule: expect.stringMatching(/^Kubernetes 1\.30 has no entry/),
            },
        ]);
    });
});

describe("supportFindings on other days", () => {
    it("warns in every environment within 60 days of the end of standard support", () => {
        for (const environment of ["dev", "prod"] as const) {
            expect(finding({ environment, kubernetesVersion: "1.35", asOf: "2027-02-01" })).toEqual([
                {
                    severity: "warning",
                    pathParts: SUPPORT_SETTING_PATHS.kubernetesVersion,
                    rule: "Kubernetes 1.35 leaves EKS standard support on 2027-03-27, in 54 days (version table as of 2027-02-01): plan the upgrade to 1.36",
                },
            ]);
        }
        expect(finding({ kubernetesVersion: "1.35", asOf: "2027-01-25" })).toEqual([]);
    });

    it("refuses a version past extended support and one not yet released, in dev too, even when extended support is accepted", () => {
        const accepted = { environment: "dev", acceptExtendedSupport: true, supportType: "EXTENDED" } as const;
        expect(finding({ ...accepted, kubernetesVersion: "1.33", asOf: "2027-07-29" })).toEqual([
            {
                severity: "error",
                pathParts: SUPPORT_SETTING_PATHS.kubernetesVersion,
                rule:
                    "Kubernetes 1.33 left EKS extended support on 2027-07-29 (version table as of 2027-07-29): EKS creates no cluster on it " +
                    "and upgrades existing control planes itself; upgrade to 1.34",
            },
        ]);
        expect(finding({ ...accepted, kubernetesVersion: "1.36", asOf: "2026-05-01" })[0]?.rule).toBe(
            "Kubernetes 1.36 is not released on EKS until 2026-06-02 (version table as of 2026-05-01)",
        );
    });

    it("names no newer minor than the table has", () => {
        expect(finding({ environment: "dev", kubernetesVersion: "1.36", asOf: "2027-09-01" })[0]?.rule).toMatch(
            /upgrade to a newer minor$/,
        );
    });
});

describe("the upgrade order", () => {
    it("runs control plane, add-ons, system node group, Karpenter nodes, each after the one before", () => {
        expect(UPGRADE_ORDER.map((s) => s.id)).toEqual(["control-plane", "addons", "system-node-group", "karpenter-nodes"]);
        UPGRADE_ORDER.forEach((step, i) => {
            expect(step.after).toEqual(i === 0 ? [] : [UPGRADE_ORDER[i - 1]?.id]);
            expect(step.resourceTypes.length).toBeGreaterThan(0);
        });
        expect(UPGRADE_ORDER.find((s) => s.id === "karpenter-nodes")?.resourceTypes).toEqual([
            "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
        ]);
    });

    it("passes through every minor on the way, one control-plane update each, and never down", () => {
        expect(upgradePath("1.34", "1.35")).toEqual(["1.35"]);
        expect(upgradePath("1.32", "1.35")).toEqual(["1.33", "1.34", "1.35"]);
        expect(upgradePath("1.35", "1.35")).toEqual([]);
        expect(() => upgradePath("1.35", "1.34")).toThrow("cannot go from Kubernetes 1.35 to 1.34: EKS does not downgrade a cluster");
        expect(() => upgradePath("1.34", "1.40")).toThrow(UnknownKubernetesVersionError);
    });
});
