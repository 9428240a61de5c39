// The eks-platform:teams section: application teams (namespaces, access, quota and limits, Pod Security, network
// flows, a Karpenter pool, ECR repositories) and the admission guardrails around them (Kyverno). Each team's quota and
// limit range are the environment's defaults under what the team sets (filled by prepareTeams); the rules check what
// one value's schema cannot: a namespace in two teams, a quota below the limit range, a pool that is not a team pool.
import { z } from "zod";
import { SHARED_GATEWAY_KEYS, type SharedGatewayKey } from "../../../lib/gateways";
import { quantityLess } from "../../../lib/quantity";
import { chartVersion, cidr, dnsLabel, quantity } from "../common";

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
