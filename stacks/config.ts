// The config contract: one zod schema over every `eks-platform:*` key and `aws:region`, environment defaults that a
// stack file overrides, and a single typed, frozen PlatformConfig. Pure: no Pulumi imports, so tests, the offline
// plan and the policy pack use it directly.
import { z } from "zod";
import { clusterDefaults, clusterSchema } from "./schema/cluster";
import { cniDefaults, cniSchema } from "./schema/cni";
import { ENVIRONMENTS, type Environment } from "./schema/common";
import { ingressDefaults, ingressSchema } from "./schema/ingress";
import { effectiveNodePools, expandNodePools, karpenterDefaults, karpenterSchema, type EffectiveNodePool } from "./schema/karpenter";
import { networkDefaults, networkSchema } from "./schema/network";
import { observabilityDefaults, observabilitySchema } from "./schema/observability";
import { crossSectionRules } from "./schema/rules";

export { ENVIRONMENTS, type Environment } from "./schema/common";
export const PROJECT = "eks-platform";

/** Tag keys every stack sets in `eks-platform:tags`, on top of those the program adds. */
export const REQUIRED_TAG_KEYS = ["Owner", "CostCenter"] as const;

/** The AWS regions EKS, Karpenter and every add-on here are offered in (commercial partition). */
const regionSchema = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1");

const tagsSchema = z
    .record(
        z.string().regex(/^(?!aws:)[\w .:/=+@-]{1,128}$/, "must be a tag key of up to 128 characters, not starting with aws:"),
        z.string().regex(/^[\w .:/=+@-]{0,256}$/, "must be a tag value of up to 256 characters"),
    )
    .superRefine((tags, ctx) => {
        for (const key of REQUIRED_TAG_KEYS) {
            if (!(key in tags))
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    message: `is required: every stack tags its resources with ${REQUIRED_TAG_KEYS.join(" and ")}`,
                });
        }
    });

/** The one schema: each top-level config key and its section schema. */
export const platformSchema = z.strictObject({
    "aws:region": regionSchema,
    "eks-platform:environment": z.enum(ENVIRONMENTS, { message: `must be one of ${ENVIRONMENTS.join(", ")}` }),
    "eks-platform:tags": tagsSchema,
    "eks-platform:network": networkSchema,
    "eks-platform:cluster": clusterSchema,
    "eks-platform:karpenter": karpenterSchema,
    "eks-platform:cni": cniSchema,
    "eks-platform:ingress": ingressSchema,
    "eks-platform:observability": observabilitySchema,
});
type ParsedKeys = z.infer<typeof platformSchema>;

export type NetworkConfig = ParsedKeys["eks-platform:network"];
export type ClusterConfig = ParsedKeys["eks-platform:cluster"];
export type KarpenterConfig = ParsedKeys["eks-platform:karpenter"] & {
    /** Derived: the NodePools Karpenter gets (the declared pools and the spot overflow pools derived from them). */
    effectiveNodePools: EffectiveNodePool[];
};
export type CniConfig = ParsedKeys["eks-platform:cni"];
export type IngressConfig = ParsedKeys["eks-platform:ingress"];
export type ObservabilityConfig = ParsedKeys["eks-platform:observability"];

type DeepReadonly<T> = T extends (infer E)[]
    ? readonly DeepReadonly<E>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

export type PlatformConfig = DeepReadonly<{
    project: string;
    stack: string;
    environment: Environment;
    region: string;
    /** The EKS cluster name: `eks-platform:cluster.name`, or eks-platform-<stack>. */
    clusterName: string;
    /** Tags on every AWS resource (through the provider's default tags). */
    tags: Record<string, string>;
    network: NetworkConfig;
    cluster: ClusterConfig;
    karpenter: KarpenterConfig;
    cni: CniConfig;
    ingress: IngressConfig;
    observability: ObservabilityConfig;
}>;

const SECTION_DEFAULTS = {
    "eks-platform:network": networkDefaults,
    "eks-platform:cluster": clusterDefaults,
    "eks-platform:karpenter": karpenterDefaults,
    "eks-platform:cni": cniDefaults,
    "eks-platform:ingress": ingressDefaults,
    "eks-platform:observability": observabilityDefaults,
} as const satisfies Record<string, Record<Environment, unknown>>;

/** One problem with a stack's configuration. */
export interface ConfigProblem {
    /** The key path as written in the stack file, e.g. eks-platform:network.vpcCidr. */
    path: string;
    /** The value given, JSON-encoded, or "nothing" when the key is missing. */
    value: string;
    /** The rule the value breaks. */
    rule: string;
}

/** Thrown before any resource is declared when a stack's configuration is wrong; lists every problem. */
export class ConfigError extends Error {
    constructor(
        readonly stackName: string,
        readonly problems: readonly ConfigProblem[],
    ) {
        super(
            `stack ${stackName}: ${problems.length} configuration problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map((p) => `  - ${p.path}: ${p.rule} (got ${p.value})`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars from `override` replace those of `base`. */
export function deepMerge(base: unknown, override: unknown): unknown {
    if (override === undefined) return base;
    if (!isRecord(base) || !isRecord(override)) return override;
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) out[key] = deepMerge(base[key], value);
    return out;
}

/** Pulumi hands config values over as strings, objects JSON-encoded; the stack file gives them parsed. */
function decode(value: unknown): unknown {
    if (typeof value !== "string") return value;
    const trimmed = value.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
            return JSON.parse(trimmed) as unknown;
        } catch {
            return value;
        }
    }
    return value;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let node = root;
    for (const key of path) {
        if (Array.isArray(node) && typeof key === "number") node = node[key];
        else if (isRecord(node) && typeof key === "string") node = node[key];
        else return undefined;
    }
    return node;
}

function formatPath(path: readonly PropertyKey[]): string {
    let out = "";
    for (const key of path) {
        if (typeof key === "number") out += `[${key}]`;
        else out += out === "" ? String(key) : `.${String(key)}`;
    }
    return out;
}

function describe(value: unknown): string {
    if (value === undefined) return "nothing";
    const json = JSON.stringify(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}

function problemsOf(error: z.ZodError, input: unknown): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const issue of error.issues) {
        if (issue.code === "unrecognized_keys") {
            for (const key of issue.keys) {
                const path = [...issue.path, key];
                problems.push({
                    path: formatPath(path),
                    value: describe(valueAt(input, path)),
                    rule: "is not a known setting (check the spelling against the README's settings table)",
                });
            }
            continue;
        }
        const value = valueAt(input, issue.path);
        let rule = issue.message;
        if (issue.code === "invalid_type" && value === undefined)
            rule = rule.startsWith("Invalid input") ? `is required (expected ${issue.expected})` : rule;
        else if (issue.code === "invalid_type" && rule.startsWith("Invalid input"))
            rule = `must be ${issue.expected === "object" ? "a mapping" : `a ${issue.expected}`}`;
        else if (issue.code === "invalid_union" && rule === "Invalid input") rule = "is not a valid value";
        problems.push({ path: formatPath(issue.path), value: describe(value), rule });
    }
    return problems;
}

/**
 * Validates a stack's raw configuration (as `pulumi.runtime.allConfig()` or the stack file gives it) against the
 * schema with the environment's defaults applied, and returns the frozen PlatformConfig. Throws a ConfigError with
 * every problem found.
 */
export function parsePlatformConfig(raw: Readonly<Record<string, unknown>>, stack: string): PlatformConfig {
    const given: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (key === "aws:region" || key.startsWith(`${PROJECT}:`)) given[key] = decode(value);
    }
    const env = given["eks-platform:environment"];
    // An unknown environment is reported by the schema; the sections are still checked against dev's defaults.
    const defaultsEnv: Environment = (ENVIRONMENTS as readonly unknown[]).includes(env) ? (env as Environment) : "dev";
    const input: Record<string, unknown> = { ...given };
    for (const [key, defaults] of Object.entries(SECTION_DEFAULTS)) {
        input[key] = deepMerge(defaults[defaultsEnv], given[key]);
    }
    const karpenter = input["eks-platform:karpenter"];
    if (isRecord(karpenter)) input["eks-platform:karpenter"] = { ...karpenter, nodePools: expandNodePools(karpenter.nodePools) };
    if (input["eks-platform:tags"] === undefined) input["eks-platform:tags"] = {};

    const parsed = platformSchema.safeParse(input);
    const problems = parsed.success ? [] : problemsOf(parsed.error, input);
    if (parsed.success) {
        for (const p of crossSectionRules(parsed.data, stack))
            problems.push({ ...p, value: describe(valueAt(input, p.pathParts)), path: formatPath(p.pathParts) });
    }
    if (!parsed.success || problems.length > 0) throw new ConfigError(stack, problems);

    const data = parsed.data;
    const clusterName = data["eks-platform:cluster"].name ?? `${PROJECT}-${stack}`;
    const config = {
        project: PROJECT,
        stack,
        environment: data["eks-platform:environment"],
        region: data["aws:region"],
        clusterName,
        tags: {
            ...data["eks-platform:tags"],
            Project: PROJECT,
            Environment: data["eks-platform:environment"],
            Stack: stack,
            ManagedBy: "pulumi",
        },
        network: data["eks-platform:network"],
        cluster: data["eks-platform:cluster"],
        karpenter: { ...data["eks-platform:karpenter"], effectiveNodePools: effectiveNodePools(data["eks-platform:karpenter"].nodePools) },
        cni: data["eks-platform:cni"],
        ingress: data["eks-platform:ingress"],
        observability: data["eks-platform:observability"],
    };
    return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        for (const child of Object.values(value)) deepFreeze(child);
        Object.freeze(value);
    }
    return value;
}
