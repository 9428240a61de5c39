// The EC2 instance types the placement check knows: what a node group or NodePool may launch, and how much of it
// pods can have. `InstanceCatalog` is the interface the check reads; EC2_CATALOG backs it with lib/catalog (every EC2
// type, generated from pinned upstream data by `npm run catalog`), the check's default. SMALL_CATALOG is a hand-made
// table for the tests' hand-made plans (a few types, so a pool's "largest instance" is easy to see).
//
// SMALL_CATALOG's rows: aws/karpenter-provider-aws website/content/en/v1.14/reference/instance-types.md at
// 1d927085dd81a9df9301e613f371dac5b4d16bfe (vCPUs, memory in MiB, architecture), the source lib/catalog is generated
// from: the system node group types of the stacks and, per series and architecture, the smallest and largest type of
// the generations the NodePools allow.
import { instanceType, instanceTypeNames } from "../lib/catalog";

export type InstanceArchitecture = "amd64" | "arm64";

export interface InstanceShape {
    name: string;
    /** karpenter.k8s.aws/instance-family, e.g. m7g. */
    family: string;
    /** karpenter.k8s.aws/instance-size, e.g. 2xlarge. */
    size: string;
    /** karpenter.k8s.aws/instance-category, e.g. m. */
    series: string;
    /** karpenter.k8s.aws/instance-generation. */
    generation?: number;
    architecture: InstanceArchitecture;
    /** Undefined when unknown (the check then cannot size pods on it). */
    vcpu?: number;
    memoryMiB?: number;
}

export interface InstanceCatalog {
    instanceType(name: string): InstanceShape | undefined;
    instanceTypeNames(): Iterable<string>;
}

const ROWS = `
c5.large amd64 2 4096
c6i.large amd64 2 4096
c7g.16xlarge arm64 64 131072
c7g.large arm64 2 4096
c7i.48xlarge amd64 192 393216
c7i.large amd64 2 4096
m5.24xlarge amd64 96 393216
m5.large amd64 2 8192
m6g.large arm64 2 8192
m6i.large amd64 2 8192
m7g.16xlarge arm64 64 262144
m7g.2xlarge arm64 8 32768
m7g.4xlarge arm64 16 65536
m7g.large arm64 2 8192
m7g.xlarge arm64 4 16384
m7i.48xlarge amd64 192 786432
m7i.large amd64 2 8192
m8g.48xlarge arm64 192 786432
m8g.large arm64 2 8192
r5.large amd64 2 16384
r6i.large amd64 2 16384
r7g.16xlarge arm64 64 524288
r7g.large arm64 2 16384
r7i.48xlarge amd64 192 1572864
r7i.large amd64 2 16384
r8g.48xlarge arm64 192 1572864
t4g.large arm64 2 8192
`;

/** The name's parts (Amazon EC2 instance type naming: <series><generation><options>.<size>). */
export function parseInstanceName(name: string): Pick<InstanceShape, "family" | "size" | "series" | "generation"> | undefined {
    const m = /^(([a-z]+?)(\d+)?[a-z-]*?)\.([a-z0-9-]+)$/.exec(name);
    if (!m) return undefined;
    const [, family = "", series = "", generation, size = ""] = m;
    return { family, size, series, ...(generation !== undefined ? { generation: Number(generation) } : {}) };
}

function catalogOf(rows: string): InstanceCatalog {
    const byName = new Map<string, InstanceShape>();
    for (const line of rows.trim().split("\n")) {
        const [name = "", arch, vcpu, mem] = line.trim().split(/\s+/);
        const parts = parseInstanceName(name);
        if (!parts || (arch !== "amd64" && arch !== "arm64")) throw new Error(`instance table: bad row ${JSON.stringify(line)}`);
        byName.set(name, { name, ...parts, architecture: arch, vcpu: Number(vcpu), memoryMiB: Number(mem) });
    }
    return { instanceType: (name) => byName.get(name), instanceTypeNames: () => byName.keys() };
}

export const SMALL_CATALOG: InstanceCatalog = catalogOf(ROWS);

/** Every EC2 instance type lib/catalog knows (types without vCPU or memory data are listed but cannot be sized). */
export const EC2_CATALOG: InstanceCatalog = { instanceType, instanceTypeNames };
