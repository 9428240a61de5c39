// The eks-platform:fargate section: Fargate profiles by namespace, and what Fargate needs instead of what it lacks:
// its built-in Fluent Bit log router (DaemonSets do not run there), IRSA roles (the Pod Identity agent is a DaemonSet
// too). The rules refuse a Fargate namespace that Karpenter placement or the platform claims, and warn where one
// expects what Fargate does not do (network policy, node agents).
import { z } from "zod";
import { dnsLabel, labelKey, labelValue, logRetentionDays, type DeepPartial, type Environment } from "./common";
import type { KarpenterConfig } from "./karpenter";
import type { ObservabilityConfig } from "./observability";
import { defineRule, problems, type Rule } from "./rule";
import { RESERVED_NAMESPACES, type TeamsSettings } from "./teams";

/** An AWS managed policy by name (its ARN is built with the stack's partition). */
const managedPolicyName = z
    .string()
    .regex(/^[A-Za-z0-9+=,.@_-]{1,128}$/, "must be an AWS managed policy name such as AmazonS3ReadOnlyAccess (not an ARN)");

export const fargateProfileSchema = z
    .strictObject({
        name: dnsLabel.describe("The Fargate profile's name (one EKS Fargate profile)."),
        namespaces: z
            .array(dnsLabel)
            .min(1, "must list at least one namespace")
            .max(5, "must list at most 5 namespaces: EKS takes at most 5 selectors per Fargate profile")
            .describe("Namespaces whose pods run on Fargate (one selector each); the platform creates those no team owns."),
        labels: z
            .record(labelKey, labelValue)
            .optional()
            .describe("Only pods with these labels (every selector of the profile gets them)."),
        serviceAccounts: z
            .array(
                z
                    .strictObject({
                        namespace: dnsLabel.describe("The service account's namespace (one of the profile's)."),
                        name: dnsLabel.describe("The service account's name."),
                        managedPolicies: z
                            .array(managedPolicyName)
                            .min(1, "must list at least one managed policy")
                            .describe("AWS managed policies of its IAM role."),
                    })
                    .describe("A service account whose pods get AWS credentials through IRSA."),
            )
            .optional()
            .describe(
                "Service accounts the platform creates with an IRSA role (EKS Pod Identity does not reach Fargate pods: its agent is a DaemonSet).",
            ),
    })
    .describe("A Fargate profile.");
export type FargateProfileConfig = z.infer<typeof fargateProfileSchema>;

export const fargateSchema = z
    .strictObject({
        profiles: z.array(fargateProfileSchema).describe("Fargate profiles, in the private subnets, with the stack's pod execution role."),
        logging: z
            .strictObject({
                enabled: z
                    .boolean()
                    .describe(
                        "Ship Fargate pods' logs through Fargate's built-in Fluent Bit router (the aws-observability namespace and its aws-logging ConfigMap) to a CloudWatch Logs group.",
                    ),
                retentionDays: logRetentionDays.describe("Days the Fargate log group keeps events."),
            })
            .describe("Fargate logging (only with profiles)."),
    })
    .describe("Fargate: profiles by namespace, their pod execution role, logging and IRSA roles.");
export type FargateConfig = z.infer<typeof fargateSchema>;

export const fargateDefaults: Record<Environment, DeepPartial<z.input<typeof fargateSchema>>> = {
    dev: { profiles: [], logging: { enabled: true, retentionDays: 7 } },
    staging: { profiles: [], logging: { enabled: true, retentionDays: 30 } },
    prod: { profiles: [], logging: { enabled: true, retentionDays: 90 } },
};

/** Every namespace of every profile. */
export const fargateNamespaces = (f: Pick<FargateConfig, "profiles">): string[] => [...new Set(f.profiles.flatMap((p) => p.namespaces))];

const at = (...path: (string | number)[]) => ["eks-platform:fargate", ...path];

type View = { fargate: FargateConfig; teams: TeamsSettings; karpenter: KarpenterConfig; observability: ObservabilityConfig };

export const fargateRules: readonly Rule<View>[] = [
    defineRule({
        needs: ["fargate.profiles"],
        summary:
            "profile names and namespaces are unique across profiles; a service account's namespace is one of its profile's; no platform namespace runs on Fargate",
        reports: ["eks-platform:fargate.profiles"],
        check: ({ fargate }) => {
            const p = problems();
            const names = new Set<string>();
            const owner = new Map<string, string>();
            fargate.profiles.forEach((profile, i) => {
                if (names.has(profile.name)) p.add(at("profiles", i, "name"), `must be unique: another profile is named ${profile.name}`);
                names.add(profile.name);
                profile.namespaces.forEach((namespace, n) => {
                    const other = owner.get(namespace);
                    if (other !== undefined)
                        p.add(at("profiles", i, "namespaces", n), `must be in one profile: ${namespace} is already in profile ${other}`);
                    else owner.set(namespace, profile.name);
                    if ((RESERVED_NAMESPACES as readonly string[]).includes(namespace) || namespace === "aws-observability")
                        p.add(
                            at("profiles", i, "namespaces", n),
                            `must not be ${namespace}: the platform's components (or Kubernetes') run there on EC2 nodes, with DaemonSets and Pod Identity that Fargate lacks`,
                        );
                });
                (profile.serviceAccounts ?? []).forEach((sa, s) => {
                    if (!profile.namespaces.includes(sa.namespace))
                        p.add(
                            at("profiles", i, "serviceAccounts", s, "namespace"),
                            `must be one of the profile's namespaces (${profile.namespaces.join(", ")})`,
                        );
                });
            });
            return p.list;
        },
    }),
    defineRule({
        needs: ["fargate.profiles", "teams.teams", "karpenter.namespace"],
        summary:
            "a Fargate namespace is not a team namespace with a node pool (that team's pods are placed on its Karpenter pool), nor Karpenter's; warned: a team namespace on Fargate (its NetworkPolicies are not enforced there)",
        reports: ["eks-platform:fargate.profiles"],
        check: ({ fargate, teams, karpenter }) => {
            const p = problems();
            fargate.profiles.forEach((profile, i) =>
                profile.namespaces.forEach((namespace, n) => {
                    const here = at("profiles", i, "namespaces", n);
                    // A reserved namespace (kube-system, Karpenter's default) is reported by the rule above.
                    if (namespace === karpenter.namespace && !(RESERVED_NAMESPACES as readonly string[]).includes(namespace))
                        p.add(here, `must not be ${namespace}: Karpenter's controller runs there on the system nodes`);
                    const team = teams.teams.find((t) => t.namespaces.includes(namespace));
                    if (!team) return;
                    if (team.nodePool !== undefined)
                        p.add(
                            here,
                            `must not be a namespace of team ${team.name}, which has the node pool ${team.nodePool} (eks-platform:teams.teams[].nodePool): Kyverno places that team's pods on the pool's nodes, Fargate would take them first; choose one`,
                        );
                    else
                        p.warn(
                            here,
                            `is team ${team.name}'s namespace: its NetworkPolicies (default deny and declared flows) are not enforced on Fargate pods (neither the VPC CNI's network policy agent nor Calico runs on Fargate; EKS user guide, network policy considerations)`,
                        );
                }),
            );
            return p.list;
        },
    }),
    defineRule({
        needs: ["fargate.profiles", "fargate.logging", "observability.logs", "observability.containerInsights"],
        summary:
            "warned: Fargate namespaces whose logs no one ships (observability.logs ships container logs, but Fluent Bit is a DaemonSet and Fargate's own router is off), and Container Insights, whose agent (a DaemonSet) does not see Fargate pods",
        reports: ["eks-platform:fargate.logging.enabled", "eks-platform:fargate.profiles"],
        check: ({ fargate, observability }) => {
            const p = problems();
            if (fargate.profiles.length > 0 && observability.containerInsights.enabled)
                p.warn(
                    at("profiles"),
                    `put pods of ${fargateNamespaces(fargate).join(", ")} on Fargate, where Container Insights' CloudWatch agent, a DaemonSet, does not run: those pods get no Container Insights metrics`,
                );
            if (fargate.profiles.length > 0 && !fargate.logging.enabled && observability.logs !== "none")
                p.warn(
                    at("logging", "enabled"),
                    `is false while Fargate profiles exist: container logs go to ${observability.logs} through Fluent Bit, a DaemonSet, which does not run on Fargate, so the logs of pods in ${fargateNamespaces(fargate).join(", ")} are lost; turn on Fargate's log router`,
                );
            return p.list;
        },
    }),
];
