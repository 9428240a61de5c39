// The settings reference is generated from the config contract and must be current; every setting is described.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../plan";
import { policyDefinitions } from "../../policy/policies";
import { renderPolicyRules, splitDescription, withPolicyRules } from "../../scripts/lib/policy-doc";
import { renderSettingsReference, settingRows } from "../../scripts/lib/settings-doc";

describe("docs/settings.md", () => {
    it("is what `npm run docs` renders from the schemas today (run it after changing a setting)", () => {
        expect(fs.readFileSync(path.join(REPO_ROOT, "docs", "settings.md"), "utf8")).toBe(renderSettingsReference());
    });

    it("describes every setting", () => {
        const undocumented = settingRows()
            .filter((r) => r.description.trim() === "")
            .map((r) => r.path);
        expect(undocumented).toEqual([]);
    });

    it("shows the defaults that follow the Kubernetes minor and the preset-free defaults per environment", () => {
        const rows = new Map(settingRows().map((r) => [r.path, r]));
        expect(rows.get("eks-platform:cluster.addons.kubeProxy")?.defaults.prod).toMatch(/^`"v1\.35\./);
        expect(rows.get("eks-platform:cluster.protect")?.defaults).toEqual({ dev: "`false`", staging: "`false`", prod: "`true`" });
        expect(rows.get("eks-platform:network.vpcCidr")?.required).toBe(true);
    });
});

describe("docs/policy.md", () => {
    const doc = (): string => fs.readFileSync(path.join(REPO_ROOT, "docs", "policy.md"), "utf8");

    it("holds the rule table `npm run docs` renders from the pack and its configs today", () => {
        expect(doc()).toBe(withPolicyRules(doc()));
    });

    it("lists every policy once, with its source and its level per environment from policy/config/<env>.json", () => {
        const rows = renderPolicyRules()
            .split("\n")
            .filter((l) => l.startsWith("| `"));
        expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)?.[1])).toEqual(policyDefinitions.map((p) => p.name));
        const row = (name: string): string[] => (rows.find((r) => r.startsWith(`| \`${name}\``)) ?? "").split(" | ");
        // dev disables it, staging lowers it to advisory, prod keeps the pack's mandatory (policy/config/*.json).
        expect(row("protect-stateful-resources").at(-1)).toBe("disabled / advisory / mandatory |");
        expect(row("helm-chart-not-retired")[3]).toMatch(/^Kubernetes SIG Network, "Ingress NGINX Retirement"/);
        expect(rows.every((r) => !r.includes("[source:"))).toBe(true);
    });

    it("refuses a document without the markers instead of dropping the table", () => {
        expect(() => withPolicyRules("# Policy pack\n")).toThrow(/policy-rules:start/);
    });

    it("splits a description at its last source bracket", () => {
        expect(splitDescription("No X [y] on Z. [source: CIS 1.2; EKS guide]")).toEqual({
            checks: "No X [y] on Z.",
            source: "CIS 1.2; EKS guide",
        });
        expect(splitDescription("no source here")).toEqual({ checks: "no source here", source: "" });
    });
});
