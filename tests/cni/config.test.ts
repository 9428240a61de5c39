// Config rules of eks-platform:cni (stacks/schema/cni.ts and the cni rules in stacks/schema/rules.ts): each bad
// input gets a ConfigError whose problem names the key path.
import { describe, expect, it } from "vitest";
import { configProblems, problemLine } from "../helpers/config";
import { platformConfigFor } from "../../plan";

const problemsFor = (stack: string, overrides: Record<string, unknown>): string[] => configProblems({ stack, overrides }).map(problemLine);

describe("eks-platform:cni config", () => {
    it("the three stacks parse with the default mode calico-policy", () => {
        for (const stack of ["dev", "staging", "prod"]) expect(platformConfigFor(stack).cni.mode).toBe("calico-policy");
    });

    it("an unknown mode names the key and the allowed modes", () => {
        const problems = problemsFor("dev", { "eks-platform:cni": { mode: "cilium" } });
        expect(problems).toEqual(['eks-platform:cni.mode: must be one of calico-policy, vpc-cni-policy, calico-cni (got "cilium")']);
    });

    it("custom networking without a secondary CIDR (network.podCidr)", () => {
        const problems = problemsFor("dev", { "eks-platform:cni": { vpcCni: { customNetworking: true } } });
        expect(problems).toEqual([
            expect.stringMatching(/^eks-platform:cni\.vpcCni\.customNetworking: needs eks-platform:network\.podCidr.*\(got true\)$/),
        ]);
        expect(
            problemsFor("dev", {
                "eks-platform:cni": { vpcCni: { customNetworking: true } },
                "eks-platform:network": { podCidr: "100.64.0.0/16" },
            }),
        ).toEqual([]);
    });

    it("prefix delegation with an explicit max pods below 110 contradicts it, on the system nodes and on an EC2NodeClass", () => {
        expect(problemsFor("dev", { "eks-platform:cluster": { nodeSettings: { maxPods: 58 } } })).toEqual([
            expect.stringMatching(
                /^eks-platform:cluster\.nodeSettings\.maxPods: contradicts eks-platform:cni\.vpcCni\.prefixDelegation.*\(got 58\)$/,
            ),
        ]);
        const karpenter = platformConfigFor("prod").karpenter;
        const nodeClasses = karpenter.nodeClasses.map((c, i) => (i === 0 ? { ...c, maxPods: 20 } : c));
        expect(problemsFor("prod", { "eks-platform:karpenter": { nodeClasses } })).toEqual([
            expect.stringMatching(/^eks-platform:karpenter\.nodeClasses\[0\]\.maxPods: contradicts .*\(got 20\)$/),
        ]);
    });

    it("without prefix delegation, max pods above 110 cannot be backed by ENI addresses", () => {
        expect(
            problemsFor("dev", {
                "eks-platform:cni": { vpcCni: { prefixDelegation: false } },
                "eks-platform:cluster": { nodeSettings: { maxPods: 200 } },
            }),
        ).toEqual([
            expect.stringMatching(
                /^eks-platform:cluster\.nodeSettings\.maxPods: must be at most 110 without eks-platform:cni\.vpcCni\.prefixDelegation.*\(got 200\)$/,
            ),
        ]);
    });

    it("calico-cni with prefix delegation or custom networking (VPC CNI settings it would ignore)", () => {
        expect(problemsFor("dev", { "eks-platform:cni": { mode: "calico-cni" } })).toEqual([
            expect.stringMatching(/^eks-platform:cni\.vpcCni\.prefixDelegation: must be false in mode calico-cni.*\(got true\)$/),
        ]);
        expect(
            problemsFor("dev", {
                "eks-platform:cni": { mode: "calico-cni", vpcCni: { prefixDelegation: false, customNetworking: true } },
                "eks-platform:network": { podCidr: "100.64.0.0/16" },
            }),
        ).toEqual([expect.stringMatching(/^eks-platform:cni\.vpcCni\.customNetworking: must be false in mode calico-cni/)]);
        expect(problemsFor("dev", { "eks-platform:cni": { mode: "calico-cni", vpcCni: { prefixDelegation: false } } })).toEqual([]);
    });

    it("calico-cni's IP pool must not overlap the VPC or the service CIDR", () => {
        const calico = (ipPoolCidr: string) => ({
            "eks-platform:cni": { mode: "calico-cni", vpcCni: { prefixDelegation: false }, calico: { ipPoolCidr } },
        });
        expect(problemsFor("dev", calico("10.10.0.0/16"))).toEqual([
            expect.stringMatching(/^eks-platform:cni\.calico\.ipPoolCidr: must not overlap eks-platform:network\.vpcCidr 10\.10\.0\.0\/16/),
        ]);
        expect(problemsFor("dev", calico("172.20.0.0/16"))).toEqual([
            expect.stringMatching(/^eks-platform:cni\.calico\.ipPoolCidr: must not overlap eks-platform:cluster\.serviceCidr/),
        ]);
        expect(problemsFor("dev", calico("172.16.0.0/24"))).toEqual([
            'eks-platform:cni.calico.ipPoolCidr: prefix must be between /12 and /20 (got "172.16.0.0/24")',
        ]);
    });

    it("vpc-cni-policy needs a VPC CNI with the network policy agent (v1.14+)", () => {
        expect(
            problemsFor("dev", {
                "eks-platform:cni": { mode: "vpc-cni-policy" },
                "eks-platform:cluster": { addons: { vpcCni: "v1.13.4-eksbuild.1" } },
            }),
        ).toEqual([expect.stringMatching(/^eks-platform:cluster\.addons\.vpcCni: must be v1\.14\.0 or later in cni mode vpc-cni-policy/)]);
    });

    it("a bad Calico chart version and a negative warm target name their keys", () => {
        expect(problemsFor("dev", { "eks-platform:cni": { calicoVersion: "^3.32", vpcCni: { warmPrefixTarget: -1 } } })).toEqual([
            'eks-platform:cni.calicoVersion: must be an exact chart version such as 1.14.1 (no ranges) (got "^3.32")',
            "eks-platform:cni.vpcCni.warmPrefixTarget: must be 0 or more (got -1)",
        ]);
    });

    it("an unknown setting is reported, not ignored", () => {
        expect(problemsFor("dev", { "eks-platform:cni": { prefixDelegation: true } })).toEqual([
            expect.stringMatching(/^eks-platform:cni\.prefixDelegation: is not a known setting/),
        ]);
    });
});
