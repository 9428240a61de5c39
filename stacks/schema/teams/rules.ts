// Rules over the teams section that need more than one value: unique names and owners of namespaces, principals and
// pools, quotas against limit ranges, Kyverno for team pools, and what prod requires.
import type { ClusterConfig } from "../cluster";
import { type Environment } from "../common";
import { type KarpenterConfig } from "../karpenter";
import { defineRule, problems, type Rule } from "../rule";

import { quotaLimitProblems, RESERVED_NAMESPACES, type TeamsSettings } from "./schema";

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
