// The config contract: every `eks-platform:*` key and `aws:region`, validated against its section's schema with the
// environment's defaults under the stack file's values, then every rule whose values parsed; one typed, frozen
// PlatformConfig, or one ConfigError listing every problem. Pure: no Pulumi imports, so tests, the offline plan and
// the policy pack use it directly. The sections themselves are registered in ./sections.
import type { z } from "zod";
import { clusterDefaults } from "./schema/cluster";
import { isKubernetesMinor } from "./versions/model";
import { effectiveNodePools, type EffectiveNodePool } from "./schema/karpenter";
import { ENVIRONMENTS, type Environment } from "./schema/common";
import { teamPlacements, type TeamPlacement } from "./schema/teams";
import { decodeConfigValue, deepFreeze, deepMerge, isRecord } from "./input";
import { ConfigError, describeValue, problemsOf, ruleProblem, type ConfigProblem } from "./problems";
import { RULES, SECTIONS, type ParsedSections } from "./sections";

export { ENVIRONMENTS, type Environment } from "./schema/common";
export { deepMerge } from "./input";
export { ConfigError, type ConfigProblem } from "./problems";
export { REQUIRED_TAG_KEYS } from "./schema/stack";
export const PROJECT = "eks-platform";

export type NetworkConfig = ParsedSections["network"];
export type ClusterConfig = ParsedSections["cluster"];
export type KarpenterConfig = ParsedSections["karpenter"] & {
    /** Derived: the NodePools Karpenter gets (the declared pools and the spot overflow pools derived from them). */
    effectiveNodePools: EffectiveNodePool[];
};
export type CniConfig = ParsedSections["cni"];
export type IngressConfig = ParsedSections["ingress"];
export type ObservabilityConfig = ParsedSections["observability"];
export type GpuConfig = ParsedSections["gpu"];
export type StorageConfig = ParsedSections["storage"];
export type FargateConfig = ParsedSections["fargate"];
export type CertificatesConfig = ParsedSections["certificates"];
export type DnsConfig = ParsedSections["dns"];
export type SmokeConfig = ParsedSections["smoke"];
export type TeamsConfig = ParsedSections["teams"] & {
    /** Derived: each team's placement on its Karpenter pool (teams without a pool are absent). */
    placements: Record<string, TeamPlacement>;
    /** Derived: the taint keys of every team pool; a team's pods may tolerate only their own pool's. */
    guardedTaintKeys: string[];
    /** Derived: the node label that names a node's team pool (its value: the pool). */
    poolLabelKey: string;
};
export type DeliveryConfig = ParsedSections["delivery"];

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
    teams: TeamsConfig;
    delivery: DeliveryConfig;
    gpu: GpuConfig;
    storage: StorageConfig;
    fargate: FargateConfig;
    certificates: CertificatesConfig;
    dns: DnsConfig;
    smoke: SmokeConfig;
    /** What the rules warn about without refusing the config (printed by the plan and by `pulumi up`). */
    warnings: ConfigProblem[];
}>;

const KNOWN_KEYS = new Set<string>(SECTIONS.map((s) => s.key));

/** The object schema's fields, when the section is an object (rules may need one field of a section that failed). */
function fieldsOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
    const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
    return shape && typeof shape === "object" ? shape : undefined;
}

interface Validation {
    /** The merged input of every key, as the rules' problems quote it. */
    input: Record<string, unknown>;
    /** What parsed: a whole section by name, and each top-level field of a section as "section.field". */
    available: Set<string>;
    values: Record<string, unknown>;
    problems: ConfigProblem[];
    warnings: ConfigProblem[];
}

/** Validates every section on its own, then each rule whose values parsed: every problem, whatever else failed. */
function validate(given: Record<string, unknown>, stack: string): Validation {
    const env = given["eks-platform:environment"];
    // An unknown environment is reported by its schema; the sections are still checked against dev's defaults.
    const defaultsEnv: Environment = (ENVIRONMENTS as readonly unknown[]).includes(env) ? (env as Environment) : "dev";
    const v: Validation = { input: {}, available: new Set(), values: { stack, written: given }, problems: [], warnings: [] };
    const sectionInputs = new Map<(typeof SECTIONS)[number], unknown>();
    const cluster = deepMerge(clusterDefaults[defaultsEnv], given["eks-platform:cluster"]);
    // What follows the minor is filled from the table for the stack's minor; for one the table lacks (reported on its
    // own key) from the environment's default minor, so that one mistake is not reported a dozen times.
    const givenMinor = isRecord(cluster) ? cluster.kubernetesVersion : undefined;
    const minor =
        typeof givenMinor === "string" && isKubernetesMinor(givenMinor) ? givenMinor : clusterDefaults[defaultsEnv].kubernetesVersion;
    // Pulumi secrets a section names (eks-platform:<name>): known keys, checked by the section's rules.
    const secrets = new Set<string>();
    for (const section of SECTIONS) {
        let input = section.defaults ? deepMerge(section.defaults[defaultsEnv], given[section.key]) : given[section.key];
        if (input === undefined && section.empty !== undefined) input = section.empty;
        if (section.prepare) input = section.prepare(input, { environment: defaultsEnv, minor });
        v.input[section.key] = input;
        for (const name of section.secrets?.(input) ?? []) secrets.add(`${PROJECT}:${name}`);
        sectionInputs.set(section, input);
    }
    for (const key of Object.keys(given)) {
        // A secret's value is never quoted: only that it is there.
        if (!KNOWN_KEYS.has(key) && !secrets.has(key))
            v.problems.push({
                path: key,
                value: describeValue(given[key]),
                rule: "is not a known setting (check the spelling against docs/settings.md)",
            });
    }
    for (const section of SECTIONS) {
        const input = sectionInputs.get(section);
        const parsed = section.schema.safeParse(input);
        if (parsed.success) {
            v.values[section.name] = parsed.data;
            v.available.add(section.name);
            for (const field of Object.keys(fieldsOf(section.schema) ?? {})) v.available.add(`${section.name}.${field}`);
            continue;
        }
        v.problems.push(...problemsOf(parsed.error, v.input, [section.key]));
        // The fields that parsed on their own stay available to the rules that need only them.
        const partial: Record<string, unknown> = {};
        for (const [field, schema] of Object.entries(fieldsOf(section.schema) ?? {})) {
            const one = schema.safeParse(isRecord(input) ? input[field] : undefined);
            if (one.success) {
                partial[field] = one.data;
                v.available.add(`${section.name}.${field}`);
            }
        }
        v.values[section.name] = partial;
    }
    for (const rule of RULES) {
        if (!rule.needs.every((need) => v.available.has(need))) continue;
        for (const p of rule.check(v.values as never)) (p.severity === "warning" ? v.warnings : v.problems).push(ruleProblem(p, v.input));
    }
    return v;
}

/**
 * Validates a stack's raw configuration (as `pulumi.runtime.allConfig()` or the stack file gives it) against the
 * registered sections with the environment's defaults applied, and returns the frozen PlatformConfig. Throws a
 * ConfigError with every problem found.
 */
export function parsePlatformConfig(raw: Readonly<Record<string, unknown>>, stack: string): PlatformConfig {
    const given: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (key === "aws:region" || key.startsWith(`${PROJECT}:`)) given[key] = decodeConfigValue(value);
    }
    const { values, problems, warnings } = validate(given, stack);
    if (problems.length > 0) throw new ConfigError(stack, problems);

    const data = values as unknown as ParsedSections;
    const config = {
        project: PROJECT,
        stack,
        environment: data.environment,
        region: data.region,
        clusterName: data.cluster.name ?? `${PROJECT}-${stack}`,
        tags: { ...data.tags, Project: PROJECT, Environment: data.environment, Stack: stack, ManagedBy: "pulumi" },
        network: data.network,
        cluster: data.cluster,
        karpenter: { ...data.karpenter, effectiveNodePools: effectiveNodePools(data.karpenter.nodePools) },
        cni: data.cni,
        ingress: data.ingress,
        observability: data.observability,
        teams: { ...data.teams, ...teamPlacements(data.teams.teams, effectiveNodePools(data.karpenter.nodePools)) },
        delivery: data.delivery,
        gpu: data.gpu,
        storage: data.storage,
        fargate: data.fargate,
        certificates: data.certificates,
        dns: data.dns,
        smoke: data.smoke,
        warnings,
    };
    return deepFreeze(config);
}
