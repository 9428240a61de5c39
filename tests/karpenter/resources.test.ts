// Issue 11, item 9: the Karpenter controller is Guaranteed (requests = limits), sized per stack with a default per
// environment (Karpenter's getting-started sizing outside dev), and a bad value is one error naming its key path.
// Also the platform NodePool's settings (item 10): its name is reserved and it names a declared EC2NodeClass.
import { describe, expect, it } from "vitest";
import { karpenterWorkloads, type KarpenterValues } from "../../components/karpenter/values";
import { platformConfigFor, type PlannedResource } from "../../plan";
import { configProblems } from "../helpers/config";
import { sharedPlan } from "../helpers/shared-plan";

const releaseValues = (stack: string): KarpenterValues => {
    const release = sharedPlan(stack).resources.find(
        (r: PlannedResource) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "karpenter",
    );
    if (!release) throw new Error(`no karpenter release in the ${stack} plan`);
    return release.inputs.values as KarpenterValues;
};

describe("Karpenter controller resources", () => {
    it.each(["dev", "staging", "prod"])(
        "%s: requests equal limits for CPU and memory (QoS Guaranteed), from the stack's setting",
        (stack) => {
            const resources = releaseValues(stack).controller?.resources;
            const setting = platformConfigFor(stack).karpenter.controllerResources;
            expect(resources).toEqual({
                requests: { cpu: setting.cpu, memory: setting.memory },
                limits: { cpu: setting.cpu, memory: setting.memory },
            });
        },
    );

    it("defaults to Karpenter's documented 1 CPU / 1Gi in staging and prod, half the CPU in dev", () => {
        expect(platformConfigFor("prod").karpenter.controllerResources).toEqual({ cpu: "1", memory: "1Gi" });
        expect(platformConfigFor("staging").karpenter.controllerResources).toEqual({ cpu: "1", memory: "1Gi" });
        expect(platformConfigFor("dev").karpenter.controllerResources).toEqual({ cpu: "500m", memory: "1Gi" });
    });

    it("the placement check counts the controller's requests on the system nodes", () => {
        const [controller] = karpenterWorkloads(releaseValues("prod"), "kube-system");
        expect(controller?.requests).toEqual({ cpuMillis: 1000, memoryMiB: 1024 });
        expect(controller?.nodeSelector).toMatchObject({ "eks-platform/node-group": "system" });
    });

    it("rejects a quantity that is not one, naming the setting", () => {
        const problems = configProblems({
            stack: "dev",
            overrides: { "eks-platform:karpenter": { controllerResources: { cpu: "lots" } } },
        });
        expect(problems.map((p) => p.path)).toContain("eks-platform:karpenter.controllerResources.cpu");
    });
});

describe("platform NodePool settings", () => {
    it("reserves the name platform for it", () => {
        const problems = configProblems({
            stack: "dev",
            overrides: {
                "eks-platform:karpenter": {
                    nodePools: [{ name: "platform", preset: "general", limits: { cpu: "8", memory: "32Gi" } }],
                },
            },
        });
        expect(problems.find((p) => p.path === "eks-platform:karpenter.nodePools[0].name")?.rule).toMatch(
            /platform NodePool|platform's own/,
        );
    });

    it("must name a declared EC2NodeClass, and in prod have a schedule-bound budget", () => {
        const problems = configProblems({
            stack: "prod",
            overrides: {
                "eks-platform:karpenter": {
                    platformNodePool: { nodeClass: "missing", disruption: { budgets: [{ nodes: "1" }] } },
                },
            },
        });
        expect(problems.map((p) => p.path)).toEqual(
            expect.arrayContaining([
                "eks-platform:karpenter.platformNodePool.nodeClass",
                "eks-platform:karpenter.platformNodePool.disruption.budgets",
            ]),
        );
    });
});
