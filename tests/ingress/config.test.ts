// Config rules of eks-platform:ingress: each bad input gets a ConfigError whose problem names the key path.
import { describe, expect, it } from "vitest";
import { configProblems, problemLine } from "../helpers/config";
import { platformConfigFor } from "../../plan";

const problemsFor = (stack: string, overrides: Record<string, unknown>): string[] => configProblems({ stack, overrides }).map(problemLine);

describe("eks-platform:ingress config", () => {
    it("defaults: chart 3.5.0, 2 replicas, a default internet-facing alb class, nginx as the stack says", () => {
        const dev = platformConfigFor("dev").ingress;
        expect(dev).toEqual({
            loadBalancerController: { chartVersion: "3.5.0", replicas: 2 },
            ingressClass: { name: "alb", scheme: "internet-facing", default: true },
            nginx: { enabled: false, chartVersion: "4.13.3", replicas: 2, scheme: "internet-facing" },
        });
        expect(platformConfigFor("prod").ingress.nginx).toMatchObject({ enabled: true, replicas: 3 });
    });

    it("a bad chart version names the key", () => {
        expect(problemsFor("dev", { "eks-platform:ingress": { loadBalancerController: { chartVersion: "3.5" } } })).toEqual([
            'eks-platform:ingress.loadBalancerController.chartVersion: must be an exact chart version such as 1.14.1 (no ranges) (got "3.5")',
        ]);
        expect(problemsFor("dev", { "eks-platform:ingress": { nginx: { chartVersion: "latest" } } })).toEqual([
            expect.stringMatching(/^eks-platform:ingress\.nginx\.chartVersion: must be an exact chart version/),
        ]);
    });

    it("an ingress class scheme typo names the key and the allowed values", () => {
        expect(problemsFor("dev", { "eks-platform:ingress": { ingressClass: { scheme: "internet_facing" } } })).toEqual([
            'eks-platform:ingress.ingressClass.scheme: must be internet-facing or internal (got "internet_facing")',
        ]);
        expect(problemsFor("dev", { "eks-platform:ingress": { nginx: { scheme: "public" } } })).toEqual([
            'eks-platform:ingress.nginx.scheme: must be internet-facing or internal (got "public")',
        ]);
    });

    it("an IngressClass name must be a DNS label", () => {
        expect(problemsFor("dev", { "eks-platform:ingress": { ingressClass: { name: "ALB" } } })).toEqual([
            expect.stringMatching(/^eks-platform:ingress\.ingressClass\.name: must be a DNS-1123 label/),
        ]);
    });

    it("prod keeps two controller replicas and two nginx replicas", () => {
        expect(
            problemsFor("prod", { "eks-platform:ingress": { loadBalancerController: { replicas: 1 }, nginx: { replicas: 1 } } }),
        ).toEqual([
            expect.stringMatching(/^eks-platform:ingress\.loadBalancerController\.replicas: must be at least 2 in prod.*\(got 1\)$/),
            expect.stringMatching(/^eks-platform:ingress\.nginx\.replicas: must be at least 2 in prod.*\(got 1\)$/),
        ]);
        expect(problemsFor("dev", { "eks-platform:ingress": { loadBalancerController: { replicas: 1 } } })).toEqual([]);
    });
});
