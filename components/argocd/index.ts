// eks-platform:argocd:ArgoCd — Argo CD for applications, chosen per stack: self-managed (the argo-cd chart, pinned,
// on the system nodes, HA when configured, SSO from config) or the EKS managed capability (IAM Identity Center); in
// both, one AppProject per team limited to its namespaces and repositories, and a root Application (app of apps)
// whose repository may create only Applications.
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import { platformRelease } from "../lib/helm";
import { CAPABILITY_NAME, capabilityAccessSpecs, capabilityConfiguration, capabilityTrustPolicy } from "./managed";
import {
    clusterArnOf,
    destinationServer,
    localClusterSecret,
    lockedDefaultProject,
    rootApplication,
    rootProject,
    teamProject,
    type TeamNamespaces,
} from "./objects";
import { ARGOCD_CHART, ARGOCD_RELEASE, argocdValues, SSO_SECRET } from "./values";

export * from "./managed";
export * from "./objects";
export * from "./values";

export interface ArgoCdArgs {
    ctx: PlatformContext;
    config: PlatformConfig["delivery"]["argocd"];
    /** The application teams (the teams section's teams): one AppProject each. */
    teams: readonly TeamNamespaces[];
    /** The OIDC client secret (the Pulumi secret eks-platform:argocdSsoClientSecret), with sso. */
    ssoClientSecret?: pulumi.Input<string>;
}

export class ArgoCd extends pulumi.ComponentResource {
    readonly namespace: string;
    readonly release?: kubernetes.helm.v3.Release;
    readonly capability?: aws.eks.Capability;
    readonly projects: kubernetes.apiextensions.CustomResource[] = [];
    readonly rootApplication?: kubernetes.apiextensions.CustomResource;

    constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:argocd:ArgoCd", name, {}, opts);
        const { ctx, config } = args;
        this.namespace = config.namespace;
        const k8s = { parent: this, provider: ctx.k8sProvider };
        const clusterArn = ctx.accountId.apply((accountId) =>
            clusterArnOf({ partition: ctx.partition, region: ctx.region, accountId, clusterName: ctx.clusterName }),
        );
        // What the projects and the root Application wait for: the CRDs and a running Argo CD.
        let ready: pulumi.Resource[];

        if (config.mode === "self-managed") {
            const ns = new kubernetes.core.v1.Namespace(
                `${name}-namespace`,
                { metadata: { name: config.namespace, labels: { "app.kubernetes.io/managed-by": "pulumi" } } },
                k8s,
            );
            const dependsOn: pulumi.Resource[] = [ns];
            if (config.sso && args.ssoClientSecret) {
                dependsOn.push(
                    new kubernetes.core.v1.Secret(
                        `${name}-sso`,
                        {
                            metadata: {
                                name: SSO_SECRET.name,
                                namespace: config.namespace,
                                labels: { "app.kubernetes.io/part-of": "argocd" },
                            },
                            type: "Opaque",
                            stringData: { [SSO_SECRET.key]: pulumi.secret(args.ssoClientSecret) },
                        },
                        { ...k8s, dependsOn: [ns] },
                    ),
                );
            }
            this.release = platformRelease(
                `${name}-argocd`,
                ctx,
                {
                    release: ARGOCD_RELEASE,
                    source: ARGOCD_CHART,
                    version: config.chartVersion,
                    namespace: config.namespace,
                    values: argocdValues(config, ctx.system),
                    timeout: 900,
                    dependsOn,
                },
                this,
            );
            ready = [this.release];
            // Argo CD makes the `default` project at start-up; emptied so no Application can use it.
            new kubernetes.apiextensions.CustomResourcePatch(`${name}-default-project`, lockedDefaultProject(config.namespace), {
                ...k8s,
                dependsOn: ready,
            });
        } else if (config.mode === "managed") {
            const role = new aws.iam.Role(
                `${name}-capability`,
                {
                    description: `EKS Argo CD capability of ${ctx.clusterName}`,
                    assumeRolePolicy: ctx.accountId.apply((account) => JSON.stringify(capabilityTrustPolicy(account))),
                },
                { parent: this },
            );
            const capability = new aws.eks.Capability(
                `${name}-capability`,
                {
                    clusterName: ctx.cluster.clusterName,
                    capabilityName: CAPABILITY_NAME,
                    type: "ARGOCD",
                    roleArn: role.arn,
                    // The only value the API accepts: the Argo CD objects stay in the cluster when the capability goes.
                    deletePropagationPolicy: "RETAIN",
                    configuration: capabilityConfiguration(config),
                },
                { parent: this },
            );
            this.capability = capability;
            const associations = capabilityAccessSpecs(
                args.teams.flatMap((t) => t.namespaces),
                ctx.partition,
            ).map(
                (spec) =>
                    new aws.eks.AccessPolicyAssociation(
                        `${name}-capability-${spec.key}`,
                        {
                            clusterName: ctx.cluster.clusterName,
                            principalArn: role.arn,
                            policyArn: spec.policyArn,
                            accessScope: spec.accessScope,
                        },
                        // EKS made the role's access entry with the capability.
                        { parent: this, dependsOn: [capability] },
                    ),
            );
            const secret = new kubernetes.core.v1.Secret(
                `${name}-local-cluster`,
                {
                    metadata: localClusterSecret("", config.namespace).metadata,
                    stringData: clusterArn.apply((arn) => localClusterSecret(arn, config.namespace).stringData),
                },
                { ...k8s, dependsOn: [capability] },
            );
            ready = [capability, secret, ...associations];
        } else {
            this.registerOutputs({});
            return;
        }

        const server = clusterArn.apply((arn) => destinationServer(config.mode, arn));
        for (const team of args.teams) {
            const repos = config.teamSourceRepos[team.name] ?? [];
            const project = teamProject(team, repos, config.namespace, "");
            this.projects.push(
                new kubernetes.apiextensions.CustomResource(
                    `${name}-project-${team.name}`,
                    { ...project, spec: server.apply((s) => teamProject(team, repos, config.namespace, s).spec) },
                    { ...k8s, dependsOn: ready },
                ),
            );
        }
        if (config.root) {
            const root = config.root;
            const project = new kubernetes.apiextensions.CustomResource(
                `${name}-root-project`,
                { ...rootProject(root, config.namespace, ""), spec: server.apply((s) => rootProject(root, config.namespace, s).spec) },
                { ...k8s, dependsOn: ready },
            );
            this.rootApplication = new kubernetes.apiextensions.CustomResource(
                `${name}-root`,
                {
                    ...rootApplication(root, config.namespace, ""),
                    spec: server.apply((s) => rootApplication(root, config.namespace, s).spec),
                },
                { ...k8s, dependsOn: [...ready, project, ...this.projects] },
            );
        }
        this.registerOutputs({ namespace: this.namespace });
    }
}
