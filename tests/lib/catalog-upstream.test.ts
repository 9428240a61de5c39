// The generator's parsers and merge rules, on excerpts of the real upstream formats.
import { describe, expect, it } from "vitest";
import { decodeInstanceTypeRow } from "../../lib/catalog/instance-types";
import { encodeInstanceTypeRow, mergeInstanceTypes, regionRows } from "../../lib/catalog/render";
import { parseKarpenterInstanceTypes, parseSdkPartitions, parseVpcCniLimits, type KarpenterInstanceType } from "../../lib/catalog/upstream";
import { KARPENTER_INSTANCE_TYPES_EXCERPT, VPC_CNI_LIMITS_EXCERPT } from "./catalog-fixtures";

describe("parseVpcCniLimits", () => {
    const limits = parseVpcCniLimits(VPC_CNI_LIMITS_EXCERPT);
    const byName = new Map(limits.map((l) => [l.name, l]));

    it("reads every entry with its default card's ENIs, IPv4 per ENI, cards, hypervisor and bare metal", () => {
        expect(limits.map((l) => l.name)).toEqual(["a1.metal", "m4.large", "m7g.large", "p5.48xlarge", "t4g.large"]);
        expect(byName.get("t4g.large")).toEqual({
            name: "t4g.large",
            enis: 3,
            ipv4PerEni: 12,
            networkCards: 1,
            hypervisor: "nitro",
            bareMetal: false,
        });
        expect(byName.get("a1.metal")).toMatchObject({ hypervisor: "unknown", bareMetal: true, enis: 8, ipv4PerEni: 30 });
        expect(byName.get("m4.large")).toMatchObject({ hypervisor: "xen", enis: 2, ipv4PerEni: 10 });
        expect(byName.get("p5.48xlarge")).toMatchObject({ enis: 2, ipv4PerEni: 50, networkCards: 2 });
    });

    it("fails on a file without the limits map, or an entry whose ENILimit is not its default card's", () => {
        expect(() => parseVpcCniLimits("package vpc\n")).toThrow(/no instanceNetworkingLimits map/);
        const skewed = VPC_CNI_LIMITS_EXCERPT.replace(/("t4g\.large": \{\n\t\tENILimit:\s+)3,/, "$14,");
        expect(() => parseVpcCniLimits(skewed)).toThrow(/t4g\.large: ENILimit 4 differs from network card 0's 3 interfaces/);
        const renamed = VPC_CNI_LIMITS_EXCERPT.replace('HypervisorType: "xen"', 'HypervisorType: "kvm"');
        expect(() => parseVpcCniLimits(renamed)).toThrow(/m4\.large: unexpected HypervisorType "kvm"/);
    });
});

describe("parseKarpenterInstanceTypes", () => {
    const types = parseKarpenterInstanceTypes(KARPENTER_INSTANCE_TYPES_EXCERPT);

    it("reads each type's label table, not its resources table", () => {
        expect(types.map((t) => t.name)).toEqual(["g5.xlarge", "t4g.large"]);
        const g5 = types[0]?.labels ?? {};
        expect(g5["karpenter.k8s.aws/instance-cpu"]).toBe("4");
        expect(g5["karpenter.k8s.aws/instance-memory"]).toBe("16384");
        expect(g5["karpenter.k8s.aws/instance-gpu-count"]).toBe("1");
        expect(g5["kubernetes.io/arch"]).toBe("amd64");
        // "pods" and "memory" are in the Resources table (allocatable after overhead), never labels.
        expect(g5).not.toHaveProperty("pods");
        expect(g5).not.toHaveProperty("memory");
    });

    it("fails on a page without type sections", () => {
        expect(() => parseKarpenterInstanceTypes("# Instance Types\n")).toThrow(/no '### `type`' sections/);
    });
});

describe("mergeInstanceTypes", () => {
    const limits = parseVpcCniLimits(VPC_CNI_LIMITS_EXCERPT);
    const karpenter = parseKarpenterInstanceTypes(KARPENTER_INSTANCE_TYPES_EXCERPT);
    const rows = mergeInstanceTypes(limits, karpenter);
    const byName = new Map(rows.map((r) => [r.name, r]));

    it("takes networking from the VPC CNI and vCPUs, memory, GPUs, architecture from Karpenter", () => {
        expect(rows.map((r) => r.name)).toEqual(["a1.metal", "g5.xlarge", "m4.large", "m7g.large", "p5.48xlarge", "t4g.large"]);
        expect(byName.get("t4g.large")).toMatchObject({
            architecture: "arm64",
            specSource: "karpenter",
            vcpu: 2,
            memoryMiB: 8192,
            gpus: 0,
        });
        expect(byName.get("t4g.large")?.networking).toMatchObject({ enis: 3, ipv4PerEni: 12 });
        // Only Karpenter lists g5.xlarge in the excerpt: no networking limits, but its specs.
        expect(byName.get("g5.xlarge")).toMatchObject({ architecture: "amd64", vcpu: 4, memoryMiB: 16384, gpus: 1 });
        expect(byName.get("g5.xlarge")?.networking).toBeUndefined();
    });

    it("leaves vCPUs and memory unknown where Karpenter has no entry, with the architecture by the naming rule", () => {
        const m7g = byName.get("m7g.large");
        expect(m7g).toMatchObject({ architecture: "arm64", specSource: "naming-rule" });
        expect([m7g?.vcpu, m7g?.memoryMiB, m7g?.gpus]).toEqual([undefined, undefined, undefined]);
        expect(byName.get("m4.large")).toMatchObject({ architecture: "amd64", specSource: "naming-rule" });
    });

    const withLabel = (type: KarpenterInstanceType, key: string, value: string): KarpenterInstanceType => ({
        ...type,
        labels: { ...type.labels, [key]: value },
    });

    it("fails when Karpenter's family, size or generation label contradicts the name", () => {
        const t4g = karpenter[1] as KarpenterInstanceType;
        expect(() => mergeInstanceTypes([], [withLabel(t4g, "karpenter.k8s.aws/instance-family", "t4")])).toThrow(
            /t4g\.large: karpenter\.k8s\.aws\/instance-family is t4, the name says t4g/,
        );
        expect(() => mergeInstanceTypes([], [withLabel(t4g, "karpenter.k8s.aws/instance-generation", "3")])).toThrow(
            /instance-generation is 3/,
        );
        expect(() => mergeInstanceTypes([], [withLabel(t4g, "kubernetes.io/arch", "s390x")])).toThrow(/neither arm64 nor amd64/);
    });

    it("fails on a series no category is recorded for", () => {
        const novel = { ...(limits[2] as (typeof limits)[number]), name: "qx1.large" };
        expect(() => mergeInstanceTypes([novel], [])).toThrow(/qx1\.large: series qx has no category/);
    });

    it("encodes rows that the lookups decode back to the same values", () => {
        for (const row of rows.filter((r) => r.networking)) {
            const decoded = decodeInstanceTypeRow(encodeInstanceTypeRow(row));
            expect(decoded).toMatchObject({
                name: row.name,
                architecture: row.architecture,
                specSource: row.specSource,
                networking: row.networking,
            });
            expect([decoded.vcpu, decoded.memoryMiB, decoded.gpus]).toEqual([row.vcpu, row.memoryMiB, row.gpus]);
        }
    });
});

describe("parseSdkPartitions and regionRows", () => {
    const source = `export const partitionsInfo = {
    "partitions": [
        {
            "id": "aws",
            "outputs": { "name": "aws" },
            "regionRegex": "^(us|eu|ap|sa|ca|me|af|il|mx)\\\\-\\\\w+\\\\-\\\\d+$",
            "regions": {
                "aws-global": { "description": "aws global region" },
                "eu-west-1": { "description": "Europe (Ireland)" }
            }
        },
        {
            "id": "aws-cn",
            "outputs": { "name": "aws-cn" },
            "regionRegex": "^cn\\\\-\\\\w+\\\\-\\\\d+$",
            "regions": {
                "aws-cn-global": { "description": "aws-cn global region" },
                "cn-north-1": { "description": "China (Beijing)" }
            }
        }
    ],
    "version": "1.1"
};
`;
    const partitions = parseSdkPartitions(source);

    it("keeps real regions with their partition and drops the SDK's pseudo-regions", () => {
        expect(regionRows(partitions, ["eu-west-1"])).toEqual([
            { region: "eu-west-1", partition: "aws", description: "Europe (Ireland)", inPulumiEnum: true },
            { region: "cn-north-1", partition: "aws-cn", description: "China (Beijing)", inPulumiEnum: false },
        ]);
    });

    it("fails when @pulumi/aws lists a region the SDK does not", () => {
        expect(() => regionRows(partitions, ["eu-west-1", "eu-west-9"])).toThrow(
            /Region enum lists regions the SDK's partitions do not: eu-west-9/,
        );
    });

    it("fails on a module that is not the partitions data", () => {
        expect(() => parseSdkPartitions("export const other = {};")).toThrow(/no `export const partitionsInfo/);
    });
});
