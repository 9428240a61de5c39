// AWS-native options: Container Insights (the amazon-cloudwatch-observability EKS add-on) and X-Ray tracing through
// the ADOT EKS add-on, each with its IAM role bound to the add-on's service account through EKS Pod Identity.
import type * as pulumi from "@pulumi/pulumi";
import { eksAddon, type InstalledAddon } from "../lib/addons";
import type { PlatformContext } from "../lib/context";

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

function addonWithRole(
    name: string,
    ctx: PlatformContext,
    parent: pulumi.Resource,
    key: keyof typeof ADDON_IDENTITIES,
    version: string,
    configuration: Record<string, unknown>,
    description: string,
    dependsOn: pulumi.Resource[] = [],
): InstalledAddon {
    const identity = ADDON_IDENTITIES[key];
    const scope = {
        clusterName: ctx.cluster.clusterName,
        accountId: ctx.accountId,
        partition: ctx.partition,
        podIdentityAgent: ctx.podIdentityAgent,
    };
    return eksAddon(
        name,
        scope,
        {
            key: identity.addonName,
            addonName: identity.addonName,
            version,
            configurationValues: configuration,
            identityName: key === "adot" ? "adot" : "container-insights",
            podIdentity: {
                namespace: identity.namespace,
                serviceAccount: identity.serviceAccount,
                managedPolicies: identity.managedPolicies,
                description,
            },
        },
        { parent, dependsOn: [ctx.systemNodeGroup, ...dependsOn] },
    );
}

export function createContainerInsights(
    name: string,
    ctx: PlatformContext,
    parent: pulumi.Resource,
    version: string,
    ourFluentBitShipsLogs: boolean,
) {
    return addonWithRole(
        name,
        ctx,
        parent,
        "containerInsights",
        version,
        { ...containerInsightsConfiguration(ourFluentBitShipsLogs) },
        "Container Insights: the CloudWatch agent's metrics and X-Ray segments",
    );
}

/** The ADOT add-on, after cert-manager: its operator's webhooks get their certificates from it (EKS user guide, ADOT prerequisites). */
export function createAdot(name: string, ctx: PlatformContext, parent: pulumi.Resource, version: string, certManager: pulumi.Resource[]) {
    return addonWithRole(
        name,
        ctx,
        parent,
        "adot",
        version,
        { ...adotConfiguration() },
        "ADOT OTLP ingest collector: send traces to X-Ray",
        certManager,
    );
}
