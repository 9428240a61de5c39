// Max pods by the EKS calculator's arithmetic, checked against the values AWS publishes.
import { describe, expect, it } from "vitest";
import { instanceType, maxPods, maxPodsCeiling, maxPodsFor } from "../../lib/catalog";
import { ENI_MAX_PODS_EXCERPT } from "./catalog-fixtures";

const published = ENI_MAX_PODS_EXCERPT.split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split(" ") as [string, string]);

describe("maxPods", () => {
    it.each(published)("%s: the uncapped secondary-IP value is eni-max-pods.txt's %s", (type, pods) => {
        expect(maxPods(type, { prefixDelegation: false, maxPodsCap: Infinity })).toBe(Number(pods));
    });

    it("gives t4g.large 3 ENIs x (12 - 1) + 2 = 35 pods, under its 110 ceiling", () => {
        expect(maxPods("t4g.large", { prefixDelegation: false })).toBe(35);
    });

    it("caps at 110 up to 30 vCPUs and 250 above, as the calculator recommends", () => {
        expect(maxPods("m5.24xlarge", { prefixDelegation: false })).toBe(250); // 96 vCPUs, 737 uncapped
        expect(maxPods("c5.4xlarge", { prefixDelegation: false })).toBe(110); // 16 vCPUs, 234 uncapped
        expect([30, 31, 32].map(maxPodsCeiling)).toEqual([110, 250, 250]);
    });

    it("multiplies each ENI slot by a /28 prefix with prefix delegation, then caps", () => {
        const limits = { enis: 3, ipv4PerEni: 10, networkCards: 1, hypervisor: "nitro", bareMetal: false } as const;
        expect(maxPodsFor(limits, { prefixDelegation: true, maxPodsCap: Infinity })).toBe(3 * 9 * 16 + 2);
        expect(maxPods("m5.large", { prefixDelegation: true })).toBe(110);
        expect(maxPods("m5.large", { prefixDelegation: true, maxPodsCap: Infinity })).toBe(434);
        expect(maxPods("t3.micro", { prefixDelegation: true })).toBe(2 * 1 * 16 + 2);
    });

    it("falls back to secondary IPs on Xen types, where the VPC CNI cannot delegate prefixes", () => {
        expect(instanceType("m4.large")?.networking?.hypervisor).toBe("xen");
        expect(maxPods("m4.large", { prefixDelegation: true })).toBe(20);
    });

    it("delegates prefixes on bare metal, which EC2 reports without a hypervisor (the VPC CNI's rule)", () => {
        expect(instanceType("m6i.metal")?.networking).toMatchObject({ hypervisor: "unknown", bareMetal: true });
        expect(maxPods("m6i.metal", { prefixDelegation: true, maxPodsCap: Infinity })).toBe(15 * 49 * 16 + 2);
    });

    it("leaves the primary ENI out with custom networking", () => {
        expect(maxPods("m5.large", { prefixDelegation: false, customNetworking: true })).toBe(2 * 9 + 2);
    });

    it("honours a lower cap, and refuses to pick the ceiling when the vCPU count is unknown", () => {
        expect(maxPods("m5.24xlarge", { prefixDelegation: true, maxPodsCap: 200 })).toBe(200);
        expect(maxPods("t3.micro", { prefixDelegation: false, maxPodsCap: 200 })).toBe(4);
        expect(() => maxPods("mac2.metal", { prefixDelegation: false })).toThrow(/mac2\.metal: its vCPU count is unknown/);
        expect(maxPods("mac2.metal", { prefixDelegation: false, maxPodsCap: Infinity })).toBe(234);
        expect(() => maxPods("m9g.huge", { prefixDelegation: false })).toThrow(/m9g\.huge: not a known EC2 instance type/);
    });
});
