// What a team gets inside the cluster and in EKS, as plain objects: its namespaces (team label, Pod Security
// Standards labels, Gateway labels), a ResourceQuota and a LimitRange in each, the Role and RoleBinding its
// Kubernetes group gets, and one access entry per IAM role with its access policy scoped to the team's namespaces.
// Pure; the Teams component declares them, the tests check them against the Kubernetes schemas.
import { TEAM_NAMESPACE_LABEL, teamGroup } from "../../lib/teams";
import type { PlatformConfig } from "../../stacks/config";

export { TEAM_NAMESPACE_LABEL, teamGroup } from "../../lib/teams";

export type TeamsSettings = PlatformConfig["teams"];
export type Team = TeamsSettings["teams"][number];
export type PodSecurityLevel = "baseline" | "restricted";

/** EKS access policies by level (arn:<partition>:eks::aws:cluster-access-policy/<name>; EKS user guide, access policies). */
export const ACCESS_POLICY_BY_LEVEL = { view: "AmazonEKSViewPolicy", edit: "AmazonEKSEditPolicy", admin: "AmazonEKSAdminPolicy" } as const;

/** PSA labels (kubernetes.io/docs/concepts/security/pod-security-admission): mode -> level, mode-version -> vX.Y. */
export function podSecurityLabels(enforce: PodSecurityLevel, kubernetesVersion: string): Record<string, string> {
    // The version pins the checks to the cluster's minor, so an upgrade cannot tighten them unreviewed.
    const version = `v${kubernetesVersion}`;
    const labels: Record<string, string> = {};
    for (const [mode, level] of [
        ["enforce", enforce],
        ["warn", "restricted"],
        ["audit", "restricted"],
    ] as const) {
        labels[`pod-security.kubernetes.io/${mode}`] = level;
        labels[`pod-security.kubernetes.io/${mode}-version`] = version;
    }
    return labels;
}

/** The level a team's namespaces enforce: the stack's, or baseline under a granted exception. */
export const teamEnforceLevel = (
    settings: Pick<TeamsSettings, "podSecurity">,
    team: Pick<Team, "podSecurityException">,
): PodSecurityLevel => (team.podSecurityException ? team.podSecurityException.enforce : settings.podSecurity.enforce);

export interface GatewayLabel {
    key: string;
    value: string;
}

export interface NamespaceObject {
    apiVersion: "v1";
    kind: "Namespace";
    metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
}

/** One team namespace: the team label, the PSS labels and the label of each Gateway the team's routes attach to. */
export function teamNamespaceObject(
    settings: Pick<TeamsSettings, "podSecurity">,
    team: Pick<Team, "name" | "podSecurityException">,
    namespace: string,
    opts: { kubernetesVersion: string; gatewayLabels: readonly GatewayLabel[] },
): NamespaceObject {
    const labels: Record<string, string> = {
        [TEAM_NAMESPACE_LABEL]: team.name,
        "app.kubernetes.io/managed-by": "pulumi",
        ...podSecurityLabels(teamEnforceLevel(settings, team), opts.kubernetesVersion),
    };
    for (const label of opts.gatewayLabels) labels[label.key] = label.value;
    const annotations: Record<string, string> = {};
    if (team.podSecurityException) annotations["eks-platform/pod-security-exception"] = team.podSecurityException.reason;
    return { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels, annotations } };
}

const managed = (team: string) => ({ [TEAM_NAMESPACE_LABEL]: team, "app.kubernetes.io/managed-by": "pulumi" });

/** The namespace's ResourceQuota (names as the API spells them: requests.cpu, services.loadbalancers, ...). */
export function resourceQuotaObject(team: Pick<Team, "name" | "quota">, namespace: string) {
    const q = team.quota;
    return {
        apiVersion: "v1" as const,
        kind: "ResourceQuota" as const,
        metadata: { name: "team-quota", namespace, labels: managed(team.name) },
        spec: {
            hard: {
                "requests.cpu": q.cpu,
                "requests.memory": q.memory,
                "limits.memory": q.memoryLimit,
                pods: String(q.pods),
                persistentvolumeclaims: String(q.persistentVolumeClaims),
                "requests.storage": q.storage,
                "services.loadbalancers": String(q.loadBalancers),
            },
        },
    };
}

/**
 * The namespace's LimitRange for containers: default requests (the quota needs every pod to request CPU and memory),
 * a default memory limit and a per-container maximum. No default CPU limit is written: Kubernetes then defaults it to
 * max.cpu, a ceiling rather than a throttle.
 */
export function limitRangeObject(team: Pick<Team, "name" | "limitRange">, namespace: string) {
    const l = team.limitRange;
    return {
        apiVersion: "v1" as const,
        kind: "LimitRange" as const,
        metadata: { name: "team-limits", namespace, labels: managed(team.name) },
        spec: {
            limits: [
                {
                    type: "Container",
                    defaultRequest: { cpu: l.defaultRequest.cpu, memory: l.defaultRequest.memory },
                    default: { memory: l.defaultLimit.memory },
                    max: { cpu: l.max.cpu, memory: l.max.memory },
                },
            ],
        },
    };
}

/**
 * What the EKS access policies do not cover (they hold only the built-in API groups): reading the namespace's Kyverno
 * policy reports. Bound to the team's Kubernetes group, which its access entries carry.
 */
export function policyReportRoleObjects(team: Pick<Team, "name">, namespace: string) {
    const name = "eks-platform:team-policy-reports";
    return {
        role: {
            apiVersion: "rbac.authorization.k8s.io/v1" as const,
            kind: "Role" as const,
            metadata: { name, namespace, labels: managed(team.name) },
            rules: [{ apiGroups: ["wgpolicyk8s.io"], resources: ["policyreports"], verbs: ["get", "list", "watch"] }],
        },
        binding: {
            apiVersion: "rbac.authorization.k8s.io/v1" as const,
            kind: "RoleBinding" as const,
            metadata: { name, namespace, labels: managed(team.name) },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
            subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: teamGroup(team.name) }],
        },
    };
}

export interface TeamAccessEntrySpec {
    /** Stable short key for logical names (the role's name, made unique within the team). */
    key: string;
    principalArn: string;
    kubernetesGroups: string[];
    policyArn: string;
    accessScope: { type: "namespace"; namespaces: string[] };
}

/** One access entry per IAM role of the team: its access policy scoped to the team's namespaces, its group for RBAC. */
export function teamAccessEntries(
    team: Pick<Team, "name" | "principals" | "access" | "namespaces">,
    partition: string,
): TeamAccessEntrySpec[] {
    const used = new Set<string>();
    return team.principals.map((principalArn) => {
        const base = (principalArn.split("/").pop() ?? principalArn).toLowerCase().replace(/[^a-z0-9-]/g, "-");
        let key = base;
        for (let n = 2; used.has(key); n++) key = `${base}-${n}`;
        used.add(key);
        return {
            key,
            principalArn,
            kubernetesGroups: [teamGroup(team.name)],
            policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${ACCESS_POLICY_BY_LEVEL[team.access]}`,
            accessScope: { type: "namespace", namespaces: [...team.namespaces] },
        };
    });
}
