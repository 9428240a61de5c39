// Interruption handling as Karpenter's CloudFormation template declares it: an SQS queue (SQS-managed encryption,
// 300 s retention) that only EventBridge and SQS may send to, refused to any non-TLS request, and one EventBridge
// rule per event Karpenter acts on. Pure parts here; the resources are declared in ./index.ts.
import { policyDocument, type PolicyDocument } from "../lib/iam";

/** Messages older than this are stale: Karpenter acts on an interruption within seconds (upstream: 300). */
export const QUEUE_RETENTION_SECONDS = 300;

export interface InterruptionEvent {
    /** Short name, used in the rule's logical name. */
    name: string;
    source: string;
    detailType: string;
}

/** The events Karpenter's interruption controller handles (upstream rules, in template order). */
export const INTERRUPTION_EVENTS: readonly InterruptionEvent[] = [
    { name: "scheduled-change", source: "aws.health", detailType: "AWS Health Event" },
    { name: "spot-interruption", source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
    { name: "rebalance", source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
    { name: "instance-state-change", source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
    { name: "capacity-reservation-interruption", source: "aws.ec2", detailType: "EC2 Capacity Reservation Instance Interruption Warning" },
];

/** The EventBridge pattern of one rule (JSON-encoded on the rule). */
export function eventPattern(event: InterruptionEvent): { source: string[]; "detail-type": string[] } {
    return { source: [event.source], "detail-type": [event.detailType] };
}

/** The queue policy: EventBridge (and SQS) may send; any request without TLS is denied. */
export function interruptionQueuePolicy(queueArn: string): PolicyDocument & { Id: string } {
    return {
        Id: "EC2InterruptionPolicy",
        ...policyDocument(
            {
                Sid: "AllowEventBridgeToSend",
                Effect: "Allow",
                Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
                Action: "sqs:SendMessage",
                Resource: queueArn,
            },
            {
                Sid: "DenyHTTP",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: "sqs:*",
                Resource: queueArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ),
    };
}
