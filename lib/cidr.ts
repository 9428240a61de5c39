// Subnet planning: which CIDR each public, private and pod subnet gets. Pure, built on ip-address (no bit math
// here), property-tested in tests/network/cidr.test.ts. stacks/schema/network.ts runs the same plan to reject a VPC that
// is too small, so a plan that validates is a plan the Network can build.
import { Address4 } from "ip-address";

/** Subnet slots reserved per role: azCount may grow to this without renumbering any existing subnet. */
export const MAX_AZ_COUNT = 3;
/** Pod CIDRs are split in four equal subnets (MAX_AZ_COUNT rounded up to a power of two). */
export const POD_SUBNET_SPLIT_BITS = 2;

export interface SubnetPlanInput {
    vpcCidr: string;
    azCount: number;
    publicSubnetPrefix: number;
    privateSubnetPrefix: number;
    podCidr?: string;
}

/** Subnet CIDRs per AZ, in zone order (index i is the i-th availability zone). */
export interface SubnetPlan {
    public: string[];
    private: string[];
    /** Per-AZ subnets of podCidr; empty without one. */
    pod: string[];
}

export class CidrPlanError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CidrPlanError";
    }
}

/** A network in CIDR form; throws CidrPlanError when `cidr` is not one (host bits set count as not one). */
export function network(cidr: string): Address4 {
    if (!Address4.isValid(cidr) || !cidr.includes("/")) throw new CidrPlanError(`${cidr} is not an IPv4 CIDR`);
    const address = new Address4(cidr);
    if (address.networkForm() !== cidr) throw new CidrPlanError(`${cidr} has host bits set (the network is ${address.networkForm()})`);
    return address;
}

/** Number of addresses in a block of this prefix length. */
export function blockSize(prefix: number): number {
    return 2 ** (32 - prefix);
}

/** True when the two networks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
    const x = network(a);
    const y = network(b);
    return x.isInSubnet(y) || y.isInSubnet(x);
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
    return network(inner).isInSubnet(network(outer));
}

/**
 * `count` consecutive networks of length `prefix`, the first starting at `start` (an address aligned to `prefix`).
 * Returns the networks and the address after the last one (undefined at the end of the address space).
 */
function consecutive(start: Address4, prefix: number, count: number): { networks: Address4[]; next: Address4 | undefined } {
    const networks: Address4[] = [];
    let cursor: Address4 | undefined = new Address4(`${start.correctForm()}/${prefix}`);
    for (let i = 0; i < count; i++) {
        if (!cursor) throw new CidrPlanError("the subnets run past the end of the IPv4 address space");
        networks.push(cursor);
        cursor = cursor.endAddress().bigInt() === 0xffffffffn ? undefined : cursor.nextNetwork();
    }
    return { networks, next: cursor };
}

/**
 * Plans the VPC's subnets. Layout: MAX_AZ_COUNT slots for the role with the larger subnets (private on a tie), then
 * MAX_AZ_COUNT slots for the other, from the start of the VPC CIDR; larger blocks first keeps every block aligned.
 * Reserving slots for all zones means a stack going from 2 to 3 AZs adds subnets and never moves one.
 * Pod subnets are the quarters of podCidr, one per AZ. Deterministic: the same input gives the same plan.
 */
export function planSubnets(input: SubnetPlanInput): SubnetPlan {
    const vpc = network(input.vpcCidr);
    if (!Number.isInteger(input.azCount) || input.azCount < 1 || input.azCount > MAX_AZ_COUNT) {
        throw new CidrPlanError(`azCount ${input.azCount} is not between 1 and ${MAX_AZ_COUNT}`);
    }
    for (const [role, prefix] of [
        ["public", input.publicSubnetPrefix],
        ["private", input.privateSubnetPrefix],
    ] as const) {
        if (!Number.isInteger(prefix) || prefix < vpc.subnetMask || prefix > 28) {
            throw new CidrPlanError(`the ${role} subnet prefix /${prefix} must lie between the VPC's /${vpc.subnetMask} and /28`);
        }
    }
    const needed = MAX_AZ_COUNT * (blockSize(input.privateSubnetPrefix) + blockSize(input.publicSubnetPrefix));
    const available = blockSize(vpc.subnetMask);
    if (needed > available) {
        throw new CidrPlanError(
            `${input.vpcCidr} is too small: ${MAX_AZ_COUNT} AZ slots of /${input.privateSubnetPrefix} private and /${input.publicSubnetPrefix} public subnets need ${needed} addresses, the VPC has ${available}`,
        );
    }
    const privateFirst = input.privateSubnetPrefix <= input.publicSubnetPrefix;
    const order = privateFirst ? (["private", "public"] as const) : (["public", "private"] as const);
    const slots: Record<"public" | "private", Address4[]> = { public: [], private: [] };
    let cursor: Address4 | undefined = vpc.startAddress();
    for (const role of order) {
        if (!cursor) throw new CidrPlanError(`${input.vpcCidr} is too small for the ${role} subnets`);
        const prefix = role === "private" ? input.privateSubnetPrefix : input.publicSubnetPrefix;
        const { networks, next } = consecutive(cursor, prefix, MAX_AZ_COUNT);
        slots[role] = networks;
        cursor = next;
    }
    for (const subnet of [...slots.private, ...slots.public]) {
        // Guaranteed by the size check and the alignment; kept as the invariant the property tests rely on.
        if (!subnet.isInSubnet(vpc)) throw new CidrPlanError(`${subnet.networkForm()} falls outside ${input.vpcCidr}`);
    }

    let pod: string[] = [];
    if (input.podCidr !== undefined) {
        const podNetwork = network(input.podCidr);
        if (cidrsOverlap(input.vpcCidr, input.podCidr))
            throw new CidrPlanError(`podCidr ${input.podCidr} overlaps the VPC CIDR ${input.vpcCidr}`);
        const podPrefix = podNetwork.subnetMask + POD_SUBNET_SPLIT_BITS;
        if (podPrefix > 28) throw new CidrPlanError(`podCidr ${input.podCidr} is too small to split into per-AZ subnets`);
        pod = consecutive(podNetwork.startAddress(), podPrefix, input.azCount).networks.map((n) => n.networkForm());
    }
    const take = (networks: Address4[]) => networks.slice(0, input.azCount).map((n) => n.networkForm());
    return { public: take(slots.public), private: take(slots.private), pod };
}

/**
 * How many IPv4 addresses a list of networks covers together, overlaps counted once: what an allow-list lets in,
 * whatever its spelling (0.0.0.0/1 and 128.0.0.0/1 cover the whole internet as 0.0.0.0/0 does). An entry with host
 * bits set counts as the network it lies in; entries that are not IPv4 CIDRs are left out (their schema reports them).
 */
export function addressesCovered(cidrs: readonly string[]): number {
    const ranges: [number, number][] = [];
    for (const cidr of cidrs) {
        if (!cidr.includes("/") || !Address4.isValid(cidr)) continue;
        const address = new Address4(cidr);
        ranges.push([Number(address.startAddress().bigInt()), Number(address.endAddress().bigInt())]);
    }
    ranges.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let open: [number, number] | undefined;
    for (const [start, end] of ranges) {
        if (open && start <= open[1] + 1) open[1] = Math.max(open[1], end);
        else {
            if (open) total += open[1] - open[0] + 1;
            open = [start, end];
        }
    }
    return open ? total + open[1] - open[0] + 1 : total;
}
