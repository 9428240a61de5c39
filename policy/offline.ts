// The offline policy runner: runs the pack's validate functions over an offline plan (the PlanResult that
// `npm run plan -- --json` writes), the way the Pulumi engine's analyzer would run them over a preview, without the
// engine. It adapts each planned resource into @pulumi/policy's ResourceValidationArgs / PolicyResource shapes and
// applies the per-environment enforcement levels of policy/config/<env>.json. Side-effect free.
import * as fs from "node:fs";
import * as path from "node:path";
import type {
    EnforcementLevel,
    PolicyPackConfig,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    StackValidationArgs,
} from "@pulumi/policy";
import { type PlannedResource, type PlanResult } from "../plan";
import { createPolicies } from "./policies";
import type { Policy } from "./rules/lib";

export interface Violation {
    policyName: string;
    enforcementLevel: Exclude<EnforcementLevel, "disabled" | "remediate">;
    /** The resource in violation; absent when a stack policy blames the stack as a whole. */
    urn?: string;
    message: string;
}

export interface PolicyRunOptions {
    /** Pulumi policy pack config (policy/config/<env>.json); policies not named keep the pack's level. */
    config?: PolicyPackConfig;
    /** Policies to run instead of the pack's (tests). */
    policies?: readonly Policy[];
}

/** The directory of policy/config, from the source tree (policy/) or from a bundle in .cache/. */
function policyDir(): string {
    for (const dir of [__dirname, path.resolve(__dirname, "..", "policy")]) {
        if (fs.existsSync(path.join(dir, "config"))) return dir;
    }
    throw new Error(`policy/config not found from ${__dirname}`);
}

/** The repository root (policy/..). */
export const repoRoot = (): string => path.dirname(policyDir());

export function policyConfigFile(environment: string): string {
    return path.join(policyDir(), "config", `${environment}.json`);
}

/** The policy pack config of an environment, as `pulumi preview --policy-pack-config` reads it. */
export function loadPolicyConfig(environment: string): PolicyPackConfig {
    const file = policyConfigFile(environment);
    if (!fs.existsSync(file)) throw new Error(`no policy config ${file} for environment ${environment}`);
    return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
}

type ConfigEntry = PolicyPackConfig[string];

function entryOf(config: PolicyPackConfig | undefined, name: string): ConfigEntry | undefined {
    return config?.[name];
}

/** The level a policy runs at under a config: the config's, else the policy's own. Remediate reports as mandatory. */
export function effectiveLevel(policy: Policy, config?: PolicyPackConfig): EnforcementLevel {
    const entry = entryOf(config, policy.name);
    const fromConfig = typeof entry === "string" ? entry : (entry?.enforcementLevel as EnforcementLevel | undefined);
    const level = fromConfig ?? policy.enforcementLevel ?? "advisory";
    return level === "remediate" ? "mandatory" : level;
}

/** getConfig() as the engine gives it: the schema's defaults overlaid with the config file's properties. */
function policyConfig(policy: Policy, config?: PolicyPackConfig): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        const def = (schema as { default?: unknown }).default;
        if (def !== undefined) out[key] = def;
    }
    const entry = entryOf(config, policy.name);
    if (entry && typeof entry === "object") {
        for (const [key, value] of Object.entries(entry)) if (key !== "enforcementLevel") out[key] = value;
    }
    return out;
}

class NotApplicable extends Error {}

const typeOf = (cls: unknown): string | undefined => (cls as { __pulumiType?: string }).__pulumiType;

/**
 * The plan's resources as @pulumi/policy PolicyResources, the modeled children of remote components included (a
 * real preview sends the real ones). A resource's id joins its props, as the outputs a real preview hands stack
 * policies carry it.
 */
export function toPolicyResources(plan: PlanResult): PolicyResource[] {
    const planned = plan.resources;
    const byUrn = new Map<string, PolicyResource>();
    const all = plan.resources;
    const providerOf = (r: PlannedResource) => {
        if (!r.provider) return undefined;
        const urn = r.provider.slice(0, r.provider.lastIndexOf("::"));
        const p = all.find((x) => x.urn === urn);
        return p ? { type: p.type, props: p.inputs, urn: p.urn, name: p.name } : undefined;
    };
    for (const r of planned) {
        const resource: PolicyResource = {
            type: r.type,
            props: r.id !== undefined ? { ...r.inputs, id: r.id } : r.inputs,
            urn: r.urn,
            name: r.name,
            opts: {
                protect: r.protect,
                ignoreChanges: [],
                aliases: [],
                customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                additionalSecretOutputs: [],
                ...(r.parent ? { parent: r.parent } : {}),
            },
            dependencies: [],
            // The plan keeps dependencies per resource, not per property: rules fall back to `dependencies`.
            propertyDependencies: {},
            isType: (cls) => typeOf(cls) === r.type,
            asType: ((cls: unknown) => (typeOf(cls) === r.type ? r.inputs : undefined)) as PolicyResource["asType"],
        };
        const provider = providerOf(r);
        if (provider) resource.provider = provider;
        byUrn.set(r.urn, resource);
    }
    for (const r of planned) {
        const resource = byUrn.get(r.urn) as PolicyResource;
        resource.dependencies = r.dependencies.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
        if (r.parent) {
            const parent = byUrn.get(r.parent);
            if (parent) resource.parent = parent;
        }
    }
    return [...byUrn.values()];
}

/**
 * Runs every policy over the plan at the levels the config gives, and returns the violations found, mandatory
 * first. A policy that throws (other than notApplicable) is a bug in the policy and is rethrown with its name.
 */
export async function runPolicyPack(plan: PlanResult, options: PolicyRunOptions = {}): Promise<Violation[]> {
    const policies = options.policies ?? createPolicies();
    const resources = toPolicyResources(plan);
    // Resource policies see inputs (no id yet during a preview); stack policies see the resources with their ids.
    const inputsOf = new Map(plan.resources.map((r) => [r.urn, r.inputs]));
    const violations: Violation[] = [];
    const notApplicable = (reason?: string): never => {
        throw new NotApplicable(reason);
    };
    for (const policy of policies) {
        const level = effectiveLevel(policy, options.config);
        if (level === "disabled" || level === "remediate") continue;
        const settings = policyConfig(policy, options.config);
        const getConfig = <T extends object>() => settings as T;
        const reporter =
            (fallbackUrn?: string): ReportViolation =>
            (message, urn) => {
                const where = urn ?? fallbackUrn;
                violations.push({ policyName: policy.name, enforcementLevel: level, ...(where ? { urn: where } : {}), message });
            };
        try {
            if ("validateStack" in policy) {
                const args: StackValidationArgs = { resources, stackTags: new Map(), getConfig, notApplicable };
                await policy.validateStack(args, reporter());
                continue;
            }
            const validations =
                policy.validateResource === undefined
                    ? []
                    : Array.isArray(policy.validateResource)
                      ? policy.validateResource
                      : [policy.validateResource];
            for (const resource of resources) {
                const args: ResourceValidationArgs = {
                    type: resource.type,
                    props: inputsOf.get(resource.urn) ?? resource.props,
                    urn: resource.urn,
                    name: resource.name,
                    opts: resource.opts,
                    stackTags: new Map(),
                    isType: resource.isType,
                    asType: ((cls: unknown) =>
                        typeOf(cls) === resource.type ? resource.props : undefined) as ResourceValidationArgs["asType"],
                    getConfig,
                    notApplicable,
                    ...(resource.provider ? { provider: resource.provider } : {}),
                };
                for (const validate of validations) {
                    try {
                        await validate(args, reporter(resource.urn));
                    } catch (err) {
                        if (!(err instanceof NotApplicable)) throw err;
                    }
                }
            }
        } catch (err) {
            if (err instanceof NotApplicable) continue;
            throw new Error(`policy ${policy.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
    }
    const rank = (v: Violation) => (v.enforcementLevel === "mandatory" ? 0 : 1);
    return violations.sort((a, b) => rank(a) - rank(b) || a.policyName.localeCompare(b.policyName));
}

/** One line per violation: level, policy, resource URN (or "(stack)") and message. */
export function formatViolations(violations: readonly Violation[]): string {
    return violations.map((v) => `${v.enforcementLevel.padEnd(9)} ${v.policyName}  ${v.urn ?? "(stack)"}  ${v.message}`).join("\n");
}

export function summarize(violations: readonly Violation[]): { mandatory: number; advisory: number } {
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return { mandatory, advisory: violations.length - mandatory };
}
