// GPU pools: the gpu preset, raw requirements on Karpenter's well-known labels, device limits (limits.nvidia.com/gpu),
// the rules that refuse a GPU pool that could never give a pod a GPU, and the emitted NodePool against the pinned
// Karpenter CRD.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { nodePoolObject } from "../../components/karpenter";
import { platformConfigFor } from "../../plan";
import { effectiveNodePools, KARPENTER_WELL_KNOWN_LABELS, nvidiaTypesOfPool } from "../../stacks/schema/karpenter";
import { GPU_MANUFACTURER_BY_FAMILY, NVIDIA_GPU_FAMILIES } from "../../lib/gpu";
import { typesOfFamily } from "../../lib/catalog";
import { configProblems, problemLine } from "../helpers/config";
import { crdValidator, schemaErrors } from "../helpers/crd";
import { referencePath } from "../helpers/reference";

const KARPENTER_CRDS = referencePath("karpenter-v1.14.1/crds");

const gpu = (extra: Record<string, unknown> = {}) => ({
    name: "ml",
    preset: "gpu",
    limits: { cpu: "96", memory: "384Gi", "nvidia.com/gpu": "8" },
    ...extra,
});
const general = { name: "general", preset: "general", limits: { cpu: "64", memory: "256Gi" } };
const withPools = (...nodePools: Record<string, unknown>[]) => ({
    "eks-platform:karpenter": { nodePools },
    "eks-platform:teams": { teams: [] },
});
const lines = (...nodePools: Record<string, unknown>[]) =>
    configProblems({ stack: "dev", overrides: withPools(...nodePools) }).map(problemLine);
const gpuPool = (extra: Record<string, unknown> = {}) => {
    const config = platformConfigFor({ stack: "dev", overrides: withPools(general, gpu(extra)) });
    return config.karpenter.nodePools.find((p) => p.name === "ml");
};

describe("the gpu preset", () => {
    it("fills in NVIDIA families, on-demand amd64 nodes, the nvidia.com/gpu taint and an NVIDIA requirement", () => {
        expect(gpuPool()).toMatchObject({
            capacityTypes: ["on-demand"],
            architectures: ["amd64"],
            instanceFamilies: ["g5", "g6", "g6e"],
            taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
            requirements: [{ key: "karpenter.k8s.aws/instance-gpu-manufacturer", operator: "In", values: ["nvidia"] }],
            limits: { cpu: "96", memory: "384Gi", "nvidia.com/gpu": "8" },
        });
    });

    const gpuNodePool = () => {
        const pool = gpuPool({ requirements: [{ key: "karpenter.k8s.aws/instance-gpu-count", operator: "Gt", values: ["1"] }] });
        const [effective] = effectiveNodePools(pool ? [pool] : []);
        return nodePoolObject(effective as NonNullable<typeof effective>);
    };

    it("emits a NodePool with the GPU limit, the taint and the raw requirements", () => {
        const object = gpuNodePool();
        expect(object.spec.limits).toEqual({ cpu: "96", memory: "384Gi", "nvidia.com/gpu": "8" });
        expect(object.spec.template.spec.requirements).toContainEqual({
            key: "karpenter.k8s.aws/instance-gpu-count",
            operator: "Gt",
            values: ["1"],
        });
        expect(object.spec.template.spec.taints).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }]);
    });

    it.skipIf(!KARPENTER_CRDS)("emits a GPU NodePool the Karpenter v1.14.1 CRD accepts", () => {
        const validate = crdValidator(path.join(KARPENTER_CRDS as string, "karpenter.sh_nodepools.yaml"), "v1");
        expect(schemaErrors(validate, gpuNodePool())).toEqual([]);
    });

    it("derives a spot overflow with every limit scaled, the GPUs included", () => {
        const config = platformConfigFor({
            stack: "dev",
            overrides: withPools(general, gpu({ weight: 50, spotOverflow: { spotShare: 50 } })),
        });
        const spot = config.karpenter.effectiveNodePools.find((p) => p.name === "ml-spot");
        expect(spot?.limits).toEqual({ cpu: "96", memory: "384Gi", "nvidia.com/gpu": "8" });
    });
});

describe("GPU pool rules", () => {
    it("refuses a family without an NVIDIA GPU, naming the key, the value and the rule", () => {
        const found = lines(general, gpu({ instanceFamilies: ["g5", "m7i"] }));
        expect(found).toContainEqual(
            expect.stringMatching(/^eks-platform:karpenter\.nodePools\[1\]\.instanceFamilies\[1\]: has no NVIDIA GPU: .* \(got "m7i"\)$/),
        );
    });

    it("refuses a GPU pool that can launch no NVIDIA GPU instance at all", () => {
        expect(lines(general, gpu({ instanceFamilies: ["m7i", "c7i"] }))).toContainEqual(
            expect.stringMatching(
                /^eks-platform:karpenter\.nodePools\[1\]\.instanceFamilies: leaves the GPU pool no NVIDIA GPU instance type/,
            ),
        );
        // g5g is arm64: with the preset's amd64 nothing is left.
        expect(lines(general, gpu({ instanceFamilies: ["g5g"] }))).toContainEqual(
            expect.stringMatching(
                /nodePools\[1\]\.instanceFamilies: leaves the GPU pool no NVIDIA GPU instance type \(with its architectures amd64\)/,
            ),
        );
        expect(lines(general, gpu({ instanceFamilies: ["g5g"], architectures: ["arm64"] }))).toEqual([]);
        // A pool capping nvidia.com/gpu is a GPU pool even without the preset.
        expect(lines(general, { ...general, name: "odd", limits: { cpu: "8", memory: "32Gi", "nvidia.com/gpu": "1" } })).toContainEqual(
            expect.stringMatching(
                /^eks-platform:karpenter\.nodePools\[1\]\.architectures: leaves the GPU pool no NVIDIA GPU instance type/,
            ),
        );
    });

    it("refuses a GPU pool without the nvidia.com/gpu taint or without a GPU limit", () => {
        const found = lines(general, gpu({ taints: [], limits: { cpu: "96", memory: "384Gi" } }));
        expect(found).toContainEqual(
            expect.stringMatching(/^eks-platform:karpenter\.nodePools\[1\]\.taints: must keep the taint nvidia\.com\/gpu=true:NoSchedule/),
        );
        expect(found).toContainEqual(
            expect.stringMatching(/^eks-platform:karpenter\.nodePools\[1\]\.limits: must set "nvidia\.com\/gpu" for a GPU pool/),
        );
    });

    it("accepts the preset as it is, and any NVIDIA family of the catalogue", () => {
        expect(lines(general, gpu())).toEqual([]);
        expect(lines(general, gpu({ instanceFamilies: ["p5", "g6e"] }))).toEqual([]);
    });
});

describe("raw requirements", () => {
    it("accepts any well-known label the fields do not cover, and refuses a key outside Karpenter's list", () => {
        expect(
            lines(general, gpu({ requirements: [{ key: "karpenter.k8s.aws/instance-gpu-memory", operator: "Gt", values: ["16000"] }] })),
        ).toEqual([]);
        expect(lines({ ...general, requirements: [{ key: "example.com/rack", operator: "In", values: ["a"] }] })).toContainEqual(
            expect.stringMatching(
                /^eks-platform:karpenter\.nodePools\[0\]\.requirements\[0\]\.key: must be one of Karpenter's well-known labels .* \(got "example\.com\/rack"\)$/,
            ),
        );
    });

    it("refuses a requirement on a label a pool field sets, and operators without the values they need", () => {
        expect(lines({ ...general, requirements: [{ key: "kubernetes.io/arch", operator: "In", values: ["arm64"] }] })).toContainEqual(
            'eks-platform:karpenter.nodePools[0].requirements[0].key: is set through the pool\'s architectures, not a raw requirement (got "kubernetes.io/arch")',
        );
        const found = lines({
            ...general,
            requirements: [
                { key: "karpenter.k8s.aws/instance-cpu", operator: "In" },
                { key: "karpenter.k8s.aws/instance-cpu", operator: "Gt", values: ["four"] },
                { key: "karpenter.k8s.aws/instance-local-nvme", operator: "Exists", values: ["1"] },
                { key: "karpenter.k8s.aws/instance-cpu", operator: "NotIn", values: ["2"], minValues: 1 },
            ],
        });
        expect(found).toEqual(
            expect.arrayContaining([
                expect.stringMatching(/requirements\[0\]\.values: must list at least one value for In/),
                expect.stringMatching(/requirements\[1\]\.values: must be exactly one non-negative integer for Gt/),
                expect.stringMatching(/requirements\[2\]\.values: must be empty for Exists/),
                expect.stringMatching(/requirements\[3\]\.minValues: applies to the In operator only/),
            ]),
        );
    });

    it("lists each well-known label once", () => {
        expect(new Set(KARPENTER_WELL_KNOWN_LABELS).size).toBe(KARPENTER_WELL_KNOWN_LABELS.length);
    });

    it.skipIf(!KARPENTER_CRDS)("lists the karpenter.k8s.aws labels the v1.14.1 NodePool CRD admits in requirements, and no other", () => {
        // The CEL rule on spec.template.spec.requirements[].key: a karpenter.k8s.aws key must be one of these.
        const crd = fs.readFileSync(path.join(KARPENTER_CRDS as string, "karpenter.sh_nodepools.yaml"), "utf8");
        const rule = /rule: self in \[([^\]]+)\] \|\| !self\.find\("\^\(\[\^\/\]\+\)"\)\.endsWith\("karpenter\.k8s\.aws"\)/.exec(crd);
        expect(rule, "the requirement key rule of the NodePool CRD").not.toBeNull();
        const admitted = new Set([...(rule?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]));
        // ec2nodeclass is Karpenter's own (it labels nodes with their class); a pool chooses its class with nodeClass.
        admitted.delete("karpenter.k8s.aws/ec2nodeclass");
        const ours = KARPENTER_WELL_KNOWN_LABELS.filter((k) => k.startsWith("karpenter.k8s.aws/"));
        expect([...ours].sort()).toEqual([...admitted].sort());
    });
});

describe("GPU facts", () => {
    it("every NVIDIA family of lib/gpu is in the instance-type catalogue, with GPUs but for the fractional ones", () => {
        // g6f and gr6f share a GPU between instances: Karpenter's reference gives them instance-gpu-count 0.
        const fractional = ["g6f", "gr6f"];
        for (const family of NVIDIA_GPU_FAMILIES) {
            const types = typesOfFamily(family);
            expect(types.length, family).toBeGreaterThan(0);
            expect(
                types.some((t) => (t.gpus ?? 0) > 0),
                family,
            ).toBe(!fractional.includes(family));
        }
        expect(GPU_MANUFACTURER_BY_FAMILY.g4ad).toBe("amd");
    });

    it("finds the NVIDIA types a pool's fields leave", () => {
        const pool = gpuPool();
        const types = nvidiaTypesOfPool(pool as NonNullable<typeof pool>);
        expect(types.length).toBeGreaterThan(0);
        expect(types.every((t) => /^(g5|g6|g6e)\./.test(t))).toBe(true);
    });
});
