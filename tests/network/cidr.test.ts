import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CidrPlanError, cidrContains, cidrsOverlap, MAX_AZ_COUNT, network, planSubnets, type SubnetPlanInput } from "../../lib/cidr";

/** A VPC network of prefix 16-24 at an aligned address in 10/8, with subnet prefixes that may or may not fit. */
const planInput = fc
    .record({
        vpcPrefix: fc.integer({ min: 16, max: 24 }),
        base: fc.integer({ min: 0, max: 2 ** 24 - 1 }),
        azCount: fc.integer({ min: 2, max: MAX_AZ_COUNT }),
        publicDelta: fc.integer({ min: 0, max: 12 }),
        privateDelta: fc.integer({ min: 0, max: 8 }),
    })
    .map(({ vpcPrefix, base, azCount, publicDelta, privateDelta }): SubnetPlanInput => {
        const block = 2 ** (32 - vpcPrefix);
        const start = 10 * 2 ** 24 + Math.floor(base / block) * block;
        const ip = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join(".");
        return {
            vpcCidr: `${ip}/${vpcPrefix}`,
            azCount,
            publicSubnetPrefix: Math.min(28, vpcPrefix + publicDelta),
            privateSubnetPrefix: Math.min(28, vpcPrefix + privateDelta),
        };
    });

const fits = (i: SubnetPlanInput) =>
    MAX_AZ_COUNT * (2 ** (32 - i.privateSubnetPrefix) + 2 ** (32 - i.publicSubnetPrefix)) <= 2 ** (32 - network(i.vpcCidr).subnetMask);

describe("planSubnets (property tests)", () => {
    it("never overlaps, stays inside the VPC and gives azCount subnets per role whenever the plan fits", () => {
        fc.assert(
            fc.property(planInput, (input) => {
                if (!fits(input)) {
                    expect(() => planSubnets(input)).toThrow(CidrPlanError);
                    return;
                }
                const plan = planSubnets(input);
                expect(plan.public).toHaveLength(input.azCount);
                expect(plan.private).toHaveLength(input.azCount);
                const all = [...plan.public, ...plan.private];
                for (const subnet of all) expect(cidrContains(input.vpcCidr, subnet)).toBe(true);
                for (let a = 0; a < all.length; a++)
                    for (let b = a + 1; b < all.length; b++) expect(cidrsOverlap(all[a] as string, all[b] as string)).toBe(false);
                plan.public.forEach((s) => expect(s.endsWith(`/${input.publicSubnetPrefix}`)).toBe(true));
                plan.private.forEach((s) => expect(s.endsWith(`/${input.privateSubnetPrefix}`)).toBe(true));
            }),
            { numRuns: 300 },
        );
    });

    it("is deterministic: the same input gives the same plan", () => {
        fc.assert(
            fc.property(planInput.filter(fits), (input) => {
                expect(planSubnets({ ...input })).toEqual(planSubnets({ ...input }));
            }),
        );
    });

    it("never moves a subnet when azCount grows (slots are reserved for every zone)", () => {
        fc.assert(
            fc.property(planInput.filter(fits), (input) => {
                const two = planSubnets({ ...input, azCount: 2 });
                const three = planSubnets({ ...input, azCount: 3 });
                expect(three.public.slice(0, 2)).toEqual(two.public);
                expect(three.private.slice(0, 2)).toEqual(two.private);
            }),
        );
    });

    it("splits a pod CIDR into disjoint per-AZ quarters inside it", () => {
        fc.assert(
            fc.property(fc.integer({ min: 16, max: 20 }), fc.integer({ min: 2, max: 3 }), (prefix, azCount) => {
                const podCidr = `100.64.0.0/${prefix}`;
                const plan = planSubnets({ vpcCidr: "10.0.0.0/16", azCount, publicSubnetPrefix: 24, privateSubnetPrefix: 20, podCidr });
                expect(plan.pod).toHaveLength(azCount);
                plan.pod.forEach((s) => {
                    expect(cidrContains(podCidr, s)).toBe(true);
                    expect(s.endsWith(`/${prefix + 2}`)).toBe(true);
                });
                expect(cidrsOverlap(plan.pod[0] as string, plan.pod[1] as string)).toBe(false);
            }),
        );
    });
});

describe("planSubnets (examples)", () => {
    it("lays out the dev network: private /20s first, then public /24s", () => {
        expect(planSubnets({ vpcCidr: "10.10.0.0/16", azCount: 2, publicSubnetPrefix: 24, privateSubnetPrefix: 20 })).toEqual({
            private: ["10.10.0.0/20", "10.10.16.0/20"],
            public: ["10.10.48.0/24", "10.10.49.0/24"],
            pod: [],
        });
    });

    it("puts the larger role first when public subnets are the larger ones, keeping blocks aligned", () => {
        const plan = planSubnets({ vpcCidr: "10.0.0.0/20", azCount: 3, publicSubnetPrefix: 23, privateSubnetPrefix: 24 });
        expect(plan.public).toEqual(["10.0.0.0/23", "10.0.2.0/23", "10.0.4.0/23"]);
        expect(plan.private).toEqual(["10.0.6.0/24", "10.0.7.0/24", "10.0.8.0/24"]);
    });

    it("rejects a VPC too small for the reserved slots, naming the sizes", () => {
        expect(() => planSubnets({ vpcCidr: "10.0.0.0/20", azCount: 2, publicSubnetPrefix: 24, privateSubnetPrefix: 21 })).toThrow(
            /too small.*need 6912 addresses, the VPC has 4096/,
        );
    });

    it("rejects a pod CIDR overlapping the VPC and a CIDR with host bits", () => {
        expect(() =>
            planSubnets({ vpcCidr: "10.0.0.0/16", azCount: 2, publicSubnetPrefix: 24, privateSubnetPrefix: 20, podCidr: "10.0.0.0/16" }),
        ).toThrow(/overlaps/);
        expect(() => network("10.0.0.1/16")).toThrow(/host bits/);
    });

    it("plans at the very end of the address space without running past it", () => {
        const plan = planSubnets({ vpcCidr: "255.255.255.0/24", azCount: 3, publicSubnetPrefix: 28, privateSubnetPrefix: 26 });
        expect(plan.public[2]).toBe("255.255.255.224/28");
    });
});
