// The settings reference is generated from the config contract and must be current; every setting is described.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../plan";
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
