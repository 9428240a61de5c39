// The registry of the stack's configuration keys: each section's key, schema (with its settings' descriptions),
// environment defaults, input preparation and rules, in one place. The loader (config.ts), the settings reference
// (docs/settings.md, scripts/docs.ts) and the tests all read it; adding a section is one entry here.
import type { z } from "zod";
import { clusterDefaults, clusterRules, clusterSchema } from "./schema/cluster";
import { cniDefaults, cniRules, cniSchema } from "./schema/cni";
import { argocdSsoClientSecretSchema, deliveryDefaults, deliveryRules, deliverySchema } from "./schema/delivery";
import type { Environment } from "./schema/common";
import { ingressDefaults, ingressRules, ingressSchema } from "./schema/ingress";
import { expandNodePools, karpenterDefaults, karpenterGpuRules, karpenterRules, karpenterSchema } from "./schema/karpenter";
import { networkDefaults, networkRules, networkSchema } from "./schema/network";
import { alertingSecretNamesOfInput } from "./schema/alerting";
import { certificatesDefaults, certificatesRules, certificatesSchema } from "./schema/certificates";
import { dnsDefaults, dnsRules, dnsSchema } from "./schema/dns";
import { fargateDefaults, fargateRules, fargateSchema } from "./schema/fargate";
import { gpuDefaults, gpuRules, gpuSchema } from "./schema/gpu";
import { observabilityDefaults, observabilityRules, observabilitySchema } from "./schema/observability";
import { smokeDefaults, smokeRules, smokeSchema } from "./schema/smoke";
import { storageDefaults, storageRules, storageSchema } from "./schema/storage";
import type { Rule } from "./schema/rule";
import { regionRules } from "./schema/region-rules";
import { crossSectionRules } from "./schema/rules";
import { prepareTeams, teamsDefaults, teamsRules, teamsSchema } from "./schema/teams";
import { environmentSchema, regionSchema, tagsSchema } from "./schema/stack";
import { clusterAddonVersions, isKubernetesMinor, observabilityAddonVersions, versionsFor, type KubernetesMinor } from "./versions";

export interface Section<N extends string = string, S extends z.ZodType = z.ZodType> {
    /** The name PlatformConfig gives the parsed value (config.network). */
    name: N;
    /** The key in the stack file (eks-platform:network). */
    key: string;
    schema: S;
    /** Defaults per environment, deep-merged under the stack file's value (objects key by key, lists whole). */
    defaults?: Readonly<Record<Environment, unknown>>;
    /**
     * Fills what the schema checks from what the user wrote, after the defaults: NodePool presets, and the versions
     * that follow the cluster's Kubernetes minor (`minor`: the stack's, or its environment's default).
     */
    prepare?: (input: unknown, context: { environment: Environment; minor: unknown }) => unknown;
    /** Given when the stack file has no value and there is no default (an empty map for tags). */
    empty?: unknown;
    /**
     * The Pulumi secrets the section's value names (bare config keys, eks-platform:<name>): they are set with
     * `pulumi config set --secret` beside the sections, so the loader knows them from typos. Read from the input
     * before it parsed; the values themselves never enter PlatformConfig.
     */
    secrets?: (input: unknown) => string[];
}

const section = <N extends string, S extends z.ZodType>(s: Section<N, S>): Section<N, S> => s;

export const SECTIONS = [
    section({ name: "region", key: "aws:region", schema: regionSchema }),
    section({ name: "environment", key: "eks-platform:environment", schema: environmentSchema }),
    section({ name: "tags", key: "eks-platform:tags", schema: tagsSchema, empty: {} }),
    section({ name: "network", key: "eks-platform:network", schema: networkSchema, defaults: networkDefaults }),
    section({
        name: "cluster",
        key: "eks-platform:cluster",
        schema: clusterSchema,
        defaults: clusterDefaults,
        // Add-on builds and the system nodes' AMI release follow the minor; a version the stack names wins.
        prepare: (input, { minor }) => {
            if (!isRecord(input)) return input;
            const group = isRecord(input.systemNodeGroup) ? input.systemNodeGroup : undefined;
            return {
                ...input,
                addons: { ...followingMinor(minor, clusterAddonVersions), ...(isRecord(input.addons) ? input.addons : {}) },
                ...(group
                    ? { systemNodeGroup: { releaseVersion: followingMinor(minor, (m) => versionsFor(m).ami.releaseVersion), ...group } }
                    : {}),
            };
        },
    }),
    section({
        name: "karpenter",
        key: "eks-platform:karpenter",
        schema: karpenterSchema,
        defaults: karpenterDefaults,
        prepare: (input, { minor }) =>
            isRecord(input)
                ? {
                      ...input,
                      amiAlias: input.amiAlias ?? followingMinor(minor, (m) => versionsFor(m).ami.karpenterAlias),
                      nodePools: expandNodePools(input.nodePools),
                  }
                : input,
    }),
    section({ name: "cni", key: "eks-platform:cni", schema: cniSchema, defaults: cniDefaults }),
    section({ name: "ingress", key: "eks-platform:ingress", schema: ingressSchema, defaults: ingressDefaults }),
    section({
        name: "observability",
        key: "eks-platform:observability",
        schema: observabilitySchema,
        defaults: observabilityDefaults,
        prepare: (input, { minor }) => {
            const versions = followingMinor(minor, observabilityAddonVersions);
            if (!isRecord(input) || !versions) return input;
            const withVersion = (part: unknown, version: string) => (isRecord(part) ? { version, ...part } : part);
            return {
                ...input,
                containerInsights: withVersion(input.containerInsights, versions.containerInsights),
                adot: withVersion(input.adot, versions.adot),
            };
        },
        secrets: alertingSecretNamesOfInput,
    }),
    section({ name: "gpu", key: "eks-platform:gpu", schema: gpuSchema, defaults: gpuDefaults }),
    section({ name: "storage", key: "eks-platform:storage", schema: storageSchema, defaults: storageDefaults }),
    section({ name: "fargate", key: "eks-platform:fargate", schema: fargateSchema, defaults: fargateDefaults }),
    section({ name: "certificates", key: "eks-platform:certificates", schema: certificatesSchema, defaults: certificatesDefaults }),
    section({ name: "dns", key: "eks-platform:dns", schema: dnsSchema, defaults: dnsDefaults }),
    section({ name: "smoke", key: "eks-platform:smoke", schema: smokeSchema, defaults: smokeDefaults }),
    section({
        name: "teams",
        key: "eks-platform:teams",
        schema: teamsSchema,
        defaults: teamsDefaults,
        // Each team gets the section's default quota and limit range under its own values.
        prepare: (input) => prepareTeams(input),
    }),
    section({ name: "delivery", key: "eks-platform:delivery", schema: deliverySchema, defaults: deliveryDefaults }),
    // A key of its own so that it can be a Pulumi secret (pulumi config set --secret); never copied into PlatformConfig.
    section({ name: "argocdSsoClientSecret", key: "eks-platform:argocdSsoClientSecret", schema: argocdSsoClientSecretSchema }),
] as const;

/** Every rule beyond a single value's schema: each section's own, then the cross-section ones. */
export const RULES: readonly Rule<never>[] = [
    ...networkRules,
    ...clusterRules,
    ...karpenterRules,
    ...karpenterGpuRules,
    ...cniRules,
    ...ingressRules,
    ...observabilityRules,
    ...gpuRules,
    ...storageRules,
    ...fargateRules,
    ...certificatesRules,
    ...dnsRules,
    ...smokeRules,
    ...teamsRules,
    ...deliveryRules,
    ...crossSectionRules,
    ...regionRules,
];

type AnySection = (typeof SECTIONS)[number];
/** The parsed value of every section, by name. */
export type ParsedSections = { [S in AnySection as S["name"]]: z.infer<S["schema"]> };

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** What follows the minor in the version table; undefined for a minor the table lacks (its schema reports that). */
function followingMinor<T>(minor: unknown, pick: (minor: KubernetesMinor) => T): T | undefined {
    return typeof minor === "string" && isKubernetesMinor(minor) ? pick(minor) : undefined;
}
