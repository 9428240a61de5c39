// The shipped stacks through the policy pack: each stack's plan (as `npm run plan -- --json` wrote it for this test
// run) through the pack at the stack's environment's levels.
import { expect, it } from "vitest";
import { loadPolicyConfig, runPolicyPack, type Violation } from "../../policy/offline";
import { platformConfigFor } from "../../plan";
import { sharedPlan } from "../helpers/shared-plan";

export function shippedStackPasses(stack: string): void {
    it(`stack ${stack} passes the policy pack with no mandatory violation`, async () => {
        const environment = platformConfigFor(stack).environment;
        const plan = sharedPlan(stack);
        const violations: Violation[] = await runPolicyPack(plan, { config: loadPolicyConfig(environment) });
        const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
        expect(mandatory.map((v) => `${v.policyName} ${v.urn ?? ""}: ${v.message}`)).toEqual([]);
        // The pack actually looked at the platform: the resources its rules target are in the plan.
        const types = new Set(plan.resources.map((r) => r.type));
        for (const t of ["pulumi:providers:aws", "eks:index:Cluster", "aws:kms/key:Key", "aws:ec2/vpc:Vpc"]) expect(types, t).toContain(t);
    }, 120_000);
}
