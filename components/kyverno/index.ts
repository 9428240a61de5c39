// eks-platform:kyverno:Kyverno — the Kyverno chart on the system nodes (HA in prod) and the platform's admission
// policies: Pod Security baseline and restricted, the teams' images and resources, and the team node pools; the
// exceptions for the platform's namespaces and for teams granted one. Its resource webhooks see only team namespaces,
// so nothing the platform itself runs waits on Kyverno, on the first `up` or ever (docs/teams.md).
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import { platformRelease } from "../lib/helm";
import {
    platformException,
    podSecurityPolicy,
    teamImagesPolicy,
    teamNodePoolsPolicy,
    teamPodSecurityException,
    teamPoolIsolationPolicy,
    teamResourcesPolicy,
    type ClusterPolicyObject,
    type PolicyExceptionObject,
} from "./policies";
import { KYVERNO_CHART, KYVERNO_NAMESPACE, KYVERNO_REPOSITORY, kyvernoValues } from "./values";

export * from "./policies";
export * from "./values";

export interface KyvernoArgs {
    /** The platform context: the chart runs on the system nodes. */
    ctx: PlatformContext;
    config: PlatformConfig["teams"];
    /** The stack's own registry host (its ECR): team images may come from its repositories besides config.allowedRegistries. */
    registryHost: pulumi.Input<string>;
    /** Each team's namespaces. */
    teamNamespaces: Readonly<Record<string, readonly string[]>>;
    /** The platform's namespaces: excepted from the Pod Security policies' reports. */
    platformNamespaces: readonly string[];
    /** kube-prometheus-stack, when it runs: ServiceMonitors need its CRDs; with Grafana, the dashboard. */
    monitoring?: { release: pulumi.Resource; grafana: boolean };
    /** The team namespaces: the team policies' exceptions name them. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class Kyverno extends pulumi.ComponentResource {
    readonly release: kubernetes.helm.v3.Release;
    readonly policies: kubernetes.apiextensions.CustomResource[] = [];
    readonly exceptions: kubernetes.apiextensions.CustomResource[] = [];

    constructor(name: string, args: KyvernoArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:kyverno:Kyverno", name, {}, opts);
        const { ctx, config } = args;
        const k8s = { parent: this, provider: ctx.k8sProvider };
        const action = config.kyverno.validationFailureAction;

        const namespace = new kubernetes.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: KYVERNO_NAMESPACE,
                    labels: {
                        "app.kubernetes.io/managed-by": "pulumi",
                        "pod-security.kubernetes.io/enforce": "baseline",
                        "pod-security.kubernetes.io/warn": "restricted",
                    },
                },
            },
            k8s,
        );
        this.release = platformRelease(
            `${name}-release`,
            ctx,
            {
                release: KYVERNO_CHART,
                source: { chart: KYVERNO_CHART, repo: KYVERNO_REPOSITORY },
                version: config.kyverno.chartVersion,
                namespace: namespace.metadata.name,
                values: kyvernoValues({
                    config: config.kyverno,
                    system: ctx.system,
                    serviceMonitors: !!args.monitoring,
                    dashboard: args.monitoring?.grafana ?? false,
                }),
                timeout: 600,
                dependsOn: args.monitoring ? [args.monitoring.release] : [],
            },
            this,
        );

        // Policies and exceptions need the chart's CRDs and its admission controller (which validates them).
        const after = { ...k8s, dependsOn: [this.release, ...(args.dependsOn ?? [])] };
        const declare = (
            object: pulumi.Input<ClusterPolicyObject | PolicyExceptionObject>,
            logical: string,
            kind: { apiVersion: string; kind: string },
        ) => {
            const o = pulumi.output(object);
            return new kubernetes.apiextensions.CustomResource(
                `${name}-${logical}`,
                { apiVersion: kind.apiVersion, kind: kind.kind, metadata: o.metadata, spec: o.spec },
                after,
            );
        };
        const policy = (object: pulumi.Input<ClusterPolicyObject>, logical: string) =>
            this.policies.push(declare(object, logical, { apiVersion: "kyverno.io/v1", kind: "ClusterPolicy" }));
        const exception = (object: PolicyExceptionObject, logical: string) =>
            this.exceptions.push(declare(object, logical, { apiVersion: object.apiVersion, kind: object.kind }));
        policy(podSecurityPolicy("baseline", action), "pod-security-baseline");
        policy(podSecurityPolicy("restricted", action), "pod-security-restricted");
        // The stack's repositories (<registry host>/<cluster>/...) are known once the account is: the rules name them.
        policy(
            pulumi
                .output(args.registryHost)
                .apply((host) => teamImagesPolicy([`${host}/${ctx.clusterName}`, ...config.allowedRegistries], action)),
            "team-images",
        );
        policy(teamResourcesPolicy(action), "team-resources");
        const pools = {
            namespaces: args.teamNamespaces,
            placements: config.placements,
            guardedTaintKeys: config.guardedTaintKeys,
            poolLabelKey: config.poolLabelKey,
        };
        const isolation = teamPoolIsolationPolicy(pools, action);
        if (isolation) policy(isolation, "team-pool-isolation");
        const placement = teamNodePoolsPolicy(pools);
        if (placement) policy(placement, "team-node-pools");

        exception(platformException(KYVERNO_NAMESPACE, args.platformNamespaces), "platform-namespaces");
        for (const team of config.teams) {
            if (!team.podSecurityException) continue;
            exception(
                teamPodSecurityException(KYVERNO_NAMESPACE, team.name, team.podSecurityException.reason, team.namespaces),
                `team-${team.name}-pod-security`,
            );
        }
        this.registerOutputs({ release: this.release.name, policies: this.policies.length, exceptions: this.exceptions.length });
    }
}
