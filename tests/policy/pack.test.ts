// The pack as a whole: the registry, the per-environment config files, unknown values as the engine hands them
// over during a preview, and the controller-policy allow-list against the upstream documents.
import * as fs from "node:fs";
import * as path from "node:path";
import { unknownCheckingProxy } from "@pulumi/policy";
import type { PolicyPackConfig, ResourceValidationArgs } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { referencePath } from "../helpers/reference";
import { upstreamControllerPolicies } from "../helpers/upstream-iam";
import { effectiveLevel, loadPolicyConfig, runPolicyPack } from "../../policy/offline";
import { createPolicies, policyDefinitions } from "../../policy/policies";
import { ALLOWED_UNSCOPED_STATEMENTS, CODEBUILD_VPC, EXTERNAL_DNS_SOURCE } from "../../policy/rules/iam-allowlist";
import { allowListed, statementsOf, type Statement } from "../../policy/rules/iam";
import { ENVIRONMENTS } from "../../stacks/config";
import { REPO_ROOT } from "../../plan";
import { eksCluster, launchTemplate, nodePool, plan, res } from "./fixtures";

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

describe("policy registry", () => {
    it("holds at least 25 uniquely named policies, each citing its source", () => {
        expect(policyDefinitions.length).toBeGreaterThanOrEqual(25);
        expect(new Set(policyDefinitions.map((p) => p.name)).size).toBe(policyDefinitions.length);
        for (const p of policyDefinitions) {
            expect(p.name).toMatch(/^[a-z0-9-]+$/);
            expect(p.description, p.name).toMatch(
                /\[source: .*(CIS|Best Practices|Karpenter|AWS Foundational|Pulumi docs|Kubernetes SIG).*\]$/,
            );
        }
    });

    it("defaults to mandatory, so a preview without a config file is strict", () => {
        for (const p of createPolicies()) expect(p.enforcementLevel, p.name).toBe("mandatory");
    });

    it("keeps the rule modules free of side effects: only policy/index.ts constructs the PolicyPack", () => {
        const dir = path.join(REPO_ROOT, "policy");
        const files = [
            ...fs.readdirSync(dir).map((f) => path.join(dir, f)),
            ...fs.readdirSync(path.join(dir, "rules")).map((f) => path.join(dir, "rules", f)),
        ].filter((f) => f.endsWith(".ts"));
        for (const file of files) {
            const text = fs.readFileSync(file, "utf8");
            const constructs = /new PolicyPack\(/.test(text);
            expect(constructs, file).toBe(path.basename(file) === "index.ts" && path.dirname(file) === dir);
            if (!constructs) expect(text, file).not.toMatch(/import \{[^}]*\bPolicyPack\b[^}]*\} from "@pulumi\/policy"/);
        }
    });
});

describe("per-environment policy config", () => {
    for (const env of ENVIRONMENTS) {
        it(`${env}.json names every policy with a valid level`, () => {
            const config = loadPolicyConfig(env);
            expect(Object.keys(config).sort()).toEqual(policyDefinitions.map((p) => p.name).sort());
            for (const [name, entry] of Object.entries(config)) {
                const level = typeof entry === "string" ? entry : entry.enforcementLevel;
                expect(LEVELS, `${env} ${name}`).toContain(level);
            }
        });
    }

    it("is advisory in dev and mandatory in prod", () => {
        const policies = createPolicies();
        const dev = loadPolicyConfig("dev");
        const prod = loadPolicyConfig("prod");
        for (const p of policies) {
            expect(["advisory", "disabled"], `dev ${p.name}`).toContain(effectiveLevel(p, dev));
            expect(effectiveLevel(p, prod), `prod ${p.name}`).toBe("mandatory");
        }
    });

    it("lets only prod forbid the public endpoint outright", async () => {
        const cluster = eksCluster({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
        const run = (config: PolicyPackConfig) =>
            runPolicyPack(plan([cluster]), { config, policies: createPolicies().filter((p) => p.name === "eks-endpoint-not-public") });
        expect(await run(loadPolicyConfig("staging"))).toEqual([]);
        expect(await run(loadPolicyConfig("prod"))).toHaveLength(1);
    });
});

describe("unknown values during a real preview", () => {
    // The engine wraps props in @pulumi/policy's unknown-checking proxy and marks unknowns with sentinels; a rule
    // that read them through the proxy would throw and surface as "can't run policy during preview".
    const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
    const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
    const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

    function engineArgs(type: string, props: Record<string, unknown>): ResourceValidationArgs {
        return {
            type,
            props: unknownCheckingProxy(props) as Record<string, unknown>,
            urn: `urn:pulumi:prod::eks-platform::${type}::x`,
            name: "x",
            opts: {
                protect: true,
                ignoreChanges: [],
                aliases: [],
                customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                additionalSecretOutputs: [],
            },
            stackTags: new Map(),
            // The provider's default tags, JSON-encoded as the engine sends provider inputs.
            provider: {
                type: "pulumi:providers:aws",
                props: { defaultTags: JSON.stringify({ tags: { Owner: "platform-team" } }) },
                urn: "urn:pulumi:prod::eks-platform::pulumi:providers:aws::aws",
                name: "aws",
            },
            isType: () => false,
            asType: () => undefined,
            getConfig: <T extends object>() =>
                ({
                    allowPublicAccess: false,
                    requiredLogTypes: ["audit"],
                    allowedVersions: ["1.34"],
                    requiredKeys: ["Owner"],
                    allowed: [],
                }) as T,
            notApplicable: () => {
                throw new Error("not applicable");
            },
        };
    }

    const cases: [string, Record<string, unknown>][] = [
        [
            "aws:eks/cluster:Cluster",
            {
                version: UNKNOWN_STRING,
                vpcConfig: UNKNOWN_OBJECT,
                enabledClusterLogTypes: UNKNOWN_ARRAY,
                encryptionConfig: UNKNOWN_ARRAY,
                accessConfig: { authenticationMode: UNKNOWN_STRING },
            },
        ],
        [
            "aws:ec2/launchTemplate:LaunchTemplate",
            {
                metadataOptions: { httpTokens: UNKNOWN_STRING, httpPutResponseHopLimit: UNKNOWN_NUMBER },
                blockDeviceMappings: UNKNOWN_ARRAY,
                keyName: UNKNOWN_STRING,
            },
        ],
        ["aws:iam/role:Role", { assumeRolePolicy: UNKNOWN_STRING, inlinePolicies: [{ policy: UNKNOWN_STRING }] }],
        ["aws:iam/policy:Policy", { policy: UNKNOWN_STRING }],
        ["aws:kms/key:Key", { enableKeyRotation: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7" }],
        ["aws:sqs/queue:Queue", { sqsManagedSseEnabled: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", tags: UNKNOWN_OBJECT }],
        ["kubernetes:karpenter.sh/v1:NodePool", { spec: { limits: UNKNOWN_OBJECT, disruption: { budgets: UNKNOWN_ARRAY } } }],
        ["kubernetes:helm.sh/v3:Release", { chart: "karpenter", version: UNKNOWN_STRING }],
        ["aws:eks/addon:Addon", { addonName: "vpc-cni", addonVersion: UNKNOWN_STRING }],
    ];

    for (const [type, props] of cases) {
        it(`reports nothing and throws nothing for unknown inputs of ${type}`, async () => {
            for (const policy of createPolicies()) {
                if (!("validateResource" in policy) || !policy.validateResource) continue;
                const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
                const reported: string[] = [];
                for (const validate of validations) await validate(engineArgs(type, props), (m) => reported.push(`${policy.name}: ${m}`));
                expect(reported).toEqual([]);
            }
        });
    }

    it("still reports known violations next to unknown values", async () => {
        const reported: string[] = [];
        const policy = createPolicies().find((p) => p.name === "nodes-imds-hop-limit-1");
        if (!policy || !("validateResource" in policy) || !policy.validateResource || Array.isArray(policy.validateResource))
            throw new Error("policy missing");
        await policy.validateResource(
            engineArgs("aws:ec2/launchTemplate:LaunchTemplate", {
                metadataOptions: { httpTokens: UNKNOWN_STRING, httpPutResponseHopLimit: 2 },
            }),
            (m) => reported.push(m),
        );
        expect(reported).toEqual(["metadataOptions.httpPutResponseHopLimit is 2: set 1"]);
    });

    it("offline '[unknown]' values pass the same way", async () => {
        const violations = await runPolicyPack(
            plan([launchTemplate({ metadataOptions: "[unknown]", blockDeviceMappings: "[unknown]" }), nodePool({ limits: "[unknown]" })]),
            { config: loadPolicyConfig("prod") },
        );
        expect(violations.filter((v) => v.policyName !== "required-tags")).toEqual([]);
    });
});

describe("controller policy allow-list", () => {
    const karpenterFile = referencePath("karpenter-v1.14.1/cloudformation.yaml") ?? "";
    const lbFile = referencePath("aws-load-balancer-controller-v3.5.0/iam_policy.json") ?? "";
    const haveReference = karpenterFile !== "" && lbFile !== "";

    function upstreamUnscoped(): Statement[] {
        const karpenter = upstreamControllerPolicies(fs.readFileSync(karpenterFile, "utf8"));
        const lb = JSON.parse(fs.readFileSync(lbFile, "utf8")) as unknown;
        const all = [...Object.values(karpenter.policies).flatMap((p) => statementsOf(p.PolicyDocument)), ...statementsOf(lb)];
        return all.filter((s) => s.Effect === "Allow" && ([] as unknown[]).concat(s.Resource).includes("*"));
    }

    // The entries with a reference file: the CodeBuild service role's statement comes from its user guide, and
    // external-dns's from its tutorial's text (tests/dns checks the policy against it).
    const controllerEntries = ALLOWED_UNSCOPED_STATEMENTS.filter((e) => e.source !== CODEBUILD_VPC && e.source !== EXTERNAL_DNS_SOURCE);

    it.skipIf(!haveReference)("matches every upstream statement on Resource * exactly, and nothing else", () => {
        const upstream = upstreamUnscoped();
        expect(upstream.length).toBe(controllerEntries.length);
        const matched = new Set(upstream.map((s) => allowListed(s)));
        for (const s of upstream) expect(allowListed(s), JSON.stringify(s.Action)).toBeDefined();
        expect(matched.size).toBe(controllerEntries.length);
    });

    it.skipIf(!haveReference)("passes the published policies and rejects them with one more action", async () => {
        const docs = upstreamUnscoped();
        const ok = await runPolicyPack(
            plan([res("aws:iam/policy:Policy", { policy: JSON.stringify({ Version: "2012-10-17", Statement: docs }) })]),
            {
                policies: createPolicies().filter((p) => p.name === "iam-no-wildcard-on-all-resources"),
            },
        );
        expect(ok).toEqual([]);
        const widened = docs.map((s, i) => (i === 1 ? { ...s, Action: [...([] as unknown[]).concat(s.Action), "ec2:RunInstances"] } : s));
        const bad = await runPolicyPack(
            plan([res("aws:iam/policy:Policy", { policy: JSON.stringify({ Version: "2012-10-17", Statement: widened }) })]),
            {
                policies: createPolicies().filter((p) => p.name === "iam-no-wildcard-on-all-resources"),
            },
        );
        expect(bad).toHaveLength(1);
    });

    it("has no wildcard action in any allowed statement", () => {
        for (const entry of ALLOWED_UNSCOPED_STATEMENTS) for (const a of entry.actions) expect(a).not.toContain("*");
    });
});
