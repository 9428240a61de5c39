// The instance-type lookups over the committed, generated catalogue.
import { describe, expect, it } from "vitest";
import {
    architectureOf,
    familiesOf,
    instanceType,
    instanceTypeNames,
    isKnownFamily,
    isKnownInstanceType,
    suggestFamilies,
    suggestInstanceTypes,
    typesOfFamily,
} from "../../lib/catalog";
import { architectureByNamingRule, parseInstanceTypeName } from "../../lib/catalog/naming";

describe("instance-type lookups", () => {
    it("knows real types and families and rejects invented ones, with suggestions", () => {
        expect(isKnownInstanceType("m7g.large")).toBe(true);
        expect(isKnownInstanceType("m9g.huge")).toBe(false);
        expect(suggestInstanceTypes("m9g.huge")).toEqual(["m9g.large", "m9g.xlarge", "m9g.2xlarge"]);
        expect(isKnownFamily("m7g")).toBe(true);
        expect(isKnownFamily("m99g")).toBe(false);
        expect(suggestFamilies("m99g").slice(0, 2)).toEqual(["m9g", "m9gd"]);
        expect(suggestInstanceTypes("m7g.lrage")[0]).toBe("m7g.large");
        expect(suggestInstanceTypes("zz.top")).toEqual([]);
    });

    it("describes t4g.large: Graviton, 2 vCPUs, 8 GiB, 3 ENIs of 12 addresses", () => {
        expect(instanceType("t4g.large")).toMatchObject({
            family: "t4g",
            size: "large",
            series: "t",
            generation: 4,
            category: "general-purpose",
            architecture: "arm64",
            specSource: "karpenter",
            vcpu: 2,
            memoryMiB: 8192,
            gpus: 0,
            networking: { enis: 3, ipv4PerEni: 12, networkCards: 1, hypervisor: "nitro", bareMetal: false },
        });
    });

    it("knows an x86 GPU type is amd64 and counts its GPUs", () => {
        expect(architectureOf("g5.xlarge")).toBe("amd64");
        expect(instanceType("g5.xlarge")).toMatchObject({ category: "accelerated-computing", gpus: 1, vcpu: 4, memoryMiB: 16384 });
        expect(instanceType("p5.48xlarge")).toMatchObject({ gpus: 8, vcpu: 192, networking: { enis: 2, networkCards: 32 } });
        expect(architectureOf("g5g.xlarge")).toBe("arm64");
        expect(architectureOf("m9g.huge")).toBeUndefined();
    });

    it("groups families by category", () => {
        const general = familiesOf("general-purpose");
        expect(general).toEqual(expect.arrayContaining(["m5", "m7g", "m7i-flex", "t3", "t4g", "a1", "mac2"]));
        expect(general).not.toContain("c7g");
        expect(familiesOf("compute-optimized")).toEqual(expect.arrayContaining(["c5", "c6in", "c7gn", "c8g"]));
        expect(familiesOf("memory-optimized")).toEqual(expect.arrayContaining(["r5", "r7iz", "x2gd", "z1d", "u7i-12tb", "u-6tb1"]));
        expect(familiesOf("accelerated-computing")).toEqual(
            expect.arrayContaining(["g4dn", "g5", "g6", "g6e", "p4d", "p5", "inf2", "trn1"]),
        );
        expect(familiesOf("hpc")).toEqual(expect.arrayContaining(["hpc7g"]));
        const all = familiesOf();
        expect(all.length).toBe(new Set(instanceTypeNames().map((n) => n.split(".")[0])).size);
        expect(new Set(all).size).toBe(all.length);
    });

    it("orders a family's types by vCPUs", () => {
        expect(typesOfFamily("m7g").map((t) => t.name)).toEqual([
            "m7g.medium",
            "m7g.large",
            "m7g.xlarge",
            "m7g.2xlarge",
            "m7g.4xlarge",
            "m7g.8xlarge",
            "m7g.12xlarge",
            "m7g.16xlarge",
            "m7g.metal",
        ]);
    });

    // The placement check needs vCPUs and memory of every type a system node group or a NodePool preset could use.
    // AWS's own family tables (Instance Types guide, co.md) list neither c5a.metal, c5ad.metal nor c7i.32xlarge, and
    // Karpenter's table (us-east-1/2, us-west-2) lacks them, so they are the known gaps.
    it("has vCPUs and memory for every type of the families node groups and NodePools use", () => {
        const knownGaps = ["c5a.metal", "c5ad.metal", "c7i.32xlarge"];
        const families = [
            ...["general-purpose", "compute-optimized", "memory-optimized"].flatMap((c) =>
                familiesOf(c as "general-purpose").filter((f) => (parseInstanceTypeName(`${f}.large`)?.generation ?? 0) >= 5),
            ),
            ...["t3", "t3a", "t4g", "g4dn", "g5", "g6", "g6e", "p4d", "p5"],
        ].filter((f) => !f.startsWith("mac") && !f.startsWith("u"));
        const missing = families.flatMap((f) =>
            typesOfFamily(f)
                .filter((t) => t.vcpu === undefined || t.memoryMiB === undefined)
                .map((t) => t.name),
        );
        expect(missing.sort()).toEqual(knownGaps);
        for (const name of ["m5.large", "c7g.xlarge", "r8g.2xlarge", "t3.medium", "g6e.xlarge", "p4d.24xlarge"]) {
            expect(instanceType(name)?.specSource, name).toBe("karpenter");
        }
    });

    it("records where each type's specs come from, and never invents them", () => {
        const names = instanceTypeNames();
        expect(names.length).toBeGreaterThan(1300);
        for (const name of names) {
            const type = instanceType(name);
            if (type?.specSource === "naming-rule")
                expect([type.vcpu, type.memoryMiB, type.gpus], name).toEqual([undefined, undefined, undefined]);
            else expect(type?.vcpu, name).toBeGreaterThan(0);
        }
        expect(instanceType("mac2.metal")).toMatchObject({ specSource: "naming-rule", architecture: "arm64" });
        expect(instanceType("mac2.metal")?.vcpu).toBeUndefined();
    });
});

describe("the architecture naming rule", () => {
    it("agrees with the upstream data for every type the data describes", () => {
        const disagreements = instanceTypeNames()
            .map((name) => instanceType(name))
            .filter((t) => t?.specSource === "karpenter" && architectureByNamingRule(t.family) !== t.architecture)
            .map((t) => t?.name);
        expect(disagreements).toEqual([]);
    });

    it("reads the processor letter after the generation, a1, and the mac families", () => {
        expect(["m7g", "c6gn", "im4gn", "is4gen", "x2gd", "g5g", "a1", "mac2-m2pro", "mac-m4"].map(architectureByNamingRule)).toEqual(
            Array(9).fill("arm64"),
        );
        expect(
            ["m7i", "m7a", "g4dn", "gr6", "p6-b200", "m5zn", "x2iezn", "mac1", "u7i-12tb", "u-6tb1"].map(architectureByNamingRule),
        ).toEqual(Array(10).fill("amd64"));
    });
});
