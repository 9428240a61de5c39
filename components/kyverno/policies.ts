// The platform's Kyverno policies (kyverno.io/v1 ClusterPolicy, kyverno.io/v2 PolicyException), as plain objects:
// the Pod Security Standards at baseline and restricted (Kyverno's podSecurity subrule, the same checks as Pod
// Security admission), images only from the stack's registries with a pinned tag, requests and limits declared, and
// the team node pools (pods of a team get its pool's toleration and selector; no other team's pods may tolerate it).
// The legacy kyverno.io group is deprecated in favour of policies.kyverno.io, but only it has the podSecurity subrule
// and per-rule Audit/Enforce at v1.19.0, so the platform stays on it until the CEL policy types cover both.
import type { PlatformConfig } from "../../stacks/config";
import { TEAM_NAMESPACE_LABEL } from "../../lib/teams";

export type ValidationAction = "Audit" | "Enforce";
type TeamPlacement = PlatformConfig["teams"]["placements"][string];

export interface ClusterPolicyObject {
    apiVersion: "kyverno.io/v1";
    kind: "ClusterPolicy";
    metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
    spec: Record<string, unknown>;
}

export interface PolicyExceptionObject {
    apiVersion: "kyverno.io/v2";
    kind: "PolicyException";
    metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
    spec: Record<string, unknown>;
}

const LABELS = { "app.kubernetes.io/managed-by": "pulumi", "eks-platform/policy": "admission" };
/** Kyverno generates rules for the pod controllers (Deployment, CronJob, ...) unless told not to. */
const AUTOGEN_ANNOTATION = "pod-policies.kyverno.io/autogen-controllers";
/** Kyverno's default webhook timeout (pkg/controllers/webhook/controller.go DefaultWebhookTimeout, v1.19.0). */
export const WEBHOOK_TIMEOUT_SECONDS = 10;
/** Pod kinds a namespace-wide exception covers: the Pod and the controllers Kyverno's autogen rules check. */
const POD_KINDS = ["Pod", "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"];

/** Pods of team namespaces (the eks-platform/team label). */
const teamPods = () => ({
    any: [{ resources: { kinds: ["Pod"], namespaceSelector: { matchExpressions: [{ key: TEAM_NAMESPACE_LABEL, operator: "Exists" }] } } }],
});

/**
 * Enforced policies fail closed (a team pod is not admitted unchecked while Kyverno is down); audited ones fail open.
 * The webhooks only see team namespaces (the chart's config.webhooks), so neither can block the platform's own pods.
 */
export const webhookConfiguration = (action: ValidationAction) => ({
    failurePolicy: action === "Enforce" ? "Fail" : "Ignore",
    timeoutSeconds: WEBHOOK_TIMEOUT_SECONDS,
});

function clusterPolicy(
    name: string,
    description: string,
    spec: Record<string, unknown>,
    annotations: Record<string, string> = {},
): ClusterPolicyObject {
    return {
        apiVersion: "kyverno.io/v1",
        kind: "ClusterPolicy",
        metadata: {
            name,
            labels: { ...LABELS },
            annotations: { "policies.kyverno.io/title": name, "policies.kyverno.io/description": description, ...annotations },
        },
        spec,
    };
}

export const POD_SECURITY_POLICIES = { baseline: "pod-security-baseline", restricted: "pod-security-restricted" } as const;

/**
 * One policy per Pod Security Standards level, over every pod: admission sees only team namespaces; the background
 * scan reports the rest (the platform's namespaces are excepted). `version: latest` is the PSS of the Pod Security
 * library Kyverno v1.19.0 embeds (k8s.io/pod-security-admission v0.36): the CRD's version enum stops at v1.32.
 */
export function podSecurityPolicy(level: "baseline" | "restricted", action: ValidationAction): ClusterPolicyObject {
    return clusterPolicy(POD_SECURITY_POLICIES[level], `Pods meet the ${level} Pod Security Standard.`, {
        background: true,
        webhookConfiguration: webhookConfiguration(action),
        rules: [
            {
                name: level,
                match: { any: [{ resources: { kinds: ["Pod"] } }] },
                validate: { failureAction: action, podSecurity: { level, version: "latest" } },
            },
        ],
    });
}

/** Every container list of a pod, so a rule checks init and ephemeral containers too. */
const everyContainer = (container: Record<string, unknown>) => ({
    spec: { "=(ephemeralContainers)": [container], "=(initContainers)": [container], containers: [container] },
});

export const TEAM_IMAGES_POLICY = "team-images";

/**
 * Team images come from the stack's registries (its ECR repositories and the allowed ones: "<prefix>/*" alternatives,
 * so a short name such as nginx is refused: images name their registry) and carry a tag other than latest.
 */
export function teamImagesPolicy(registries: readonly string[], action: ValidationAction): ClusterPolicyObject {
    if (registries.length === 0) throw new Error("teamImagesPolicy: at least one registry (the stack's ECR) is required");
    const allowed = registries.map((r) => `${r}/*`).join(" | ");
    return clusterPolicy(TEAM_IMAGES_POLICY, "Team images come from the stack's registries and are pinned to a tag other than latest.", {
        background: true,
        webhookConfiguration: webhookConfiguration(action),
        rules: [
            {
                name: "allowed-registries",
                match: teamPods(),
                validate: {
                    failureAction: action,
                    message: `Images must come from one of: ${registries.join(", ")}.`,
                    pattern: everyContainer({ image: allowed }),
                },
            },
            {
                name: "require-image-tag",
                match: teamPods(),
                validate: {
                    failureAction: action,
                    message: "Images must name a tag or a digest.",
                    pattern: everyContainer({ image: "*:*" }),
                },
            },
            {
                name: "no-latest-tag",
                match: teamPods(),
                validate: {
                    failureAction: action,
                    message: "The latest tag is not allowed: pin a version.",
                    pattern: everyContainer({ image: "!*:latest" }),
                },
            },
        ],
    });
}

export const TEAM_RESOURCES_POLICY = "team-resources";

/**
 * Team containers declare CPU and memory requests and a memory limit (what the scheduler and the OOM killer work
 * from). A CPU limit is not required: it throttles, and the LimitRange already caps a container at max.cpu.
 */
export function teamResourcesPolicy(action: ValidationAction): ClusterPolicyObject {
    return clusterPolicy(TEAM_RESOURCES_POLICY, "Team containers declare CPU and memory requests and a memory limit.", {
        background: true,
        webhookConfiguration: webhookConfiguration(action),
        rules: [
            {
                name: "requests-and-limits",
                match: teamPods(),
                validate: {
                    failureAction: action,
                    message: "Containers must set resources.requests.cpu, resources.requests.memory and resources.limits.memory.",
                    pattern: { spec: { containers: [{ resources: { requests: { cpu: "?*", memory: "?*" }, limits: { memory: "?*" } } }] } },
                },
            },
        ],
    });
}

export interface TeamPools {
    /** The team's namespaces, by team. */
    namespaces: Readonly<Record<string, readonly string[]>>;
    placements: Readonly<Record<string, TeamPlacement>>;
    /** The taint keys of every team pool. */
    guardedTaintKeys: readonly string[];
    /** The node label naming a node's team pool. */
    poolLabelKey: string;
}

export const TEAM_NODE_POOLS_POLICY = "team-node-pools";
export const TEAM_POOL_ISOLATION_POLICY = "team-pool-isolation";

/** A JSON pointer segment (RFC 6901: "~" and "/" escaped). */
const pointer = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Pods created in a team's namespaces get its pool's tolerations and node selector (JSON patch: Kyverno adds a missing
 * list or map, json-patch EnsurePathExistsOnAdd). Pods only: the scheduler reads the pod, and a pod controller's
 * template stays as the team wrote it. Undefined when no team has a pool.
 */
export function teamNodePoolsPolicy(pools: TeamPools): ClusterPolicyObject | undefined {
    const rules = Object.entries(pools.placements)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([team, placement]) => ({
            name: `${team}-pool`,
            match: { any: [{ resources: { kinds: ["Pod"], namespaces: [...(pools.namespaces[team] ?? [])], operations: ["CREATE"] } }] },
            mutate: {
                patchesJson6902: JSON.stringify([
                    ...placement.tolerations.map((toleration) => ({ op: "add", path: "/spec/tolerations/0", value: toleration })),
                    ...Object.entries(placement.nodeSelector).map(([key, value]) => ({
                        op: "add",
                        path: `/spec/nodeSelector/${pointer(key)}`,
                        value,
                    })),
                ]),
            },
        }));
    if (rules.length === 0) return undefined;
    return clusterPolicy(
        TEAM_NODE_POOLS_POLICY,
        "Pods of a team that owns a node pool are placed on it: its taints tolerated, its label selected.",
        { background: false, webhookConfiguration: webhookConfiguration("Enforce"), rules },
        { [AUTOGEN_ANNOTATION]: "none" },
    );
}

/** A CEL string literal. */
const cel = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/**
 * The CEL expressions a team's pods must satisfy: no toleration without a key (it would tolerate every pool), a
 * team-pool taint key tolerated only as the team's own pool's taint (Equal, its value), and a node selector naming no
 * other pool.
 */
export function isolationExpressions(
    placement: TeamPlacement | undefined,
    guarded: { taintKeys: readonly string[]; poolLabelKey: string },
): { expression: string; message: string }[] {
    const guardedTaintKeys = guarded.taintKeys;
    const keys = `[${guardedTaintKeys.map(cel).join(", ")}]`;
    const own = (placement?.tolerations ?? []).map(
        (t) =>
            `(t.key == ${cel(t.key)} && (!has(t.operator) || t.operator == 'Equal') && has(t.value) && t.value == ${cel(t.value ?? "")})`,
    );
    const tolerated = own.length > 0 ? ` || ${own.join(" || ")}` : "";
    const selectorKeys = Object.keys(placement?.nodeSelector ?? {});
    const selector =
        selectorKeys.length > 0
            ? selectorKeys.map((k) => `object.spec.nodeSelector[${cel(k)}] == ${cel(placement?.nodeSelector[k] ?? "")}`).join(" && ")
            : "false";
    const pool = placement ? `only its own pool ${placement.pool}` : "no team pool";
    return [
        {
            expression: "!has(object.spec.tolerations) || object.spec.tolerations.all(t, has(t.key) && t.key != '')",
            message: "Team pods may not carry a toleration without a key: it tolerates every taint, the team pools' too.",
        },
        {
            // A keyless toleration is the first expression's (reading its key here would be an error, not a denial).
            expression: `!has(object.spec.tolerations) || object.spec.tolerations.all(t, !has(t.key) || !(t.key in ${keys})${tolerated})`,
            message: `The team's pods may tolerate ${pool}.`,
        },
        {
            expression: `!has(object.spec.nodeSelector) || !(${cel(guarded.poolLabelKey)} in object.spec.nodeSelector) || (${selector})`,
            message: `The team's pods may select ${pool}.`,
        },
    ];
}

/** One rule per team: its pods tolerate and select only its own pool (always enforced: it is the pools' isolation). */
export function teamPoolIsolationPolicy(pools: TeamPools, action: ValidationAction): ClusterPolicyObject | undefined {
    const teams = Object.keys(pools.namespaces).sort();
    if (teams.length === 0) return undefined;
    return clusterPolicy(
        TEAM_POOL_ISOLATION_POLICY,
        "A team's pods tolerate and select only their own team's node pool.",
        {
            background: true,
            webhookConfiguration: webhookConfiguration(action),
            rules: teams.map((team) => ({
                name: `${team}-isolation`,
                match: { any: [{ resources: { kinds: ["Pod"], namespaces: [...(pools.namespaces[team] ?? [])] } }] },
                validate: {
                    failureAction: "Enforce",
                    cel: {
                        expressions: isolationExpressions(pools.placements[team], {
                            taintKeys: pools.guardedTaintKeys,
                            poolLabelKey: pools.poolLabelKey,
                        }),
                    },
                },
            })),
        },
        { [AUTOGEN_ANNOTATION]: "none" },
    );
}

/** The rules of a Pod Security policy an exception names: the pod rule and the controllers' generated ones. */
const podSecurityRuleNames = (level: "baseline" | "restricted") => [level, `autogen-${level}`, `autogen-cronjob-${level}`];

function policyException(
    name: string,
    namespace: string,
    why: string,
    policies: ("baseline" | "restricted")[],
    namespaces: readonly string[],
): PolicyExceptionObject {
    return {
        apiVersion: "kyverno.io/v2",
        kind: "PolicyException",
        metadata: { name, namespace, labels: { ...LABELS }, annotations: { "eks-platform/why": why } },
        spec: {
            exceptions: policies.map((level) => ({ policyName: POD_SECURITY_POLICIES[level], ruleNames: podSecurityRuleNames(level) })),
            match: { any: [{ resources: { kinds: [...POD_KINDS], namespaces: [...namespaces].sort() } }] },
        },
    };
}

/**
 * The platform's own namespaces are excepted from the Pod Security policies: their controllers run host-networked or
 * privileged by design (CNI, node agents), Pod Security admission labels govern them, and the webhooks never see them;
 * the exception keeps the background scan's reports to what teams own.
 */
export const platformException = (exceptionNamespace: string, platformNamespaces: readonly string[]): PolicyExceptionObject =>
    policyException(
        "platform-namespaces",
        exceptionNamespace,
        "the platform's own components, governed by their namespaces' Pod Security labels",
        ["baseline", "restricted"],
        platformNamespaces,
    );

/** A team granted a Pod Security exception enforces baseline: the restricted policy does not apply to its namespaces. */
export const teamPodSecurityException = (
    exceptionNamespace: string,
    team: string,
    reason: string,
    namespaces: readonly string[],
): PolicyExceptionObject => policyException(`team-${team}-pod-security`, exceptionNamespace, reason, ["restricted"], namespaces);
