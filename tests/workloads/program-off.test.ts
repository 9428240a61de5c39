// Each workload-readiness piece switches off: the dev program with EFS, cert-manager, the smoke workload and Fargate
// off declares none of their resources (and dev, shipped, has no GPU pool, so no device plugin).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { checkPlacement, planStack, stackFile, type PlanResult } from "../../plan";

let plan: PlanResult;
beforeAll(async () => {
    // dev's own file names a smoke host, which is refused with the workload off: a copy without it.
    const doc = parseYaml(fs.readFileSync(stackFile("dev"), "utf8")) as { config: Record<string, unknown> };
    delete doc.config["eks-platform:smoke"];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "off-")), "Pulumi.dev.yaml");
    fs.writeFileSync(file, toYaml(doc));
    plan = await planStack({
        stack: "dev",
        file,
        overrides: {
            "eks-platform:storage": { efs: { enabled: false } },
            "eks-platform:certificates": { certManager: { enabled: false } },
            "eks-platform:smoke": { enabled: false },
            "eks-platform:fargate": { profiles: [] },
        },
    });
}, 120_000);

describe("dev with the pieces off", () => {
    it("declares no EFS, no EFS driver, no cert-manager, no smoke workload, no Fargate, no device plugin", () => {
        const types = new Set(plan.resources.map((r) => r.type));
        for (const type of [
            "aws:efs/fileSystem:FileSystem",
            "aws:efs/mountTarget:MountTarget",
            "aws:eks/fargateProfile:FargateProfile",
            "kubernetes:apps/v1:Deployment",
            "aws:sns/topic:Topic",
        ])
            expect(types.has(type), type).toBe(false);
        expect(plan.resources.filter((r) => r.type === "aws:eks/addon:Addon").map((a) => a.inputs.addonName)).not.toContain(
            "aws-efs-csi-driver",
        );
        const charts = plan.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").map((r) => r.inputs.chart);
        expect(charts).not.toContain("cert-manager");
        expect(charts).not.toContain("nvidia-device-plugin");
        expect(charts).not.toContain("external-dns");
        expect(plan.resources.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass").map((r) => r.name)).toEqual([
            "cluster-gp3",
        ]);
        expect(plan.outputs.efsFileSystemId).toBeUndefined();
        expect(checkPlacement(plan).findings).toEqual([]);
    });
});
