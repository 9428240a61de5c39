// The eks-platform:teams section: application teams (namespaces, access, quota and limits, Pod Security, network
// flows, a Karpenter pool, ECR repositories) and the admission guardrails around them (Kyverno). Each team's quota and
// limit range are the environment's defaults under what the team sets (filled by prepareTeams); the rules check what
// one value's schema cannot: a namespace in two teams, a quota below the limit range, a pool that is not a team pool.
import { z } from "zod";
import { SHARED_GATEWAY_KEYS, type SharedGatewayKey } from "../../lib/gateways";
import { quantityLess } from "../../lib/quantity";
import type { ClusterConfig } from "./cluster";
import { chartVersion, cidr, dnsLabel, quantity, type Environment } from "./common";
import { TEAM_LABEL, type KarpenterConfig } from "./karpenter";
import { defineRule, problems, type Rule } from "./rule";

export const TEAM_ACCESS_LEVELS = ["view", "edit", "admin"] as const;
export type TeamAccessLevel = (typeof TEAM_ACCESS_LEVELS)[number];
/** The Pod Security Standards levels a team namespace may enforce (never privileged). */
export const TEAM_POD_SECURITY_LEVELS = ["baseline", "restricted"] as const;
export type TeamPodSecurityLevel = (typeof TEAM_POD_SECURITY_LEVELS)[number];
export const VALIDATION_ACTIONS = ["Audit", "Enforce"] as const;
/** The shared Gateways a team may attach routes to (eks-platform:ingress.gateways.<key>). */
export const TEAM_GATEWAY_KEYS = SHARED_GATEWAY_KEYS as unknown as readonly [SharedGatewayKey, ...SharedGatewayKey[]];

/**
 * Namespaces that belong to the platform or to Kubernetes itself: a team may not take one (its quota, default deny and
 * access scope would land on the platform's own components). The Karpenter namespace (config) is checked as well.
 */
export const RESERVED_NAMESPACES = [
    "default",
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "kyverno",
    "monitoring",
    "tigera-operator",
    "calico-system",
    "calico-apiserver",
    "ingress-nginx",
    "gateway-system",
    "amazon-cloudwatch",
] as const;

const enumOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(", ")}` });
const count = (max: number, what: string) =>
    z.number().int().min(0, `must be between 0 and ${max}`).max(max, `must be between 0 and ${max}`).describe(what);

/** An IAM role ARN, with or without a path (Identity Center roles live under aws-reserved/sso.amazonaws.com/). */
export const iamRoleArn = z
    .string()
    .regex(
        /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
        "must be an IAM role ARN such as arn:aws:iam::123456789012:role/payments-developers (the role of the team's IAM group or Identity Center permission set; not a user, group or session)",
    );

export const quotaSchema = z
    .strictObject({
        cpu: quantity.describe("requests.cpu: the CPU all pods of the namespace may request together."),
        memory: quantity.describe("requests.memory: the memory all pods may request together."),
        memoryLimit: quantity.describe("limits.memory: the memory limits of all pods together."),
        pods: count(5000, "pods: how many pods the namespace may hold."),
        persistentVolumeClaims: count(1000, "persistentvolumeclaims: how many volume claims."),
        storage: quantity.describe("requests.storage: the storage all volume claims may request together."),
        loadBalancers: count(50, "services.loadbalancers: LoadBalancer Services (each one is an NLB); routes through a Gateway need none."),
    })
    .describe("The ResourceQuota of each of the team's namespaces.");
export type TeamQuota = z.infer<typeof quotaSchema>;

export const limitRangeSchema = z
    .strictObject({
        defaultRequest: z
            .strictObject({ cpu: quantity.describe("CPU request."), memory: quantity.describe("Memory request.") })
            .describe("Requests a container gets when it declares none."),
        defaultLimit: z
            .strictObject({ memory: quantity.describe("Memory limit.") })
            .describe("The memory limit a container gets when it declares none (a CPU limit defaults to max.cpu)."),
        max: z
            .strictObject({ cpu: quantity.describe("Most CPU."), memory: quantity.describe("Most memory.") })
            .describe("The most one container may request or be limited to."),
    })
    .describe("The LimitRange of each of the team's namespaces (per container).");
export type TeamLimitRange = z.infer<typeof limitRangeSchema>;

const portSchema = z
    .strictObject({
        port: z.number().int().min(1, "must be between 1 and 65535").max(65535, "must be between 1 and 65535").describe("Port."),
        protocol: enumOf(["TCP", "UDP"] as const)
            .optional()
            .describe("TCP (default) or UDP."),
    })
    .describe("A destination port.");

export const teamSchema = z
    .strictObject({
        name: dnsLabel.describe("The team's name: the namespaces' eks-platform/team label, the Kubernetes group, the ECR prefix."),
        namespaces: z
            .array(dnsLabel)
            .min(1, "must list at least one namespace")
            .describe("The team's namespaces (created by the platform)."),
        principals: z
            .array(iamRoleArn)
            .min(1, "must list at least one IAM role")
            .describe(
                "IAM roles of the team's people (its IAM group's role or Identity Center permission set): one EKS access entry each.",
            ),
        access: enumOf(TEAM_ACCESS_LEVELS).describe(
            "view, edit or admin: the EKS access policy (AmazonEKSViewPolicy, AmazonEKSEditPolicy, AmazonEKSAdminPolicy), scoped to the team's namespaces.",
        ),
        nodePool: dnsLabel
            .optional()
            .describe("A Karpenter pool of preset team (eks-platform:karpenter.nodePools) the team's pods are placed on, and only they."),
        podSecurityException: z
            .strictObject({
                enforce: z
                    .literal("baseline", { message: "must be baseline (no team gets privileged)" })
                    .describe("The level enforced instead."),
                reason: z.string().min(10, "must say why in at least 10 characters").describe("Why (reviewed with the exception)."),
            })
            .optional()
            .describe(
                "Enforce baseline instead of the stack's podSecurity.enforce in the team's namespaces (warn and audit stay restricted).",
            ),
        gateways: z
            .array(enumOf(TEAM_GATEWAY_KEYS))
            .describe("Shared Gateways the team's HTTPRoutes attach to: its namespaces get their labels and admit their load balancers."),
        egress: z
            .array(
                z
                    .strictObject({
                        name: dnsLabel.describe("Why the flow exists (the policy's name)."),
                        cidrs: z.array(cidr()).min(1, "must list at least one CIDR").describe("Destinations."),
                        ports: z.array(portSchema).optional().describe("Destination ports; all when absent."),
                    })
                    .describe("An outbound flow."),
            )
            .describe("Outbound flows beyond DNS, the namespace itself and the Pod Identity agent (AWS APIs, databases)."),
        ciRoleArn: iamRoleArn.optional().describe("The team's CI role: the only principal that may push to its ECR repositories."),
        repositories: z
            .array(z.string().regex(/^[a-z0-9]+([._-][a-z0-9]+)*$/, "must be a repository name such as api or batch-worker"))
            .describe("ECR repositories <cluster>/<team>/<name> (scan on push, immutable tags, KMS, lifecycle)."),
        quota: quotaSchema,
        limitRange: limitRangeSchema,
    })
    .describe("An application team.");
export type TeamConfig = z.infer<typeof teamSchema>;

export const teamsSchema = z
    .strictObject({
        podSecurity: z
            .strictObject({
                enforce: enumOf(TEAM_POD_SECURITY_LEVELS).describe(
                    "The Pod Security Standards level team namespaces enforce (warn and audit are always restricted).",
                ),
            })
            .describe("Pod Security admission labels of team namespaces."),
        kyverno: z
            .strictObject({
                enabled: z.boolean().describe("Install Kyverno and the platform's admission policies (needed by team node pools)."),
                chartVersion: chartVersion.describe("The kyverno chart (kyverno.github.io/kyverno); 3.9.0 is Kyverno v1.19.0."),
                admissionReplicas: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 7")
                    .max(7, "must be between 1 and 7")
                    .describe("Admission controller replicas (its webhooks fail closed for team namespaces when policies enforce)."),
                controllerReplicas: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 3")
                    .max(3, "must be between 1 and 3")
                    .describe("Background, cleanup and reports controller replicas (leader-elected)."),
                validationFailureAction: enumOf(VALIDATION_ACTIONS).describe(
                    "Enforce: a violating team pod is refused. Audit: admitted and reported (policy reports, Grafana).",
                ),
            })
            .describe("Kyverno: Pod Security, registries, tags, resources and team pool placement as admission policies."),
        allowedRegistries: z
            .array(
                z
                    .string()
                    .regex(
                        /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/,
                        "must be a registry host with an optional path such as public.ecr.aws/docker/library (no scheme, no wildcard)",
                    ),
            )
            .describe("Registries (and path prefixes) team images may come from besides the stack's own ECR repositories."),
        defaults: z
            .strictObject({ quota: quotaSchema, limitRange: limitRangeSchema })
            .describe("The quota and limit range every team gets unless it sets its own."),
        ecr: z
            .strictObject({
                enhancedScanning: z
                    .boolean()
                    .describe(
                        "Amazon Inspector enhanced scanning of the team repositories (the account's registry scanning configuration).",
                    ),
                untaggedExpiryDays: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 365")
                    .max(365, "must be between 1 and 365")
                    .describe("Untagged images expire after this many days."),
                maxImages: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 10000")
                    .max(10000, "must be between 1 and 10000")
                    .describe("A repository keeps at most this many images (the oldest expire)."),
            })
            .describe("The teams' ECR repositories."),
        teams: z.array(teamSchema).describe("The application teams."),
    })
    .describe("Application teams and the admission guardrails around them.");
export type TeamsSettings = z.infer<typeof teamsSchema>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Each team gets the section's default quota and limit range under its own values, and empty lists it leaves out. */
export function prepareTeams(input: unknown): unknown {
    if (!isRecord(input) || !Array.isArray(input.teams)) return input;
    const defaults = isRecord(input.defaults) ? input.defaults : {};
    const under = (base: unknown, own: unknown) =>
        isRecord(base) && (own === undefined || isRecord(own)) ? deepMergeRecords(base, own ?? {}) : own;
    return {
        ...input,
        teams: input.teams.map((team) =>
            isRecord(team)
                ? {
                      gateways: [],
                      egress: [],
                      repositories: [],
                      ...team,
                      quota: under(defaults.quota, team.quota),
                      limitRange: under(defaults.limitRange, team.limitRange),
                  }
                : team,
        ),
    };
}

function deepMergeRecords(base: Record<string, unknown>, own: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(own))
        out[key] = isRecord(value) && isRecord(base[key]) ? deepMergeRecords(base[key], value) : value;
    return out;
}

/** Where a quota and a limit range contradict each other (paths relative to the object holding both). */
export function quotaLimitProblems(quota: TeamQuota, limits: TeamLimitRange): { path: (string | number)[]; rule: string }[] {
    const out: { path: (string | number)[]; rule: string }[] = [];
    const atLeast = (path: string[], value: string, floor: string, floorKey: string, why: string) => {
        if (quantityLess(value, floor)) out.push({ path, rule: `must be at least limitRange.${floorKey} (${floor}): ${why}` });
    };
    const fit = "one container at the limit range's maximum would not fit in the quota";
    atLeast(["quota", "cpu"], quota.cpu, limits.max.cpu, "max.cpu", fit);
    atLeast(["quota", "memory"], quota.memory, limits.max.memory, "max.memory", fit);
    atLeast(["quota", "memoryLimit"], quota.memoryLimit, limits.max.memory, "max.memory", fit);
    const within = "a container given the default would be refused by the maximum";
    if (quantityLess(limits.max.cpu, limits.defaultRequest.cpu))
        out.push({
            path: ["limitRange", "defaultRequest", "cpu"],
            rule: `must be at most limitRange.max.cpu (${limits.max.cpu}): ${within}`,
        });
    if (quantityLess(limits.max.memory, limits.defaultLimit.memory))
        out.push({
            path: ["limitRange", "defaultLimit", "memory"],
            rule: `must be at most limitRange.max.memory (${limits.max.memory}): ${within}`,
        });
    if (quantityLess(limits.defaultLimit.memory, limits.defaultRequest.memory))
        out.push({
            path: ["limitRange", "defaultRequest", "memory"],
            rule: `must be at most limitRange.defaultLimit.memory (${limits.defaultLimit.memory}): a request above its limit is refused`,
        });
    return out;
}

const at = (...path: (string | number)[]) => ["eks-platform:teams", ...path];
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

type View = { environment: Environment; teams: TeamsSettings; karpenter: KarpenterConfig; cluster: ClusterConfig };

export const teamsRules: readonly Rule<View>[] = [
    defineRule({
        needs: ["teams.teams"],
        summary:
            "team names are unique; a namespace belongs to one team and is not the platform's; an IAM role is one team's; repositories need a CI role",
        reports: ["eks-platform:teams.teams"],
        check: ({ teams }) => {
            const p = problems();
            const names = new Set<string>();
            const owners = new Map<string, string>();
            const principals = new Map<string, string>();
            teams.teams.forEach((team, i) => {
                if (names.has(team.name)) p.add(at("teams", i, "name"), `must be unique: another team is already named ${team.name}`);
                names.add(team.name);
                team.namespaces.forEach((ns, n) => {
                    const owner = owners.get(ns);
                    if (owner !== undefined)
                        p.add(at("teams", i, "namespaces", n), `must belong to one team: namespace ${ns} is already team ${owner}'s`);
                    else owners.set(ns, team.name);
                    if ((RESERVED_NAMESPACES as readonly string[]).includes(ns))
                        p.add(
                            at("teams", i, "namespaces", n),
                            `must not be a namespace of the platform or of Kubernetes (${RESERVED_NAMESPACES.join(", ")})`,
                        );
                });
                team.principals.forEach((arn, r) => {
                    const owner = principals.get(arn);
                    if (owner !== undefined)
                        p.add(
                            at("teams", i, "principals", r),
                            `must be one team's: EKS allows one access entry per principal, and ${arn} is team ${owner}'s`,
                        );
                    else principals.set(arn, team.name);
                });
                if (team.repositories.length > 0 && !team.ciRoleArn)
                    p.add(at("teams", i, "ciRoleArn"), "is required with repositories: only the team's CI role may push to them");
            });
            return p.list;
        },
    }),
    defineRule({
        needs: ["teams.teams", "teams.defaults"],
        summary: "a quota holds at least one container at the limit range's maximum; defaults lie within the maximum",
        reports: ["eks-platform:teams.defaults", "eks-platform:teams.teams"],
        check: ({ teams }) => {
            const p = problems();
            for (const problem of quotaLimitProblems(teams.defaults.quota, teams.defaults.limitRange))
                p.add(at("defaults", ...problem.path), problem.rule);
            teams.teams.forEach((team, i) => {
                // A team that only inherits the defaults is judged by the defaults' report, not once more here.
                if (sameJson(team.quota, teams.defaults.quota) && sameJson(team.limitRange, teams.defaults.limitRange)) return;
                for (const problem of quotaLimitProblems(team.quota, team.limitRange)) p.add(at("teams", i, ...problem.path), problem.rule);
            });
            return p.list;
        },
    }),
    defineRule({
        needs: ["environment", "teams.podSecurity", "teams.kyverno"],
        summary: "prod: team namespaces enforce restricted, Kyverno enforces with 3 admission and 2 other controllers",
        reports: ["eks-platform:teams.podSecurity.enforce", "eks-platform:teams.kyverno"],
        check: ({ environment, teams }) => {
            const p = problems();
            if (environment !== "prod") return p.list;
            if (teams.podSecurity.enforce !== "restricted")
                p.add(
                    at("podSecurity", "enforce"),
                    "must be restricted in prod (a team that needs less gets a podSecurityException with its reason)",
                );
            const { kyverno } = teams;
            if (!kyverno.enabled) {
                p.add(at("kyverno", "enabled"), "must be true in prod: the admission policies are the in-cluster half of the guardrails");
                return p.list;
            }
            if (kyverno.validationFailureAction !== "Enforce")
                p.add(at("kyverno", "validationFailureAction"), "must be Enforce in prod: Audit admits what the policies forbid");
            if (kyverno.admissionReplicas < 3)
                p.add(
                    at("kyverno", "admissionReplicas"),
                    "must be at least 3 in prod (Kyverno's high-availability guidance): its webhooks fail closed for team namespaces",
                );
            if (kyverno.controllerReplicas < 2)
                p.add(at("kyverno", "controllerReplicas"), "must be at least 2 in prod (leader-elected, with a PDB)");
            return p.list;
        },
    }),
    defineRule({
        needs: ["teams.teams", "teams.kyverno", "karpenter.nodePools", "karpenter.namespace"],
        summary:
            "a team's nodePool is a Karpenter pool of preset team, owned by one team, placed by Kyverno; the Karpenter namespace is not a team's",
        reports: ["eks-platform:teams.teams", "eks-platform:karpenter.nodePools"],
        check: ({ teams, karpenter }) => {
            const p = problems();
            const teamPools = karpenter.nodePools.filter((pool) => pool.preset === "team").map((pool) => pool.name);
            const owners = new Map<string, string>();
            teams.teams.forEach((team, i) => {
                team.namespaces.forEach((ns, n) => {
                    // A reserved namespace is reported by the namespaces rule already.
                    if (ns === karpenter.namespace && !(RESERVED_NAMESPACES as readonly string[]).includes(ns))
                        p.add(
                            at("teams", i, "namespaces", n),
                            `must not be eks-platform:karpenter.namespace (${ns}): the controller runs there`,
                        );
                });
                if (team.nodePool === undefined) return;
                const here = at("teams", i, "nodePool");
                if (!teamPools.includes(team.nodePool))
                    p.add(
                        here,
                        `must name a Karpenter pool of preset team in eks-platform:karpenter.nodePools (${teamPools.length > 0 ? teamPools.join(", ") : "none is declared"})`,
                    );
                const owner = owners.get(team.nodePool);
                if (owner !== undefined) p.add(here, `must be one team's pool: ${team.nodePool} is already team ${owner}'s`);
                else owners.set(team.nodePool, team.name);
                if (!teams.kyverno.enabled)
                    p.add(
                        here,
                        "needs eks-platform:teams.kyverno.enabled: Kyverno adds the pool's toleration and selector to the team's pods",
                    );
            });
            karpenter.nodePools.forEach((pool, i) => {
                if (pool.preset === "team" && !owners.has(pool.name))
                    p.warn(
                        ["eks-platform:karpenter", "nodePools", i, "name"],
                        `is a team pool no team names (eks-platform:teams.teams[].nodePool): nothing tolerates its taint`,
                    );
            });
            return p.list;
        },
    }),
    defineRule({
        needs: ["teams.teams", "cluster.accessEntries"],
        summary: "a team's IAM role has no access entry of its own in eks-platform:cluster.accessEntries",
        reports: ["eks-platform:teams.teams"],
        check: ({ teams, cluster }) => {
            const p = problems();
            const entries = new Set(cluster.accessEntries.map((e) => e.principalArn));
            teams.teams.forEach((team, i) =>
                team.principals.forEach((arn, r) => {
                    if (entries.has(arn))
                        p.add(
                            at("teams", i, "principals", r),
                            "must not also be in eks-platform:cluster.accessEntries: EKS allows one access entry per principal (the team's is scoped to its namespaces)",
                        );
                }),
            );
            return p.list;
        },
    }),
];

const quota = (cpu: string, memory: string, memoryLimit: string, pods: number, pvcs: number, storage: string, loadBalancers: number) => ({
    cpu,
    memory,
    memoryLimit,
    pods,
    persistentVolumeClaims: pvcs,
    storage,
    loadBalancers,
});
const limitRange = (cpu: string, memory: string, memoryLimit: string, maxCpu: string, maxMemory: string) => ({
    defaultRequest: { cpu, memory },
    defaultLimit: { memory: memoryLimit },
    max: { cpu: maxCpu, memory: maxMemory },
});

// Chart 3.9.0 is Kyverno v1.19.0 (kyverno/kyverno charts/kyverno/Chart.yaml at kyverno-chart-3.9.0, ee97ce09).
const kyverno = { enabled: true, chartVersion: "3.9.0" } as const;

export const teamsDefaults: Record<Environment, z.input<typeof teamsSchema>> = {
    dev: {
        podSecurity: { enforce: "baseline" },
        kyverno: { ...kyverno, admissionReplicas: 1, controllerReplicas: 1, validationFailureAction: "Audit" },
        allowedRegistries: ["public.ecr.aws", "docker.io", "ghcr.io", "quay.io", "registry.k8s.io"],
        defaults: { quota: quota("8", "16Gi", "32Gi", 100, 10, "100Gi", 1), limitRange: limitRange("100m", "128Mi", "256Mi", "2", "4Gi") },
        ecr: { enhancedScanning: false, untaggedExpiryDays: 3, maxImages: 20 },
        teams: [],
    },
    staging: {
        podSecurity: { enforce: "restricted" },
        kyverno: { ...kyverno, admissionReplicas: 2, controllerReplicas: 1, validationFailureAction: "Enforce" },
        allowedRegistries: ["public.ecr.aws"],
        defaults: { quota: quota("16", "32Gi", "64Gi", 200, 20, "500Gi", 2), limitRange: limitRange("100m", "128Mi", "512Mi", "4", "8Gi") },
        ecr: { enhancedScanning: false, untaggedExpiryDays: 7, maxImages: 50 },
        teams: [],
    },
    prod: {
        podSecurity: { enforce: "restricted" },
        kyverno: { ...kyverno, admissionReplicas: 3, controllerReplicas: 2, validationFailureAction: "Enforce" },
        allowedRegistries: [],
        defaults: { quota: quota("32", "64Gi", "128Gi", 300, 50, "2Ti", 2), limitRange: limitRange("250m", "256Mi", "512Mi", "8", "16Gi") },
        ecr: { enhancedScanning: false, untaggedExpiryDays: 14, maxImages: 200 },
        teams: [],
    },
};

/** Where a team's pods are placed: its pool's node selector and the tolerations of the pool's taints. */
export interface TeamPlacement {
    pool: string;
    nodeSelector: Record<string, string>;
    tolerations: { key: string; operator: "Equal"; value?: string; effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" }[];
}

/**
 * Derived for the components: each team's placement on its pool (from the pool as Karpenter gets it, so a pool's own
 * taints are tolerated), and the taint keys of every team pool (a team's pods may tolerate only their own pool's).
 */
export function teamPlacements(
    teams: readonly Pick<TeamConfig, "name" | "nodePool">[],
    pools: readonly {
        name: string;
        preset?: string;
        labels: Readonly<Record<string, string>>;
        taints: readonly { key: string; value?: string; effect: TeamPlacement["tolerations"][number]["effect"] }[];
    }[],
): { placements: Record<string, TeamPlacement>; guardedTaintKeys: string[]; poolLabelKey: string } {
    const placements: Record<string, TeamPlacement> = {};
    const keys = new Set<string>([TEAM_LABEL]);
    for (const pool of pools) if (pool.preset === "team") for (const taint of pool.taints) keys.add(taint.key);
    for (const team of teams) {
        const pool = pools.find((candidate) => candidate.name === team.nodePool);
        if (!pool) continue;
        placements[team.name] = {
            pool: pool.name,
            nodeSelector: { [TEAM_LABEL]: pool.labels[TEAM_LABEL] ?? pool.name },
            tolerations: pool.taints.map((t) => ({
                key: t.key,
                operator: "Equal",
                ...(t.value !== undefined ? { value: t.value } : {}),
                effect: t.effect,
            })),
        };
    }
    return { placements, guardedTaintKeys: [...keys].sort(), poolLabelKey: TEAM_LABEL };
}
