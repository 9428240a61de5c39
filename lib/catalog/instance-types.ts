// Lookups over the generated EC2 instance-type table, for the config schema and the plan's placement checks.
// The table is one string; it is split into records the first time a lookup needs it, so modules that import the
// catalogue without using it pay nothing beyond loading the literal.
import { INSTANCE_TYPE_TABLE } from "./instance-types.generated";
import { categoryOfSeries, parseFamily, parseInstanceTypeName, type Architecture, type InstanceCategory } from "./naming";
import { nearest } from "./nearest";

export interface InstanceTypeNetworking {
    /** ENIs on the default network card (the only card the VPC CNI puts pods on). */
    enis: number;
    ipv4PerEni: number;
    networkCards: number;
    hypervisor: "nitro" | "xen" | "unknown";
    bareMetal: boolean;
}

export interface InstanceType {
    name: string;
    family: string;
    size: string;
    series: string;
    generation?: number;
    category: InstanceCategory;
    architecture: Architecture;
    /**
     * Where vCPUs, memory, GPUs and the architecture come from: `karpenter` (its generated instance-type reference,
     * from DescribeInstanceTypes), or `naming-rule` for types that reference lacks: then vCPUs, memory and GPUs are
     * undefined (unknown, never guessed) and the architecture is the naming rule's.
     */
    specSource: "karpenter" | "naming-rule";
    vcpu?: number;
    memoryMiB?: number;
    /** NVIDIA/AMD GPUs (Karpenter's instance-gpu-count); 0 for none, undefined when unknown. */
    gpus?: number;
    /** From the VPC CNI's limits table; undefined for a type only Karpenter lists. */
    networking?: InstanceTypeNetworking;
}

interface Catalogue {
    /** Name to its table line; a line is decoded into a record only when asked for (most plans look up a handful). */
    lines: Map<string, string>;
    decoded: Map<string, InstanceType>;
    /** Family to its type names. */
    families: Map<string, string[]>;
}

let catalogue: Catalogue | undefined;

const HYPERVISOR: Readonly<Record<string, InstanceTypeNetworking["hypervisor"]>> = { n: "nitro", x: "xen", u: "unknown" };

function optionalNumber(text: string | undefined): number | undefined {
    return text === undefined || text === "-" ? undefined : Number(text);
}

/** One table line (see the generated module's header for the columns) to its record. */
export function decodeInstanceTypeRow(line: string): InstanceType {
    const [name = "", arch, src, vcpu, mem, gpus, enis, ipv4, cards, hypervisor, metal] = line.split(" ");
    const parts = parseInstanceTypeName(name);
    const category = parts && categoryOfSeries(parts.series);
    if (!parts || !category || (arch !== "arm64" && arch !== "amd64"))
        throw new Error(`instance-type table: bad row ${JSON.stringify(line)}`);
    const networking: InstanceTypeNetworking | undefined =
        enis === "-"
            ? undefined
            : {
                  enis: Number(enis),
                  ipv4PerEni: Number(ipv4),
                  networkCards: Number(cards),
                  hypervisor: HYPERVISOR[hypervisor ?? ""] ?? "unknown",
                  bareMetal: metal === "1",
              };
    return {
        name,
        ...parts,
        category,
        architecture: arch,
        specSource: src === "k" ? "karpenter" : "naming-rule",
        vcpu: optionalNumber(vcpu),
        memoryMiB: optionalNumber(mem),
        gpus: optionalNumber(gpus),
        networking,
    };
}

function load(): Catalogue {
    if (catalogue) return catalogue;
    const lines = new Map<string, string>();
    const families = new Map<string, string[]>();
    for (const line of INSTANCE_TYPE_TABLE.split("\n")) {
        const name = line.slice(0, line.indexOf(" "));
        if (name === "") continue;
        lines.set(name, line);
        const family = name.slice(0, name.indexOf("."));
        const members = families.get(family);
        if (members) members.push(name);
        else families.set(family, [name]);
    }
    catalogue = { lines, decoded: new Map(), families };
    return catalogue;
}

/** The catalogue's record for a type, or undefined if no source lists it. */
export function instanceType(name: string): InstanceType | undefined {
    const { lines, decoded } = load();
    let type = decoded.get(name);
    if (!type) {
        const line = lines.get(name);
        if (line === undefined) return undefined;
        type = decodeInstanceTypeRow(line);
        decoded.set(name, type);
    }
    return type;
}

export function isKnownInstanceType(name: string): boolean {
    return load().lines.has(name);
}

export function isKnownFamily(family: string): boolean {
    return load().families.has(family);
}

export function instanceTypeNames(): string[] {
    return [...load().lines.keys()];
}

/** Every family (optionally of one category), sorted. */
export function familiesOf(category?: InstanceCategory): string[] {
    const families = [...load().families.keys()];
    return families.filter((family) => category === undefined || categoryOfSeries(parseFamily(family)?.series ?? "") === category).sort();
}

/** The types of one family, smallest vCPU count first (unknown counts last), then by name. */
export function typesOfFamily(family: string): InstanceType[] {
    const members = (load().families.get(family) ?? []).map((name) => instanceType(name) as InstanceType);
    return members.sort((a, b) => (a.vcpu ?? Infinity) - (b.vcpu ?? Infinity) || (a.name < b.name ? -1 : 1));
}

/** The architecture of a known type, or undefined for an unknown one. */
export function architectureOf(name: string): Architecture | undefined {
    return instanceType(name)?.architecture;
}

/**
 * Suggestions for an unknown type: if its family is known, the family's sizes nearest to the name; otherwise the
 * nearest type names across the catalogue (which also catches a mistyped family).
 */
export function suggestInstanceTypes(name: string, n = 3): string[] {
    const family = name.split(".")[0] ?? "";
    const members = load().families.get(family);
    const sameFamily = members ? nearest(name, members, n, Number.MAX_SAFE_INTEGER) : [];
    return sameFamily.length > 0 ? sameFamily : nearest(name, load().lines.keys(), n);
}

export function suggestFamilies(family: string, n = 3): string[] {
    return nearest(family, load().families.keys(), n);
}
