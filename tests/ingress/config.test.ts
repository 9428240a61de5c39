// Config rules of eks-platform:ingress: each bad input gets a ConfigError whose problem names the key path.
import { describe, expect, it } from "vitest";
import { configProblems, problemLine } from "../helpers/config";
import { platformConfigFor } from "../../plan";

const problemsFor = (stack: string, overrides: Record<string, unknown>): string[] => configProblems({ stack, overrides }).map(problemLine);

describe("eks-platform:ingress config", () => {
    it("defaults: chart 3.5.0, 2 replicas, a default internet-facing alb class, nginx off at its last 4.13, Gateway API v1.6.1", () => {
        const dev = platformConfigFor("dev").ingress;
        expect(dev).toEqual({
            loadBalancerController: { chartVersion: "3.5.0", replicas: 2 },
            ingressClass: { name: "alb", scheme: "internet-facing", default: true },
            nginx: { enabled: false, acknowledgeRetired: false, chartVersion: "4.13.9", replicas: 2, scheme: "internet-facing" },
            gatewayApi: { version: "v1.6.1", namespace: "gateway-system" },
            gateways: {
                internetFacing: { enabled: false, certificateArns: [], sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" },
                internal: {
                    enabled: true,
                    certificateArns: [],
                    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
                    routeNamespaceLabel: { key: "eks-platform/gateway-internal", value: "true" },
                },
            },
        });
    });

    it("no shipped stack runs ingress-nginx; staging and prod offer both Gateways, dev the internal one", () => {
        for (const stack of ["dev", "staging", "prod"]) expect(platformConfigFor(stack).ingress.nginx.enabled, stack).toBe(false);
        for (const stack of ["staging", "prod"]) {
            const g = platformConfigFor(stack).ingress.gateways;
            expect([g.internetFacing.enabled, g.internal.enabled], stack).toEqual([true, true]);
        }
        expect(platformConfigFor("dev").ingress.gateways.internetFacing.enabled).toBe(false);
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

    it("prod keeps two controller replicas and, while it still runs, two nginx replicas", () => {
        expect(
            problemsFor("prod", {
                "eks-platform:ingress": {
                    loadBalancerController: { replicas: 1 },
                    nginx: { enabled: true, acknowledgeRetired: true, replicas: 1 },
                },
            }),
        ).toEqual([
            expect.stringMatching(/^eks-platform:ingress\.loadBalancerController\.replicas: must be at least 2 in prod.*\(got 1\)$/),
            expect.stringMatching(/^eks-platform:ingress\.nginx\.replicas: must be at least 2 in prod.*\(got 1\)$/),
        ]);
        expect(problemsFor("dev", { "eks-platform:ingress": { loadBalancerController: { replicas: 1 } } })).toEqual([]);
    });
});

describe("eks-platform:ingress: ingress-nginx is retired", () => {
    it("is refused without the acknowledgement, naming the setting, the retirement and the way out", () => {
        expect(problemsFor("staging", { "eks-platform:ingress": { nginx: { enabled: true } } })).toEqual([
            "eks-platform:ingress.nginx.acknowledgeRetired: must be true to enable ingress-nginx: the project was retired on 2026-03-24 " +
                "(no releases, no CVE fixes); move its Ingresses to the shared Gateways (README, Migrating from Ingress) and turn nginx off (got false)",
        ]);
        expect(problemsFor("staging", { "eks-platform:ingress": { nginx: { enabled: true, acknowledgeRetired: true } } })).toEqual([]);
        // The acknowledgement alone changes nothing.
        expect(problemsFor("staging", { "eks-platform:ingress": { nginx: { acknowledgeRetired: true } } })).toEqual([]);
    });
});
