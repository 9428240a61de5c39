// Alert routing: Alertmanager's configuration from eks-platform:observability.alerting (receivers, routes by severity,
// the default receiver, lower severities inhibited), the SNS topic the shipped staging and prod plans make with its
// policy and Alertmanager's Pod Identity role, the values against kube-prometheus-stack 88.5.3, and the config rules:
// every receiver's key is a Pulumi secret the stack sets, and only its name is in the config.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { alertmanagerConfig, alertTopicPolicy, INHIBIT_RULES, secretFile } from "../../components/observability/alerting";
import { kubePrometheusStackValues } from "../../components/observability/values";
import { platformConfigFor, type PlannedResource } from "../../plan";
import { unknownValuePaths } from "../helpers/chart-values";
import { configProblems, problemLine } from "../helpers/config";
import { referencePath } from "../helpers/reference";
import { sharedPlan } from "../helpers/shared-plan";

const alerting = {
    receivers: [
        { name: "platform", sns: {} },
        { name: "oncall", pagerduty: { routingKeySecret: "alertmanagerPagerdutyKey" } },
        { name: "chat", slack: { channel: "#platform-alerts", webhookUrlSecret: "alertmanagerSlackWebhook" } },
    ],
    defaultReceiver: "chat",
    routes: [
        { receiver: "oncall", severity: "critical" as const },
        { receiver: "platform", severity: "warning" as const },
    ],
};
const topicArn = "arn:aws:sns:eu-west-1:123456789012:eks-platform-prod-alerts";

describe("Alertmanager's configuration", () => {
    const config = alertmanagerConfig(alerting, { topicArn, region: "eu-west-1" });

    it("routes by severity before the default receiver, and drops Watchdog", () => {
        expect(config.route).toMatchObject({ receiver: "chat", group_by: ["alertname", "namespace"] });
        expect(config.route.routes).toEqual([
            { receiver: "null", matchers: ['alertname="Watchdog"'] },
            { receiver: "oncall", matchers: ['severity="critical"'] },
            { receiver: "platform", matchers: ['severity="warning"'] },
        ]);
        expect(alertmanagerConfig({ receivers: [], routes: [] }, { region: "eu-west-1" }).route.receiver).toBe("null");
    });

    it("inhibits lower severities of the same alertname and namespace", () => {
        expect(config.inhibit_rules).toEqual([
            { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ["alertname", "namespace"] },
            { source_matchers: ['severity="warning"'], target_matchers: ['severity="info"'], equal: ["alertname", "namespace"] },
        ]);
        expect(INHIBIT_RULES).toHaveLength(2);
    });

    it("publishes to the topic with SigV4, and reads the Slack and PagerDuty keys from the mounted Secret, never inline", () => {
        expect(config.receivers).toEqual([
            { name: "null" },
            { name: "platform", sns_configs: [{ topic_arn: topicArn, sigv4: { region: "eu-west-1" }, send_resolved: true }] },
            { name: "oncall", pagerduty_configs: [{ routing_key_file: secretFile("alertmanagerPagerdutyKey"), send_resolved: true }] },
            {
                name: "chat",
                slack_configs: [{ api_url_file: secretFile("alertmanagerSlackWebhook"), channel: "#platform-alerts", send_resolved: true }],
            },
        ]);
        expect(secretFile("k")).toBe("/etc/alertmanager/secrets/alertmanager-receivers/k");
        expect(JSON.stringify(config)).not.toMatch(/api_url"|routing_key"|service_key"/);
    });

    const file = referencePath("chart-values/kube-prometheus-stack-88.5.3.yaml");
    it.skipIf(!file)(
        "uses only keys of kube-prometheus-stack 88.5.3 (the receivers' Secret mounted through alertmanagerSpec.secrets)",
        () => {
            const values = kubePrometheusStackValues({
                storageClassName: "gp3",
                prometheus: { retention: "15d", storageGiB: 50, replicas: 2, requests: { cpu: "1", memory: "4Gi" } },
                alertmanager: { enabled: true, replicas: 2, config, secretName: "alertmanager-receivers" },
                grafana: { enabled: false, adminSecretName: "grafana-admin" },
            });
            expect(values.alertmanager).toMatchObject({
                serviceAccount: { create: true, name: "kube-prometheus-stack-alertmanager" },
                config,
                alertmanagerSpec: { secrets: ["alertmanager-receivers"] },
            });
            const defaults = parseYaml(fs.readFileSync(file as string, "utf8")) as Record<string, unknown>;
            expect(unknownValuePaths({ alertmanager: values.alertmanager }, defaults)).toEqual([]);
        },
    );
});

describe("the SNS topic in the shipped plans", () => {
    const of = (stack: string, type: string) => sharedPlan(stack).resources.filter((r) => r.type === type);
    const one = (stack: string, type: string, name: string) => of(stack, type).find((r) => r.name === name) as PlannedResource;

    it("staging and prod send alerts to the stack's encrypted topic; dev has no Alertmanager and no topic", () => {
        for (const stack of ["staging", "prod"]) {
            const topic = one(stack, "aws:sns/topic:Topic", "observability-alerts");
            expect(topic.inputs).toMatchObject({ name: `eks-platform-${stack}-alerts`, kmsMasterKeyId: "alias/aws/sns" });
            const policy = JSON.parse(one(stack, "aws:sns/topicPolicy:TopicPolicy", "observability-alerts").inputs.policy as string);
            expect(policy.Statement.map((s: { Sid: string; Effect: string }) => `${s.Sid} ${s.Effect}`)).toEqual([
                "AlertmanagerPublishes Allow",
                "DenyInsecureTransport Deny",
            ]);
            const association = one(
                stack,
                "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                "observability-alertmanager-pod-identity",
            );
            expect(association.inputs).toMatchObject({ namespace: "monitoring", serviceAccount: "kube-prometheus-stack-alertmanager" });
            const release = one(stack, "kubernetes:helm.sh/v3:Release", "observability-kube-prometheus-stack");
            expect(release.dependencies).toContain(association.urn);
            const values = release.inputs.values as {
                alertmanager: {
                    config: { route: { receiver: string }; receivers: { name: string; sns_configs?: { topic_arn: string }[] }[] };
                };
            };
            expect(values.alertmanager.config.route.receiver).toBe("platform");
            expect(values.alertmanager.config.receivers[1]?.sns_configs?.[0]?.topic_arn).toBe(
                `arn:aws:sns:eu-west-1:123456789012:eks-platform-${stack}-alerts`,
            );
            expect(sharedPlan(stack).outputs.alertTopicArn).toMatch(/^arn:aws:sns:/);
        }
        expect(of("dev", "aws:sns/topic:Topic")).toEqual([]);
    });

    it("lets only Alertmanager's role publish, over TLS", () => {
        const policy = alertTopicPolicy(topicArn, "arn:aws:iam::123456789012:role/am");
        expect(policy.Statement[0]).toMatchObject({
            Principal: { AWS: "arn:aws:iam::123456789012:role/am" },
            Action: "sns:Publish",
            Resource: topicArn,
        });
        expect(policy.Statement[1]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    });
});

describe("alerting settings", () => {
    const withAlerting = (a: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        configProblems({ stack: "prod", overrides: { "eks-platform:observability": { alerting: a }, ...extra } }).map(problemLine);

    it("refuses a receiver whose secret the stack does not set, and knows a set one from a typo", () => {
        expect(withAlerting(alerting)).toEqual([
            'eks-platform:observability.alerting.receivers[1].pagerduty.routingKeySecret: names the Pulumi secret eks-platform:alertmanagerPagerdutyKey, which the stack does not set: run pulumi config set --secret alertmanagerPagerdutyKey <value> (the value stays encrypted in the stack file and reaches Alertmanager as a Kubernetes Secret) (got "alertmanagerPagerdutyKey")',
            'eks-platform:observability.alerting.receivers[2].slack.webhookUrlSecret: names the Pulumi secret eks-platform:alertmanagerSlackWebhook, which the stack does not set: run pulumi config set --secret alertmanagerSlackWebhook <value> (the value stays encrypted in the stack file and reaches Alertmanager as a Kubernetes Secret) (got "alertmanagerSlackWebhook")',
        ]);
        const secrets = { "eks-platform:alertmanagerPagerdutyKey": "[secret]", "eks-platform:alertmanagerSlackWebhook": "[secret]" };
        expect(withAlerting(alerting, secrets)).toEqual([]);
        // A key no receiver names is still a typo.
        expect(withAlerting(alerting, { ...secrets, "eks-platform:alertmanagerSlackWebhok": "[secret]" })).toEqual([
            'eks-platform:alertmanagerSlackWebhok: is not a known setting (check the spelling against docs/settings.md) (got "[secret]")',
        ]);
    });

    it("refuses unknown receivers in routes and the default, duplicates, two kinds in one receiver, and routing without Alertmanager", () => {
        expect(
            withAlerting({
                receivers: [
                    { name: "a", sns: {} },
                    { name: "a", sns: {} },
                ],
                defaultReceiver: "b",
                routes: [{ receiver: "c", severity: "critical" }],
            }),
        ).toEqual([
            'eks-platform:observability.alerting.receivers[1].name: must be unique: another receiver is named a (got "a")',
            'eks-platform:observability.alerting.defaultReceiver: must name one of alerting.receivers (a) (got "b")',
            'eks-platform:observability.alerting.routes[0].receiver: must name one of alerting.receivers (a) (got "c")',
        ]);
        expect(withAlerting({ receivers: [{ name: "a", sns: {}, slack: { channel: "#x", webhookUrlSecret: "aB" } }] })).toContainEqual(
            expect.stringMatching(
                /^eks-platform:observability\.alerting\.receivers\[0\]: must configure exactly one of sns, slack or pagerduty/,
            ),
        );
        expect(
            configProblems({
                stack: "dev",
                overrides: { "eks-platform:observability": { alerting: { receivers: [{ name: "a", sns: {} }] } } },
            }).map(problemLine),
        ).toEqual([
            'eks-platform:observability.alerting.receivers: has no effect while alertmanager.enabled is false: there is no Alertmanager to route alerts; remove it (got [{"name":"a","sns":{}}])',
        ]);
    });

    it("staging and prod default to the SNS receiver", () => {
        expect(platformConfigFor("staging").observability.alerting.defaultReceiver).toBe("platform");
        expect(platformConfigFor("dev").observability.alerting.receivers).toEqual([]);
    });
});
