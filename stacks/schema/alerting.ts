// eks-platform:observability.alerting: where Alertmanager sends alerts. Receivers are an SNS topic the stack makes,
// Slack or PagerDuty; their keys are Pulumi secrets the config only names (`pulumi config set --secret <name> ...`),
// so no key is ever in a stack file, the config or the plan.
import { z } from "zod";
import { dnsLabel } from "./common";

export const SEVERITIES = ["critical", "warning", "info"] as const;

/**
 * The name of a Pulumi secret in the stack's config (eks-platform:<name>, set with `pulumi config set --secret
 * <name> <value>`): camelCase, so it never collides with a section's key (those are lower case words).
 */
export const secretName = z
    .string()
    .regex(
        /^[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/,
        "must be the camelCase name of a Pulumi secret such as alertmanagerSlackWebhook (set it with pulumi config set --secret <name> <value>)",
    );

export const receiverSchema = z
    .strictObject({
        name: dnsLabel.describe("The receiver's name (routes name it)."),
        sns: z
            .strictObject({})
            .optional()
            .describe("Publish to the SNS topic the stack makes (output alertTopicArn; subscribe e-mail, chat or a pager to it)."),
        slack: z
            .strictObject({
                channel: z
                    .string()
                    .regex(/^[#@][a-z0-9._-]{1,80}$/, "must be a Slack channel such as #platform-alerts")
                    .describe("The channel."),
                webhookUrlSecret: secretName.describe("The Pulumi secret holding the incoming webhook's URL."),
            })
            .optional()
            .describe("Post to Slack through an incoming webhook."),
        pagerduty: z
            .strictObject({
                routingKeySecret: secretName.describe("The Pulumi secret holding the Events API v2 integration (routing) key."),
            })
            .optional()
            .describe("Page through PagerDuty's Events API v2."),
    })
    .refine((r) => [r.sns, r.slack, r.pagerduty].filter((x) => x !== undefined).length === 1, {
        message: "must configure exactly one of sns, slack or pagerduty",
    })
    .describe("An Alertmanager receiver.");
export type ReceiverConfig = z.infer<typeof receiverSchema>;

export const alertingSchema = z
    .strictObject({
        receivers: z.array(receiverSchema).describe("Where alerts can go."),
        defaultReceiver: dnsLabel
            .optional()
            .describe("The receiver of every alert no route takes (one of receivers); without one, alerts go nowhere."),
        routes: z
            .array(
                z
                    .strictObject({
                        receiver: dnsLabel.describe("One of receivers."),
                        severity: z
                            .enum(SEVERITIES, { message: `must be one of ${SEVERITIES.join(", ")}` })
                            .describe("Alerts of this severity label go to the receiver."),
                    })
                    .describe("A route by severity."),
            )
            .describe(
                "Routes tried in order before the default receiver (the first that matches takes the alert). Lower severities are inhibited by a higher one of the same alertname and namespace.",
            ),
    })
    .describe("Alert routing: Alertmanager's receivers, routes and default receiver.");
export type AlertingConfig = z.infer<typeof alertingSchema>;

/** The Pulumi secrets the receivers name, as config keys without the project prefix. */
export function alertingSecretNames(a: {
    readonly receivers: readonly {
        readonly slack?: { readonly webhookUrlSecret: string };
        readonly pagerduty?: { readonly routingKeySecret: string };
    }[];
}): string[] {
    return a.receivers.flatMap((r) => [r.slack?.webhookUrlSecret, r.pagerduty?.routingKeySecret].filter((s): s is string => !!s));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The same, from the section's raw input (before it parsed), so the loader knows those keys are not typos. */
export function alertingSecretNamesOfInput(observability: unknown): string[] {
    const alerting = isRecord(observability) ? observability.alerting : undefined;
    const receivers = isRecord(alerting) && Array.isArray(alerting.receivers) ? alerting.receivers : [];
    const out: string[] = [];
    for (const r of receivers.filter(isRecord)) {
        for (const [kind, field] of [
            ["slack", "webhookUrlSecret"],
            ["pagerduty", "routingKeySecret"],
        ] as const) {
            const part = r[kind];
            if (isRecord(part) && typeof part[field] === "string") out.push(part[field]);
        }
    }
    return out;
}

/** Staging and prod send to the stack's SNS topic; dev has no Alertmanager. */
export const ALERTING_DEFAULTS: Readonly<Record<"none" | "sns", z.input<typeof alertingSchema>>> = {
    none: { receivers: [], routes: [] },
    sns: { receivers: [{ name: "platform", sns: {} }], defaultReceiver: "platform", routes: [] },
};
