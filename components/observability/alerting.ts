// Alert routing: Alertmanager's configuration from eks-platform:observability.alerting (receivers, routes by
// severity, the default receiver, inhibition of lower severities), and what the receivers need: the stack's SNS topic
// with its policy and Alertmanager's Pod Identity role to publish to it, and a Kubernetes Secret with the Slack and
// PagerDuty keys, which the configuration reads from files. No key is ever in the Helm values or the plan.
// Alertmanager v0.34.0 (kube-prometheus-stack 88.5.3), docs/configuration.md at v0.34.0 (085f0ef7).
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import { podIdentityRole, policyDocument, type PolicyDocument } from "../lib/iam";
import { MONITORING_NAMESPACE } from "./values";

type Alerting = PlatformConfig["observability"]["alerting"];

/** The receiver that drops what it gets: the route of Watchdog, and the default when no receiver is configured. */
export const NULL_RECEIVER = "null";
/** The Secret holding the receivers' keys (one key per Pulumi secret name), mounted by Alertmanager. */
export const RECEIVER_SECRET = "alertmanager-receivers";
/** Where the Prometheus operator mounts alertmanagerSpec.secrets (kube-prometheus-stack values.yaml: /etc/alertmanager/secrets/). */
export const secretFile = (secretKey: string): string => `/etc/alertmanager/secrets/${RECEIVER_SECRET}/${secretKey}`;

export interface AlertmanagerReceiver {
    name: string;
    sns_configs?: { topic_arn: string; sigv4: { region: string }; send_resolved: true }[];
    slack_configs?: { api_url_file: string; channel: string; send_resolved: true }[];
    pagerduty_configs?: { routing_key_file: string; send_resolved: true }[];
}

export interface AlertmanagerConfig {
    global: { resolve_timeout: string };
    route: {
        receiver: string;
        group_by: string[];
        group_wait: string;
        group_interval: string;
        repeat_interval: string;
        routes: { receiver: string; matchers: string[] }[];
    };
    inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
    receivers: AlertmanagerReceiver[];
    templates: string[];
}

/**
 * A critical alert silences the warning and info alerts of the same alertname and namespace, a warning the info
 * ones: one page for one problem (kube-prometheus-stack's default rules, without its InfoInhibitor pair).
 */
export const INHIBIT_RULES: AlertmanagerConfig["inhibit_rules"] = [
    { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ["alertname", "namespace"] },
    { source_matchers: ['severity="warning"'], target_matchers: ['severity="info"'], equal: ["alertname", "namespace"] },
];

export interface AlertingTargets {
    /** The stack's topic, when a receiver publishes to SNS. */
    topicArn?: string;
    region: string;
}

/** Alertmanager's configuration: alerts no route takes go to the default receiver; Watchdog (always firing) nowhere. */
export function alertmanagerConfig(alerting: Alerting, targets: AlertingTargets): AlertmanagerConfig {
    const receivers: AlertmanagerReceiver[] = alerting.receivers.map((r) => {
        if (r.sns) {
            if (!targets.topicArn) throw new Error(`receiver ${r.name}: an SNS receiver needs the stack's topic`);
            return { name: r.name, sns_configs: [{ topic_arn: targets.topicArn, sigv4: { region: targets.region }, send_resolved: true }] };
        }
        if (r.slack)
            return {
                name: r.name,
                slack_configs: [{ api_url_file: secretFile(r.slack.webhookUrlSecret), channel: r.slack.channel, send_resolved: true }],
            };
        if (r.pagerduty)
            return {
                name: r.name,
                pagerduty_configs: [{ routing_key_file: secretFile(r.pagerduty.routingKeySecret), send_resolved: true }],
            };
        throw new Error(`receiver ${r.name}: configure one of sns, slack or pagerduty`);
    });
    return {
        global: { resolve_timeout: "5m" },
        route: {
            receiver: alerting.defaultReceiver ?? NULL_RECEIVER,
            group_by: ["alertname", "namespace"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "12h",
            routes: [
                { receiver: NULL_RECEIVER, matchers: ['alertname="Watchdog"'] },
                ...alerting.routes.map((r) => ({ receiver: r.receiver, matchers: [`severity="${r.severity}"`] })),
            ],
        },
        inhibit_rules: INHIBIT_RULES.map((r) => ({ ...r })),
        receivers: [{ name: NULL_RECEIVER }, ...receivers],
        templates: ["/etc/alertmanager/config/*.tmpl"],
    };
}

/** The Pulumi secrets the receivers need, by name (index.ts reads them with pulumi.Config().requireSecret). */
export type ReceiverSecrets = Readonly<Record<string, pulumi.Input<string>>>;

/** The topic's policy: Alertmanager's role may publish, over TLS only. */
export function alertTopicPolicy(topicArn: string, publisherRoleArn: string): PolicyDocument {
    return policyDocument(
        { Sid: "AlertmanagerPublishes", Effect: "Allow", Principal: { AWS: publisherRoleArn }, Action: "sns:Publish", Resource: topicArn },
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    );
}

export const publishPolicy = (topicArn: string): PolicyDocument =>
    policyDocument({ Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: topicArn });

export interface AlertingResources {
    topicArn?: pulumi.Output<string>;
    /** The Secret Alertmanager mounts, when a receiver needs a key. */
    secretName?: string;
    /** Alertmanager starts after these (its credentials and its keys). */
    dependsOn: pulumi.Resource[];
}

/**
 * The SNS topic (encrypted with the account's aws/sns key, whose key policy lets the account's principals use it
 * through SNS), its policy, Alertmanager's Pod Identity role, and the receivers' Secret.
 */
export function createAlerting(
    name: string,
    opts: {
        ctx: PlatformContext;
        parent: pulumi.Resource;
        alerting: Alerting;
        namespace: pulumi.Input<string>;
        serviceAccount: string;
        secrets: ReceiverSecrets;
    },
): AlertingResources {
    const { ctx, parent, alerting } = opts;
    const out: AlertingResources = { dependsOn: [] };
    if (alerting.receivers.some((r) => r.sns)) {
        const topic = new aws.sns.Topic(
            `${name}-alerts`,
            { name: `${ctx.clusterName}-alerts`, kmsMasterKeyId: "alias/aws/sns", displayName: `Alerts of ${ctx.clusterName}` },
            { parent },
        );
        const identity = podIdentityRole(
            `${name}-alertmanager`,
            {
                clusterName: ctx.cluster.clusterName,
                accountId: ctx.accountId,
                partition: ctx.partition,
                podIdentityAgent: ctx.podIdentityAgent,
            },
            {
                namespace: MONITORING_NAMESPACE,
                serviceAccount: opts.serviceAccount,
                description: `Alertmanager of ${ctx.clusterName}: publish alerts to its SNS topic`,
                inlinePolicies: { sns: topic.arn.apply((arn) => JSON.stringify(publishPolicy(arn))) },
            },
            parent,
        );
        const policy = new aws.sns.TopicPolicy(
            `${name}-alerts`,
            {
                arn: topic.arn,
                policy: pulumi.all([topic.arn, identity.role.arn]).apply(([t, r]) => JSON.stringify(alertTopicPolicy(t, r))),
            },
            { parent },
        );
        out.topicArn = topic.arn;
        out.dependsOn.push(identity.association, ...identity.policies, policy);
    }
    const keys = alerting.receivers.flatMap((r) =>
        [r.slack?.webhookUrlSecret, r.pagerduty?.routingKeySecret].filter((k): k is string => !!k),
    );
    if (keys.length > 0) {
        const stringData: Record<string, pulumi.Input<string>> = {};
        for (const key of keys) {
            const value = opts.secrets[key];
            if (value === undefined) throw new Error(`alerting: the Pulumi secret ${key} was not handed to the component`);
            // Secret outputs stay secret: encrypted in state, "[secret]" in the plan.
            stringData[key] = pulumi.secret(value);
        }
        const secret = new kubernetes.core.v1.Secret(
            `${name}-alertmanager-receivers`,
            { metadata: { name: RECEIVER_SECRET, namespace: opts.namespace }, type: "Opaque", stringData },
            { parent, provider: ctx.k8sProvider },
        );
        out.secretName = RECEIVER_SECRET;
        out.dependsOn.push(secret);
    }
    return out;
}
