// The Argo CD objects the platform declares, as plain objects validated against Argo CD v3.5.1's CRDs
// (tests/argocd/objects.test.ts): one AppProject per team, limited to the team's namespaces and repositories; the
// root project, whose repository may create only Applications in the Argo CD namespace; the root Application (app of
// apps); the local cluster of the managed capability; and the lock-down of the `default` project, so an Application
// cannot escape its team's project by naming that one.
import type { PlatformConfig } from "../../stacks/config";

type ArgoCd = PlatformConfig["delivery"]["argocd"];

export const ARGO_API_VERSION = "argoproj.io/v1alpha1";
export const ROOT_PROJECT = "platform-root";
export const ROOT_APPLICATION = "root";
/** The local cluster's name in Argo CD (its default for the in-cluster destination; the capability accepts it too). */
export const IN_CLUSTER = "in-cluster";
/** Self-managed Argo CD's address of its own cluster. */
export const IN_CLUSTER_SERVER = "https://kubernetes.default.svc";

/** A team as the teams section describes one: its name and namespaces. */
export interface TeamNamespaces {
    name: string;
    namespaces: readonly string[];
}

/**
 * Kinds a team's Applications may not create in its namespaces: the platform sets the quota, the limit range and the
 * network policy of a team namespace (the teams component), and an Application must not replace them.
 */
export const TEAM_DENIED_KINDS = [
    { group: "", kind: "ResourceQuota" },
    { group: "", kind: "LimitRange" },
    { group: "networking.k8s.io", kind: "NetworkPolicy" },
] as const;

/**
 * The destination server of the local cluster: https://kubernetes.default.svc for self-managed Argo CD; the cluster
 * ARN for the managed capability, which does not accept the in-cluster address (EKS User Guide, "Register target
 * clusters": "Use the EKS cluster ARN in the server field").
 */
export function destinationServer(mode: ArgoCd["mode"], clusterArn: string): string {
    return mode === "managed" ? clusterArn : IN_CLUSTER_SERVER;
}

export function teamProject(team: TeamNamespaces, sourceRepos: readonly string[], namespace: string, server: string) {
    return {
        apiVersion: ARGO_API_VERSION,
        kind: "AppProject",
        metadata: { name: team.name, namespace, labels: { "eks-platform/team": team.name } },
        spec: {
            description: `Applications of team ${team.name}: its namespaces only`,
            sourceRepos: [...sourceRepos],
            destinations: team.namespaces.map((ns) => ({ server, namespace: ns })),
            // Nothing cluster-scoped: namespaces, CRDs and cluster roles are the platform's.
            clusterResourceWhitelist: [],
            namespaceResourceBlacklist: TEAM_DENIED_KINDS.map((k) => ({ ...k })),
            orphanedResources: { warn: true },
        },
    };
}

/** The root project: its repository may create Applications in the Argo CD namespace and nothing else. */
export function rootProject(root: NonNullable<ArgoCd["root"]>, namespace: string, server: string) {
    return {
        apiVersion: ARGO_API_VERSION,
        kind: "AppProject",
        metadata: { name: ROOT_PROJECT, namespace },
        spec: {
            description: "The root Application: Applications only, each in a team's project",
            sourceRepos: [root.repoURL],
            destinations: [{ server, namespace }],
            clusterResourceWhitelist: [],
            namespaceResourceWhitelist: [{ group: "argoproj.io", kind: "Application" }],
        },
    };
}

export function rootApplication(root: NonNullable<ArgoCd["root"]>, namespace: string, server: string) {
    return {
        apiVersion: ARGO_API_VERSION,
        kind: "Application",
        metadata: { name: ROOT_APPLICATION, namespace },
        spec: {
            project: ROOT_PROJECT,
            source: { repoURL: root.repoURL, path: root.path, targetRevision: root.targetRevision, directory: { recurse: true } },
            destination: { server, namespace },
            syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["ServerSideApply=true"] },
        },
    };
}

/** What the `default` project may do afterwards: nothing (Argo CD recreates it if deleted, so it is emptied instead). */
export function lockedDefaultProject(namespace: string) {
    return {
        apiVersion: ARGO_API_VERSION,
        kind: "AppProject",
        metadata: { name: "default", namespace },
        spec: { sourceRepos: [], destinations: [], clusterResourceWhitelist: [], namespaceResourceWhitelist: [] },
    };
}

/**
 * The managed capability's local cluster: the capability does not register it (EKS User Guide, "Register target
 * clusters"), a cluster Secret with the cluster ARN as server does. It holds no credential: the capability's role signs
 * in through its access entry.
 */
export function localClusterSecret(clusterArn: string, namespace: string) {
    return {
        metadata: { name: IN_CLUSTER, namespace, labels: { "argocd.argoproj.io/secret-type": "cluster" } },
        stringData: { name: IN_CLUSTER, server: clusterArn },
    };
}

export const clusterArnOf = (s: { partition: string; region: string; accountId: string; clusterName: string }): string =>
    `arn:${s.partition}:eks:${s.region}:${s.accountId}:cluster/${s.clusterName}`;

/** The team projects' repositories: the config's per-team list, none for a team it does not name. */
export function teamProjects(
    teams: readonly TeamNamespaces[],
    a: Pick<ArgoCd, "teamSourceRepos" | "namespace" | "mode">,
    clusterArn: string,
) {
    const server = destinationServer(a.mode, clusterArn);
    return teams.map((team) => teamProject(team, a.teamSourceRepos[team.name] ?? [], a.namespace, server));
}
