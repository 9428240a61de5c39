// Merges the parsed upstream records into the catalogue rows and renders the generated modules. Pure; used only by
// scripts/catalog.ts (the lookups read the rendered tables).
import { architectureByNamingRule, categoryOfSeries, parseInstanceTypeName, type Architecture } from "./naming";
import { rawUrl, type PinnedSource } from "./sources";
import type { KarpenterInstanceType, NetworkingLimits, SdkPartition } from "./upstream";

/** The columns of INSTANCE_TYPE_TABLE, in order; `-` is "no upstream value". */
export const INSTANCE_TYPE_COLUMNS = [
    "name",
    "arch",
    "src",
    "vcpu",
    "memMiB",
    "gpus",
    "enis",
    "ipv4PerEni",
    "networkCards",
    "hypervisor",
    "bareMetal",
];

export interface InstanceTypeRow {
    name: string;
    architecture: Architecture;
    /** `karpenter`: architecture, vCPUs, memory and GPUs from Karpenter's table; `naming-rule`: none of those are known and the architecture is the naming rule's. */
    specSource: "karpenter" | "naming-rule";
    vcpu?: number;
    memoryMiB?: number;
    gpus?: number;
    networking?: Omit<NetworkingLimits, "name">;
}

/** Code-unit order, the same on every machine (localeCompare is not). */
function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

const ARCH_LABEL: Readonly<Record<string, Architecture>> = { arm64: "arm64", amd64: "amd64" };

function label(type: KarpenterInstanceType, key: string): string {
    const value = type.labels[key];
    if (value === undefined) throw new Error(`Karpenter instance types: ${type.name} has no ${key} label`);
    return value;
}

function count(type: KarpenterInstanceType, key: string): number {
    const value = label(type, key);
    if (!/^\d+$/.test(value)) throw new Error(`Karpenter instance types: ${type.name} ${key} is ${JSON.stringify(value)}, not an integer`);
    return Number(value);
}

/**
 * One row per instance type either source lists. Fails when a name does not follow the naming convention, when a
 * series has no category, or when Karpenter's family, size, category or generation label disagrees with the name's
 * parts, since the lookups derive those from the name.
 */
export function mergeInstanceTypes(limits: readonly NetworkingLimits[], karpenter: readonly KarpenterInstanceType[]): InstanceTypeRow[] {
    const problems: string[] = [];
    const byName = new Map<string, InstanceTypeRow>();
    for (const { name, ...networking } of limits) {
        const parts = parseInstanceTypeName(name);
        if (!parts) {
            problems.push(`${name}: not <family>.<size>`);
            continue;
        }
        byName.set(name, { name, architecture: architectureByNamingRule(parts.family), specSource: "naming-rule", networking });
    }
    for (const type of karpenter) {
        const parts = parseInstanceTypeName(type.name);
        if (!parts) {
            problems.push(`${type.name}: not <family>.<size>`);
            continue;
        }
        const expected: Record<string, string | undefined> = {
            "karpenter.k8s.aws/instance-family": parts.family,
            "karpenter.k8s.aws/instance-size": parts.size,
            "karpenter.k8s.aws/instance-category": parts.series,
            "karpenter.k8s.aws/instance-generation": parts.generation?.toString(),
        };
        for (const [key, value] of Object.entries(expected)) {
            if (type.labels[key] !== value) problems.push(`${type.name}: ${key} is ${type.labels[key]}, the name says ${value}`);
        }
        const architecture = ARCH_LABEL[label(type, "kubernetes.io/arch")];
        if (!architecture) {
            problems.push(`${type.name}: kubernetes.io/arch ${type.labels["kubernetes.io/arch"]} is neither arm64 nor amd64`);
            continue;
        }
        byName.set(type.name, {
            ...byName.get(type.name),
            name: type.name,
            architecture,
            specSource: "karpenter",
            vcpu: count(type, "karpenter.k8s.aws/instance-cpu"),
            memoryMiB: count(type, "karpenter.k8s.aws/instance-memory"),
            gpus:
                type.labels["karpenter.k8s.aws/instance-gpu-count"] === undefined ? 0 : count(type, "karpenter.k8s.aws/instance-gpu-count"),
        });
    }
    for (const name of byName.keys()) {
        const series = parseInstanceTypeName(name)?.series ?? "";
        if (!categoryOfSeries(series)) problems.push(`${name}: series ${series} has no category in lib/catalog/naming.ts`);
    }
    if (problems.length > 0) throw new Error(`instance types do not match the naming rules:\n  ${[...new Set(problems)].join("\n  ")}`);
    return [...byName.values()].sort((a, b) => compare(a.name, b.name));
}

const HYPERVISOR_CODE = { nitro: "n", xen: "x", unknown: "u" } as const;

export function encodeInstanceTypeRow(row: InstanceTypeRow): string {
    const n = row.networking;
    const value = (v: number | undefined): string => (v === undefined ? "-" : String(v));
    return [
        row.name,
        row.architecture,
        row.specSource === "karpenter" ? "k" : "n",
        value(row.vcpu),
        value(row.memoryMiB),
        value(row.gpus),
        value(n?.enis),
        value(n?.ipv4PerEni),
        value(n?.networkCards),
        n ? HYPERVISOR_CODE[n.hypervisor] : "-",
        n ? (n.bareMetal ? "1" : "0") : "-",
    ].join(" ");
}

const DO_NOT_EDIT = "// Generated by `npm run catalog` (scripts/catalog.ts); do not edit.";

function sourceLines(sources: readonly PinnedSource[]): string[] {
    return sources.flatMap((s) => [
        `// - ${s.repository} ${s.path} at ${s.ref === s.commit ? s.commit : `${s.ref} (${s.commit})`}, read ${s.read}:`,
        `//   ${s.provides}. ${rawUrl(s)}`,
    ]);
}

export function renderInstanceTypesModule(rows: readonly InstanceTypeRow[], sources: readonly PinnedSource[]): string {
    const withSpec = rows.filter((r) => r.specSource === "karpenter").length;
    return [
        DO_NOT_EDIT,
        "// EC2 instance types, one per line, merged from:",
        ...sourceLines(sources),
        `// ${rows.length} types; ${withSpec} with vCPUs/memory/GPUs/architecture from Karpenter's table (src k), ${rows.length - withSpec}`,
        "// without (src n: those values are unknown, never guessed, and the architecture is lib/catalog/naming.ts's rule).",
        `// Columns: ${INSTANCE_TYPE_COLUMNS.join(" ")}. hypervisor: n nitro, x xen, u unknown. "-": no upstream value.`,
        "// A string parsed on first use (lib/catalog/instance-types.ts), so loading this module costs one string literal.",
        "",
        `export const INSTANCE_TYPE_SOURCES = ${JSON.stringify(sources.map((s) => ({ repository: s.repository, ref: s.ref, commit: s.commit, path: s.path, read: s.read })))};`,
        "",
        `export const INSTANCE_TYPE_TABLE = \`\n${rows.map(encodeInstanceTypeRow).join("\n")}\n\`;`,
        "",
    ].join("\n");
}

export interface RegionRow {
    region: string;
    partition: string;
    description: string;
    /** Whether @pulumi/aws's Region enum lists it (the provider's own list may lag the SDK's). */
    inPulumiEnum: boolean;
}

/** Every real region of every partition; the SDK's pseudo-regions (`aws-global`, `aws-cn-global`, ...) are not regions. */
export function regionRows(partitions: readonly SdkPartition[], pulumiRegions: readonly string[]): RegionRow[] {
    const pulumi = new Set(pulumiRegions);
    const rows = partitions.flatMap((p) =>
        Object.entries(p.regions)
            .filter(([region]) => new RegExp(p.regionRegex).test(region))
            .map(([region, info]) => ({ region, partition: p.id, description: info.description ?? "", inPulumiEnum: pulumi.has(region) })),
    );
    const known = new Set(rows.map((r) => r.region));
    const missing = pulumiRegions.filter((r) => !known.has(r));
    if (missing.length > 0) throw new Error(`@pulumi/aws's Region enum lists regions the SDK's partitions do not: ${missing.join(", ")}`);
    return rows.sort((a, b) => compare(a.partition, b.partition) || compare(a.region, b.region));
}

export function renderRegionsModule(rows: readonly RegionRow[], versions: { sdkCore: string; pulumiAws: string }): string {
    const lagging = rows.filter((r) => !r.inPulumiEnum).map((r) => r.region);
    return [
        DO_NOT_EDIT,
        `// Regions and partitions from @aws-sdk/core ${versions.sdkCore} (util-endpoints partitions data, the SDK's own list),`,
        `// cross-checked with @pulumi/aws ${versions.pulumiAws}'s Region enum: it lists no region the SDK lacks${lagging.length > 0 ? `, and lacks ${lagging.join(", ")}` : ""}.`,
        "// Both are pinned by package-lock.json; regenerate after bumping either.",
        "",
        `export const REGION_DATA_VERSIONS = ${JSON.stringify(versions)};`,
        "",
        "/** [region, partition, description, listed by @pulumi/aws's Region enum] */",
        `export const REGION_TABLE: readonly (readonly [string, string, string, boolean])[] = ${JSON.stringify(rows.map((r) => [r.region, r.partition, r.description, r.inPulumiEnum]))};`,
        "",
    ].join("\n");
}
