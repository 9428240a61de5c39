// The config contract and the policy pack judge the public API endpoint from one definition
// (stacks/schema/endpoint.ts): policy/config/<env>.json carries exactly ENDPOINT_GUARDRAILS' values, and for any list
// of networks the config refuses what the pack's mandatory level refuses, warns where the pack is advisory, and
// accepts what the pack accepts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS, parsePlatformConfig, type Environment } from "../../stacks/config";
import { ENDPOINT_GUARDRAILS } from "../../stacks/schema/endpoint";
import { loadPolicyConfig, runPolicyPack } from "../../policy/offline";
import { createPolicies } from "../../policy/policies";
import { rawConfigFor } from "../../plan";
import { eksCluster, plan } from "./fixtures";

type Verdict = "refused" | "warned" | "accepted";
const ENDPOINT_PATHS = /^eks-platform:cluster\.endpoint\.publicAccess(Cidrs(\[\d+\])?)?$/;
const policy = createPolicies().filter((p) => p.name === "eks-endpoint-not-public");

/** The config contract's verdict on a public endpoint with these networks, for a stack of this environment. */
function configVerdict(environment: Environment, cidrs: string[]): Verdict {
    const raw = rawConfigFor({
        stack: environment,
        overrides: { "eks-platform:cluster": { endpoint: { publicAccess: true, publicAccessCidrs: cidrs } } },
    });
    try {
        const config = parsePlatformConfig(raw, environment);
        return config.warnings.some((w) => ENDPOINT_PATHS.test(w.path)) ? "warned" : "accepted";
    } catch (err) {
        const problems = (err as { problems?: { path: string }[] }).problems ?? [];
        if (problems.length === 0) throw err;
        expect(
            problems.every((p) => ENDPOINT_PATHS.test(p.path)),
            JSON.stringify(problems),
        ).toBe(true);
        return "refused";
    }
}

/** The pack's verdict on the same endpoint at the environment's policy/config/<env>.json. */
async function packVerdict(environment: Environment, cidrs: string[]): Promise<Verdict> {
    const cluster = eksCluster({ endpointPublicAccess: true, publicAccessCidrs: cidrs });
    const violations = await runPolicyPack(plan([cluster]), { config: loadPolicyConfig(environment), policies: policy });
    if (violations.some((v) => v.enforcementLevel === "mandatory")) return "refused";
    return violations.length > 0 ? "warned" : "accepted";
}

const cidr = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([address, prefix]) => {
    const network = prefix === 0 ? 0 : (address >>> (32 - prefix)) << (32 - prefix);
    const octets = [24, 16, 8, 0].map((shift) => ((network >>> 0) >>> shift) & 255);
    return `${octets.join(".")}/${prefix}`;
});

describe("one definition of the public endpoint guardrail", () => {
    it.each(ENVIRONMENTS)("policy/config/%s.json carries the values and the level of ENDPOINT_GUARDRAILS", (environment) => {
        const { level, ...guardrail } = ENDPOINT_GUARDRAILS[environment];
        expect(loadPolicyConfig(environment)["eks-endpoint-not-public"]).toEqual({ enforcementLevel: level, ...guardrail });
    });

    it.each([
        ["prod", ["203.0.113.0/24"], "refused"],
        ["staging", ["203.0.113.0/24", "192.0.2.64/27"], "accepted"],
        ["staging", ["0.0.0.0/1", "128.0.0.0/1"], "refused"],
        ["staging", ["10.0.0.0/15"], "refused"],
        ["dev", ["10.0.0.0/8"], "accepted"],
        ["dev", ["0.0.0.0/0"], "warned"],
        ["dev", ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"], "warned"],
    ] as const)("%s, %j: both %s", async (environment, cidrs, verdict) => {
        expect(configVerdict(environment, [...cidrs])).toBe(verdict);
        expect(await packVerdict(environment, [...cidrs])).toBe(verdict);
    });

    it("agree on any list of networks, in every environment", async () => {
        await fc.assert(
            fc.asyncProperty(
                fc.constantFrom(...ENVIRONMENTS),
                fc.array(cidr, { minLength: 1, maxLength: 4 }),
                async (environment, cidrs) => {
                    expect(configVerdict(environment, cidrs)).toBe(await packVerdict(environment, cidrs));
                },
            ),
            { numRuns: 150 },
        );
    }, 60_000);
});
