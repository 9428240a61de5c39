// NVIDIA's device plugin: its values use only keys of the pinned chart, it runs on GPU nodes and only there (the
// placement check knows it as a DaemonSet meant for the nodes its affinity selects), it is installed only where a
// GPU pool exists, and a GPU pool it cannot reach is a finding.
import { describe, expect, it } from "vitest";
import { DEVICE_PLUGIN_CHART, devicePluginValues, devicePluginWorkloads } from "../../components/gpu/values";
import { nodePoolObject } from "../../components/karpenter";
import { checkPlacement, platformConfigFor, type PlannedResource } from "../../plan";
import { devicePluginInstalled } from "../../stacks/schema/gpu";
import { effectiveNodePools } from "../../stacks/schema/karpenter";
import { chartDefaults, unknownValuePaths } from "../helpers/chart-values";
import { configProblems, problemLine } from "../helpers/config";
import { referencePath } from "../helpers/reference";
import { managedGroup, nodeClass, nodePool, planOf, release, subnets } from "../plan/placement.fixture";

const gpuPoolConfig = { name: "ml", preset: "gpu", limits: { cpu: "96", memory: "384Gi", "nvidia.com/gpu": "8" } };
const withGpu = {
    "eks-platform:karpenter": {
        nodePools: [{ name: "general", preset: "general", limits: { cpu: "64", memory: "256Gi" } }, gpuPoolConfig],
    },
};

/** The NodePool the Karpenter component would emit for the dev stack with a gpu pool, as the plan records it. */
function gpuNodePool(extraTaints: { key: string; value?: string; effect: "NoSchedule" }[] = []): PlannedResource {
    const config = platformConfigFor({ stack: "dev", overrides: withGpu });
    const pool = config.karpenter.effectiveNodePools.find((p) => p.name === "ml");
    if (!pool) throw new Error("no ml pool");
    const object = nodePoolObject({ ...pool, taints: [...pool.taints, ...extraTaints] });
    return {
        urn: "urn:pulumi:t::eks-platform::kubernetes:karpenter.sh/v1:NodePool::nodepool-ml",
        type: "kubernetes:karpenter.sh/v1:NodePool",
        name: "nodepool-ml",
        custom: true,
        dependencies: [],
        inputs: JSON.parse(JSON.stringify(object)) as Record<string, unknown>,
        protect: false,
    };
}

const plugin = () => release("nvidia-device-plugin", DEVICE_PLUGIN_CHART, devicePluginValues());
const base = () => [...subnets(), ...managedGroup(), nodeClass(), nodePool({ name: "general", capacityTypes: ["spot", "on-demand"] })];

describe("the device plugin's values", () => {
    const file = referencePath("chart-values/nvidia-device-plugin-0.20.0.yaml");
    it.skipIf(!file)("use only keys of nvidia-device-plugin 0.20.0's values.yaml", () => {
        expect(unknownValuePaths(devicePluginValues(), chartDefaults(file as string))).toEqual([]);
    });

    it("select the GPU nodes by Karpenter's GPU maker label (or the chart's own label) and tolerate only their taint", () => {
        const [w] = devicePluginWorkloads(devicePluginValues());
        expect(w).toMatchObject({ kind: "DaemonSet", onlyWhereSelected: true, priorityClassName: "system-node-critical" });
        expect(w?.nodeAffinity).toEqual([
            [{ key: "karpenter.k8s.aws/instance-gpu-manufacturer", operator: "In", values: ["nvidia"] }],
            [{ key: "nvidia.com/gpu.present", operator: "In", values: ["true"] }],
        ]);
        expect(w?.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    });
});

describe("the placement check and GPU nodes", () => {
    it("runs the plugin on the GPU pool and reports no gap on the nodes it is not meant for", () => {
        const report = checkPlacement(planOf(...base(), gpuNodePool(), plugin()));
        expect(report.findings).toEqual([]);
        const gpu = report.groups.find((g) => g.name === "NodePool ml");
        expect(gpu?.labels.get("karpenter.k8s.aws/instance-gpu-manufacturer")).toEqual({ values: new Set(["nvidia"]) });
        // Only the pool's GPU instance types (the g5, g6, g6e families of the preset).
        expect(gpu?.instances.every((i) => /^(g5|g6|g6e)\./.test(i.shape.name))).toBe(true);
        // A plain pool's nodes carry no GPU label at all.
        expect(report.groups.find((g) => g.name === "NodePool general")?.labels.has("karpenter.k8s.aws/instance-gpu-manufacturer")).toBe(
            false,
        );
    });

    it("reports a GPU pool whose taints the plugin does not tolerate, and a plugin with no GPU node to run on", () => {
        const tainted = checkPlacement(
            planOf(...base(), gpuNodePool([{ key: "eks-platform/team", value: "ml", effect: "NoSchedule" }]), plugin()),
        );
        expect(tainted.findings.map((f) => `${f.kind} ${f.subject}`)).toContain("daemonset-gap nvidia-device-plugin/device-plugin");
        expect(tainted.findings.find((f) => f.kind === "daemonset-gap")?.message).toMatch(
            /does not run on NodePool ml: does not tolerate eks-platform\/team=ml/,
        );
        const nowhere = checkPlacement(planOf(...base(), plugin()));
        expect(nowhere.findings).toEqual([
            expect.objectContaining({
                kind: "daemonset-gap",
                subject: "nvidia-device-plugin/device-plugin",
                message: expect.stringMatching(/runs on no node group/),
            }),
        ]);
    });
});

describe("where the plugin is installed", () => {
    it("only with a GPU pool, unless switched off (then a warning)", () => {
        const dev = platformConfigFor("dev");
        expect(devicePluginInstalled(dev.gpu, dev.karpenter)).toBe(false);
        const gpu = platformConfigFor({ stack: "dev", overrides: withGpu });
        expect(devicePluginInstalled(gpu.gpu, gpu.karpenter)).toBe(true);
        expect(effectiveNodePools(gpu.karpenter.nodePools).map((p) => p.name)).toContain("ml");
        const off = platformConfigFor({
            stack: "dev",
            overrides: { ...withGpu, "eks-platform:gpu": { devicePlugin: { enabled: false } } },
        });
        expect(devicePluginInstalled(off.gpu, off.karpenter)).toBe(false);
        expect(off.warnings.map(problemLine)).toContainEqual(
            expect.stringMatching(/^eks-platform:gpu\.devicePlugin\.enabled: is false while GPU NodePools exist \(ml\): .* \(got false\)$/),
        );
        expect(
            configProblems({ stack: "dev", overrides: { "eks-platform:gpu": { devicePlugin: { chartVersion: "0.20" } } } }).map(
                problemLine,
            ),
        ).toContainEqual(expect.stringMatching(/^eks-platform:gpu\.devicePlugin\.chartVersion: must be an exact chart version/));
    });

    it("staging ships a GPU pool, so its plan installs the plugin", async () => {
        const { sharedPlan } = await import("../helpers/shared-plan");
        const releases = sharedPlan("staging").resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
        const device = releases.find((r) => r.inputs.chart === DEVICE_PLUGIN_CHART);
        expect(device?.inputs).toMatchObject({
            namespace: "kube-system",
            version: "0.20.0",
            repositoryOpts: { repo: "https://nvidia.github.io/k8s-device-plugin" },
        });
        expect(releases.filter((r) => r.inputs.chart === DEVICE_PLUGIN_CHART)).toHaveLength(1);
        expect(sharedPlan("dev").resources.some((r) => r.inputs.chart === DEVICE_PLUGIN_CHART)).toBe(false);
    });
});
