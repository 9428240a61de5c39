// The CrossGuard policy pack: `pulumi preview --policy-pack policy --policy-pack-config policy/config/<env>.json`.
// The only module that constructs the PolicyPack (it starts the analyzer's gRPC server); the policies themselves
// live in side-effect-free modules (./policies, ./rules/*).
import { PolicyPack } from "@pulumi/policy";
import { createPolicies, POLICY_PACK_NAME } from "./policies";

new PolicyPack(POLICY_PACK_NAME, {
    description: "EKS platform guardrails from the CIS Amazon EKS Benchmark, the EKS Best Practices Guide and Karpenter's guidance.",
    enforcementLevel: "mandatory",
    policies: createPolicies("mandatory"),
});
