// AWS-native options: Container Insights (the amazon-cloudwatch-observability EKS add-on) and X-Ray tracing through
// the ADOT EKS add-on, each with its IAM role bound to the add-on's service account through EKS Pod Identity.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityRole } from "../lib/iam";

/** Service accounts the add-ons run their agents as (AWS docs: Container Insights quick start, ADOT OTLP ingest). */
export const ADDON_IDENTITIES = {
    containerInsights: {
        addonName: "amazon-cloudwatch-observability",
        namespace: "amazon-cloudwatch",
        serviceAccount: "cloudwatch-agent",
        managedPolicies: ["CloudWatchAgentServerPolicy", "AWSXrayWriteOnlyAccess"],
    },
    adot: {
        addonName: "adot",
        namespace: "opentelemetry-operator-system",
        serviceAccount: "adot-col-otlp-ingest",
        managedPolicies: ["AWSXrayWriteOnlyAccess"],
    },
} as const;

export interface ContainerInsightsConfiguration {
    containerLogs: { enabled: boolean };
}

/**
 * The add-on's own Fluent Bit ships container logs to CloudWatch too; when our Fluent Bit already ships them
 * (to Loki or CloudWatch), the add-on's is switched off so each line is stored (and paid for) once.
 */
export function containerInsightsConfiguration(ourFluentBitShipsLogs: boolean): ContainerInsightsConfiguration {
    return { containerLogs: { enabled: !ourFluentBitShipsLogs } };
}

export interface AdotConfiguration {
    collector: { otlpIngest: { pipelines: { traces: { xray: { enabled: true } } } } };
}

/** ADOT's preconfigured OTLP ingest collector (add-on v0.88+ schema) exporting traces to X-Ray. */
export function adotConfiguration(): AdotConfiguration {
    return { collector: { otlpIngest: { pipelines: { traces: { xray: { enabled: true } } } } } };
}

export interface AddonContext {
    name: string;
    parent: pulumi.Resource;
    clusterName: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    podIdentityAgent: pulumi.Resource;
    nodeDependencies: pulumi.Resource[];
}

function addonWithRole(
    ctx: AddonContext,
    key: keyof typeof ADDON_IDENTITIES,
    version: string,
    configuration: object,
    description: string,
): { addon: aws.eks.Addon; role: aws.iam.Role } {
    const identity = ADDON_IDENTITIES[key];
    const { role, association } = podIdentityRole(
        `${ctx.name}-${key === "adot" ? "adot" : "container-insights"}`,
        {
            clusterName: ctx.clusterName,
            accountId: ctx.accountId,
            partition: ctx.partition,
            namespace: identity.namespace,
            serviceAccount: identity.serviceAccount,
            managedPolicies: [...identity.managedPolicies],
            description,
            dependsOn: [ctx.podIdentityAgent],
        },
        ctx.parent,
    );
    const addon = new aws.eks.Addon(
        `${ctx.name}-${identity.addonName}`,
        {
            clusterName: ctx.clusterName,
            addonName: identity.addonName,
            addonVersion: version,
            configurationValues: JSON.stringify(configuration),
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
        },
        { parent: ctx.parent, dependsOn: [...ctx.nodeDependencies, association] },
    );
    return { addon, role };
}

export function createContainerInsights(ctx: AddonContext, version: string, ourFluentBitShipsLogs: boolean) {
    return addonWithRole(
        ctx,
        "containerInsights",
        version,
        containerInsightsConfiguration(ourFluentBitShipsLogs),
        "Container Insights: the CloudWatch agent's metrics and X-Ray segments",
    );
}

export function createAdot(ctx: AddonContext, version: string) {
    return addonWithRole(ctx, "adot", version, adotConfiguration(), "ADOT OTLP ingest collector: send traces to X-Ray");
}
