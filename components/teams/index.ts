// eks-platform:teams:Teams — each application team's namespaces (team, Pod Security and Gateway labels), a
// ResourceQuota and a LimitRange in each, the Role its Kubernetes group gets for its policy reports, and one EKS access
// entry per IAM role with its access policy scoped to the team's namespaces. The namespaces' network isolation is
// declared as traffic (namespaceTraffic) for the CNI's baseline policy; the ECR repositories are TeamRegistries'.
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { TEAM_TAG } from "../../lib/teams";
import type { PlatformContext } from "../lib/context";
import type { NamespaceTraffic } from "../lib/contracts";
import { teamGateways, teamNamespaceTraffic, type TeamGatewaySource } from "./network";
import {
    limitRangeObject,
    policyReportRoleObjects,
    resourceQuotaObject,
    teamAccessEntries,
    teamNamespaceObject,
    type TeamsSettings,
} from "./objects";

export * from "./ecr";
export * from "./network";
export * from "./objects";
export * from "./registries";

export interface TeamsArgs {
    /** The platform context: the cluster the access entries belong to, the Kubernetes provider. */
    ctx: PlatformContext;
    config: TeamsSettings;
    /** The cluster's Kubernetes minor: the Pod Security labels' version. */
    kubernetesVersion: string;
    /** The shared Gateways of the stack by key (the ingress component's attachments). */
    gateways: Readonly<Record<string, TeamGatewaySource>>;
    /** Namespaces whose Prometheus scrapes team pods (empty without one). */
    metricsScrapers: readonly string[];
}

export class Teams extends pulumi.ComponentResource {
    /** Every team namespace (the baseline policies and Kyverno's policies wait for them). */
    readonly namespaces: kubernetes.core.v1.Namespace[] = [];
    /** Team namespace names by team. */
    readonly namespacesByTeam: Record<string, string[]> = {};
    /** Traffic of the team namespaces, for the baseline network policy (index.ts passes it on). */
    readonly namespaceTraffic: NamespaceTraffic[] = [];
    readonly accessEntries: aws.eks.AccessEntry[] = [];

    constructor(name: string, args: TeamsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:teams:Teams", name, {}, opts);
        const { ctx, config } = args;
        const k8s = { parent: this, provider: ctx.k8sProvider };

        for (const team of config.teams) {
            const prefix = `${name}-${team.name}`;
            const gatewayLabels = teamGateways(team, args.gateways).map((g) => g.namespaceLabel);
            this.namespacesByTeam[team.name] = [...team.namespaces];
            for (const ns of team.namespaces) {
                const object = teamNamespaceObject(config, team, ns, { kubernetesVersion: args.kubernetesVersion, gatewayLabels });
                const namespace = new kubernetes.core.v1.Namespace(`${prefix}-${ns}`, { metadata: object.metadata }, k8s);
                this.namespaces.push(namespace);
                // The namespace's name as an output: each object below waits for its namespace.
                const inNamespace = <T extends { metadata: { namespace: string } }>(o: T) => ({
                    ...o,
                    metadata: { ...o.metadata, namespace: namespace.metadata.name },
                });
                const quota = inNamespace(resourceQuotaObject(team, ns));
                new kubernetes.core.v1.ResourceQuota(`${prefix}-${ns}-quota`, { metadata: quota.metadata, spec: quota.spec }, k8s);
                const limits = inNamespace(limitRangeObject(team, ns));
                new kubernetes.core.v1.LimitRange(`${prefix}-${ns}-limits`, { metadata: limits.metadata, spec: limits.spec }, k8s);
                const rbac = policyReportRoleObjects(team, ns);
                const role = new kubernetes.rbac.v1.Role(`${prefix}-${ns}-policy-reports`, { ...inNamespace(rbac.role) }, k8s);
                new kubernetes.rbac.v1.RoleBinding(
                    `${prefix}-${ns}-policy-reports`,
                    {
                        metadata: inNamespace(rbac.binding).metadata,
                        roleRef: { ...rbac.binding.roleRef, name: role.metadata.name },
                        subjects: rbac.binding.subjects,
                    },
                    k8s,
                );
            }
            for (const entry of teamAccessEntries(team, ctx.partition)) {
                const accessEntry = new aws.eks.AccessEntry(
                    `${prefix}-${entry.key}`,
                    {
                        clusterName: ctx.cluster.clusterName,
                        principalArn: entry.principalArn,
                        type: "STANDARD",
                        kubernetesGroups: entry.kubernetesGroups,
                        tags: { [TEAM_TAG]: team.name },
                    },
                    { parent: this },
                );
                this.accessEntries.push(accessEntry);
                new aws.eks.AccessPolicyAssociation(
                    `${prefix}-${entry.key}`,
                    {
                        clusterName: ctx.cluster.clusterName,
                        principalArn: accessEntry.principalArn,
                        policyArn: entry.policyArn,
                        accessScope: entry.accessScope,
                    },
                    { parent: this },
                );
            }
            this.namespaceTraffic.push(...teamNamespaceTraffic(team, { gateways: args.gateways, metricsScrapers: args.metricsScrapers }));
        }
        this.registerOutputs({ teams: config.teams.map((t) => t.name), namespaces: this.namespacesByTeam });
    }
}
