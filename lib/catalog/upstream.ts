// Parsers for the upstream files the catalogues are generated from (see sources.ts). Pure: text in, plain records
// out; they throw on a shape they do not recognise, so an upstream format change fails `npm run catalog` loudly.
// Only the generator imports this module; the lookups read the generated tables.

export interface NetworkingLimits {
    name: string;
    /** ENIs on the default network card: the count the VPC CNI and the max-pods formula use. */
    enis: number;
    ipv4PerEni: number;
    networkCards: number;
    /** `unknown` is what the CNI records when EC2 reports no hypervisor (bare metal, a few Xen types). */
    hypervisor: "nitro" | "xen" | "unknown";
    bareMetal: boolean;
}

function field(block: string, name: string, type: string): string {
    const match = new RegExp(`^\\s*${name}:\\s*(.*?),?$`, "m").exec(block);
    if (!match) throw new Error(`${type}: no ${name} in its VPC CNI limits entry`);
    return (match[1] as string).trim();
}

function integer(text: string, what: string): number {
    if (!/^\d+$/.test(text)) throw new Error(`${what}: expected an integer, got ${JSON.stringify(text)}`);
    return Number(text);
}

/** aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go: `var instanceNetworkingLimits = map[string]InstanceTypeLimits{...}`. */
export function parseVpcCniLimits(goSource: string): NetworkingLimits[] {
    const start = goSource.indexOf("instanceNetworkingLimits = map[string]InstanceTypeLimits{");
    if (start < 0) throw new Error("VPC CNI limits: no instanceNetworkingLimits map (has the file's format changed?)");
    const body = goSource.slice(start);
    // Each entry is one tab in: `\t"m7g.large": {` ... `\t},`; nested literals are indented further.
    const entries = [...body.matchAll(/^\t"([^"]+)": \{\n([\s\S]*?)^\t\},?$/gm)];
    if (entries.length === 0) throw new Error("VPC CNI limits: no entries found");
    return entries.map(([, name, block]) => {
        const type = name as string;
        const text = block as string;
        const hypervisor = JSON.parse(field(text, "HypervisorType", type)) as string;
        if (hypervisor !== "nitro" && hypervisor !== "xen" && hypervisor !== "unknown")
            throw new Error(`${type}: unexpected HypervisorType ${JSON.stringify(hypervisor)}`);
        const bareMetal = field(text, "IsBareMetal", type);
        if (bareMetal !== "true" && bareMetal !== "false") throw new Error(`${type}: unexpected IsBareMetal ${bareMetal}`);
        const enis = integer(field(text, "ENILimit", type), `${type} ENILimit`);
        const defaultCard = integer(field(text, "DefaultNetworkCardIndex", type), `${type} DefaultNetworkCardIndex`);
        const cards = [...text.matchAll(/MaximumNetworkInterfaces:\s*(\d+),\s*\n\s*NetworkCardIndex:\s*(\d+),/g)].map((m) => ({
            max: Number(m[1]),
            index: Number(m[2]),
        }));
        const onDefault = cards.find((c) => c.index === defaultCard);
        // The CNI's ENILimit is the default card's limit (its generator says so for multi-card types like p5.48xlarge);
        // if that ever stops holding, the max-pods arithmetic here needs rethinking, so stop.
        if (onDefault && onDefault.max !== enis)
            throw new Error(`${type}: ENILimit ${enis} differs from network card ${defaultCard}'s ${onDefault.max} interfaces`);
        return {
            name: type,
            enis,
            ipv4PerEni: integer(field(text, "IPv4Limit", type), `${type} IPv4Limit`),
            networkCards: Math.max(1, cards.length),
            hypervisor,
            bareMetal: bareMetal === "true",
        };
    });
}

export interface KarpenterInstanceType {
    name: string;
    /** The node labels Karpenter's docs list for the type (`karpenter.k8s.aws/instance-cpu`, `kubernetes.io/arch`, ...). */
    labels: Record<string, string>;
}

/** aws/karpenter-provider-aws website/.../reference/instance-types.md: per type a "### `name`" heading and a label table. */
export function parseKarpenterInstanceTypes(markdown: string): KarpenterInstanceType[] {
    const sections = markdown.split(/^### `/m).slice(1);
    if (sections.length === 0) throw new Error("Karpenter instance types: no '### `type`' sections (has the page's format changed?)");
    return sections.map((section) => {
        const name = section.slice(0, section.indexOf("`"));
        const labelsStart = section.indexOf("#### Labels");
        const resourcesStart = section.indexOf("#### Resources");
        if (labelsStart < 0) throw new Error(`Karpenter instance types: ${name} has no Labels table`);
        const table = section.slice(labelsStart, resourcesStart < 0 ? undefined : resourcesStart);
        const labels: Record<string, string> = {};
        for (const row of table.matchAll(/^\s*\|([^|\n]+)\|([^|\n]*)\|\s*$/gm)) {
            const key = (row[1] as string).trim();
            if (key === "Label" || /^-+$/.test(key)) continue;
            labels[key] = (row[2] as string).trim();
        }
        return { name, labels };
    });
}

export interface SdkPartition {
    id: string;
    regionRegex: string;
    /** Region name to its description; includes the SDK's pseudo-regions such as `aws-global`. */
    regions: Record<string, { description?: string }>;
}

/** @aws-sdk/core's util-endpoints partitions.js: `export const partitionsInfo = { "partitions": [...], "version": ... };`. */
export function parseSdkPartitions(moduleSource: string): SdkPartition[] {
    const match = /export const partitionsInfo = (\{[\s\S]*\});?\s*$/.exec(moduleSource);
    if (!match) throw new Error("SDK partitions: no `export const partitionsInfo = {...}` (has the file moved or changed?)");
    const info = JSON.parse(match[1] as string) as { partitions?: SdkPartition[] };
    if (!Array.isArray(info.partitions) || info.partitions.length === 0) throw new Error("SDK partitions: no partitions");
    return info.partitions;
}
