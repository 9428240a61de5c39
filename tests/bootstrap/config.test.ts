// The bootstrap's config contract: the example stack file parses to the documented defaults, and each bad input
// gets one clear problem naming the key path, the value and the rule.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ConfigError, parseBootstrapConfig, type ConfigProblem } from "../../bootstrap/config";
import { parsePlatformConfig } from "../../stacks/config";
import { BOOTSTRAP_DIR, exampleConfig, readStackConfig, REPO_ROOT } from "./mocks";

/** The problems of the example config with `changes` applied by full key (undefined removes the key). */
function problems(changes: Record<string, unknown>): ConfigProblem[] {
    const raw: Record<string, unknown> = { ...exampleConfig(), ...changes };
    for (const [k, v] of Object.entries(changes)) if (v === undefined) delete raw[k];
    try {
        parseBootstrapConfig(raw, "nonprod");
    } catch (err) {
        if (err instanceof ConfigError) return [...err.problems];
        throw err;
    }
    return [];
}
const github = (changes: Record<string, unknown>) => ({ ...(exampleConfig()["bootstrap:github"] as object), ...changes });

describe("the example stack file", () => {
    const config = parseBootstrapConfig(exampleConfig(), "example");

    it("parses, with each stack's environment and cluster name defaulted from its name", () => {
        expect(config.accountId).toBe("111111111111");
        expect(config.github).toMatchObject({ owner: "acme", subjectFormat: "immutable", ownerId: "123456", repositoryId: "456789" });
        expect(config.stacks).toEqual([
            { name: "dev", environment: "dev", clusterName: "eks-platform-dev", previewFromPullRequests: true },
            { name: "staging", environment: "staging", clusterName: "eks-platform-staging", previewFromPullRequests: true },
        ]);
        expect(config.stateBucket).toEqual({ name: "acme-eks-platform-state-111111111111", encryption: "aws:kms", secretsKeys: true });
        expect(Object.isFrozen(config.stacks[0])).toBe(true);
    });

    it("names stacks that exist in stacks/, with the cluster names their stack files give", () => {
        for (const stack of config.stacks) {
            const file = path.join(REPO_ROOT, "stacks", `Pulumi.${stack.name}.yaml`);
            expect(fs.existsSync(file), file).toBe(true);
            expect(parsePlatformConfig(readStackConfig(file), stack.name).clusterName).toBe(stack.clusterName);
        }
    });

    it("reads values as Pulumi hands them over (strings, objects JSON-encoded)", () => {
        const asPulumi = Object.fromEntries(
            Object.entries(exampleConfig()).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
        );
        expect(parseBootstrapConfig(asPulumi, "example")).toEqual(config);
    });

    it("is the project's own: Pulumi.yaml runs bootstrap/index.ts, not the root package's main", () => {
        const project = parseYaml(fs.readFileSync(path.join(BOOTSTRAP_DIR, "Pulumi.yaml"), "utf8")) as { name: string; main?: string };
        expect(project.name).toBe("eks-platform-bootstrap");
        expect(project.main && path.resolve(BOOTSTRAP_DIR, project.main)).toBe(path.join(BOOTSTRAP_DIR, "index.ts"));
    });
});

describe("bad input", () => {
    it.each<[string, Record<string, unknown>, Partial<ConfigProblem>]>([
        [
            "a missing account id",
            { "bootstrap:accountId": undefined },
            { path: "bootstrap:accountId", value: "nothing", rule: "is required (expected string)" },
        ],
        ["an unquoted-looking account id", { "bootstrap:accountId": "1111" }, { path: "bootstrap:accountId", value: '"1111"' }],
        [
            "a region outside the commercial partition",
            { "aws:region": "cn-north-1" },
            { path: "aws:region", rule: "must be a region of the commercial partition (aws)" },
        ],
        [
            "a missing owner",
            { "bootstrap:github": github({ owner: undefined }) },
            { path: "bootstrap:github.owner", rule: "is required (expected string)" },
        ],
        [
            "a wildcard in the repository",
            { "bootstrap:github": github({ repository: "eks-*" }) },
            { path: "bootstrap:github.repository", value: '"eks-*"' },
        ],
        [
            "an unknown subject format",
            { "bootstrap:github": github({ subjectFormat: "custom" }) },
            { path: "bootstrap:github.subjectFormat" },
        ],
        [
            "immutable subjects without the repository id",
            { "bootstrap:github": github({ repositoryId: undefined }) },
            { path: "bootstrap:github.repositoryId", rule: "is required when subjectFormat is immutable (the ids are in the sub claim)" },
        ],
        [
            "a non-numeric owner id",
            { "bootstrap:github": github({ ownerId: "acme" }) },
            { path: "bootstrap:github.ownerId", value: '"acme"' },
        ],
        [
            "a misspelt key",
            { "bootstrap:github": github({ repo: "x" }) },
            { path: "bootstrap:github.repo", rule: "is not a known setting (check the spelling against bootstrap/README.md)" },
        ],
        ["no stacks", { "bootstrap:stacks": [] }, { path: "bootstrap:stacks", rule: "must list at least one stack this account hosts" }],
        ["an upper-case stack name", { "bootstrap:stacks": [{ name: "Dev" }] }, { path: "bootstrap:stacks[0].name", value: '"Dev"' }],
        ["an overlong stack name", { "bootstrap:stacks": [{ name: "s".repeat(44) }] }, { path: "bootstrap:stacks[0].name" }],
        [
            "a wildcard environment",
            { "bootstrap:stacks": [{ name: "dev", environment: "dev*" }] },
            { path: "bootstrap:stacks[0].environment" },
        ],
        [
            "two stacks deployed from one environment",
            { "bootstrap:stacks": [{ name: "dev" }, { name: "staging", environment: "dev" }] },
            {
                path: "bootstrap:stacks[1].environment",
                value: '"dev"',
                rule: "is also the environment of bootstrap:stacks[0]: each stack has its own environment",
            },
        ],
        [
            "the same stack twice",
            { "bootstrap:stacks": [{ name: "dev" }, { name: "dev", environment: "dev2", clusterName: "c2" }] },
            { path: "bootstrap:stacks[1].name" },
        ],
        [
            "a state bucket inside a deploy role's buckets",
            { "bootstrap:stateBucket": { name: "eks-platform-dev-state" } },
            {
                path: "bootstrap:stateBucket.name",
                value: '"eks-platform-dev-state"',
                rule: `must not begin with "eks-platform-dev-": bootstrap:stacks[0]'s deploy role owns those buckets`,
            },
        ],
        [
            "an unknown encryption",
            { "bootstrap:stateBucket": { name: "acme-state", encryption: "none" } },
            { path: "bootstrap:stateBucket.encryption", rule: "must be aws:kms or AES256" },
        ],
        ["a tag key in the aws: namespace", { "bootstrap:tags": { "aws:owner": "x" } }, { path: "bootstrap:tags.aws:owner" }],
    ])("%s", (_what, changes, expected) => {
        const found = problems(changes);
        expect(found).toHaveLength(1);
        expect(found[0]).toMatchObject(expected);
    });

    it("reports every problem at once, in one message naming the stack", () => {
        const raw = { ...exampleConfig(), "bootstrap:accountId": "x", "bootstrap:github": github({ owner: "-bad" }) };
        let error: unknown;
        try {
            parseBootstrapConfig(raw, "nonprod");
        } catch (err) {
            error = err;
        }
        expect(error).toBeInstanceOf(ConfigError);
        const message = (error as ConfigError).message;
        expect(message).toMatch(/^stack nonprod: 2 configuration problems:/);
        expect(message).toContain('bootstrap:accountId: must be the 12-digit id of the account, quoted (got "x")');
        expect(message).toContain('bootstrap:github.owner: must be a GitHub user or organization name (got "-bad")');
    });
});
