// What an EC2 instance type's name says about it, by the naming convention of the Amazon EC2 Instance Types guide
// (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html): <series><generation><options>.<size>,
// e.g. m7gd.2xlarge = series m, generation 7, processor g (Graviton), option d (local NVMe), size 2xlarge.
// The generator (scripts/catalog.ts) checks these rules against Karpenter's generated instance-type labels
// (instance-family, instance-size, instance-category, instance-generation, kubernetes.io/arch) for every type both know,
// so a rule that drifts from AWS's data fails the regeneration instead of silently misclassifying.

export type Architecture = "arm64" | "amd64";

/** The categories of the Amazon EC2 Instance Types guide's specification pages. */
export const INSTANCE_CATEGORIES = [
    "general-purpose",
    "compute-optimized",
    "memory-optimized",
    "storage-optimized",
    "accelerated-computing",
    "hpc",
    "unclassified",
] as const;
export type InstanceCategory = (typeof INSTANCE_CATEGORIES)[number];

/**
 * Series (the letters before the generation) to category, after the guide's pages: general purpose (gp.md),
 * compute optimized (co.md), memory optimized (mo.md), storage optimized (so.md), accelerated computing (ac.md),
 * high-performance computing (hpc.md); previous-generation series (cr1, hs1) by the previous generation page (pg.md).
 * `bmn` (bmn-sf1.metal, listed by the VPC CNI's EC2 data) is on none of those pages, so it stays unclassified.
 * A series missing here makes `npm run catalog` fail: add it with the page it is listed on.
 */
const SERIES_CATEGORY: Readonly<Record<string, InstanceCategory>> = {
    a: "general-purpose",
    m: "general-purpose",
    mac: "general-purpose",
    t: "general-purpose",
    c: "compute-optimized",
    cr: "memory-optimized",
    r: "memory-optimized",
    u: "memory-optimized",
    x: "memory-optimized",
    z: "memory-optimized",
    d: "storage-optimized",
    h: "storage-optimized",
    hs: "storage-optimized",
    i: "storage-optimized",
    im: "storage-optimized",
    is: "storage-optimized",
    dl: "accelerated-computing",
    f: "accelerated-computing",
    g: "accelerated-computing",
    gr: "accelerated-computing",
    inf: "accelerated-computing",
    p: "accelerated-computing",
    trn: "accelerated-computing",
    vt: "accelerated-computing",
    hpc: "hpc",
    bmn: "unclassified",
};

export interface InstanceTypeName {
    /** e.g. `m7g`, `m7i-flex`, `u-6tb1`, `p6-b200` (Karpenter's `instance-family` label). */
    family: string;
    /** e.g. `large`, `2xlarge`, `metal`, `metal-48xl`. */
    size: string;
    /** The leading letters, e.g. `m`, `inf`, `hpc` (Karpenter's `instance-category` label). */
    series: string;
    /** Undefined where the name carries none (mac-m4, bmn-sf1). */
    generation?: number;
}

/** Splits a well-formed name (`<family>.<size>`); undefined for anything else. */
export function parseInstanceTypeName(name: string): InstanceTypeName | undefined {
    const match = /^([a-z][a-z0-9-]*)\.([a-z0-9-]+)$/.exec(name);
    if (!match) return undefined;
    const family = match[1] as string;
    const size = match[2] as string;
    const parts = parseFamily(family);
    return parts && { family, size, ...parts };
}

/** Series and generation of a family name; undefined when the name does not start with a series. */
export function parseFamily(family: string): { series: string; generation?: number } | undefined {
    // High-memory "u-<n>tb<generation>" (u-6tb1): the digits after the dash are the memory in TiB.
    const highMemory = /^u-\d+tb(\d+)$/.exec(family);
    if (highMemory) return { series: "u", generation: Number(highMemory[1]) };
    const numbered = /^([a-z]+)(\d+)/.exec(family);
    if (numbered) return { series: numbered[1] as string, generation: Number(numbered[2]) };
    const dashed = /^([a-z]+)-/.exec(family);
    return dashed ? { series: dashed[1] as string } : undefined;
}

export function categoryOfSeries(series: string): InstanceCategory | undefined {
    return Object.hasOwn(SERIES_CATEGORY, series) ? SERIES_CATEGORY[series] : undefined;
}

/**
 * The architecture a family's name implies, for the types no machine-readable source describes: the processor letter
 * right after the generation is `g` for AWS Graviton (m7g, c6gn, im4gn, is4gen, x2gd, g5g); a1 is the first-generation
 * Graviton; mac1 is Intel, every later mac family (mac2*, mac-m*) Apple silicon. Everything else is x86-64.
 */
export function architectureByNamingRule(family: string): Architecture {
    if (family === "a1") return "arm64";
    if (family.startsWith("mac")) return family === "mac1" ? "amd64" : "arm64";
    return /^[a-z]+\d+g/.test(family) ? "arm64" : "amd64";
}
