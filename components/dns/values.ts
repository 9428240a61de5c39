// external-dns for Route 53: its IAM policy (limited to the stack's zones), its Helm values (chart 1.21.1,
// kubernetes-sigs/external-dns charts/external-dns/values.yaml at external-dns-helm-chart-1.21.1, 9f264513) and
// where its pod runs. Pure.
import { policyDocument, type PolicyDocument } from "../lib/iam";
import { placementValues, type Placement, type Toleration } from "../lib/placement";
import { requestsOf, workload, type Workload } from "../lib/workloads";

export const EXTERNAL_DNS_CHART = "external-dns";
export const EXTERNAL_DNS_REPOSITORY = "https://kubernetes-sigs.github.io/external-dns/";
export const EXTERNAL_DNS_NAMESPACE = "external-dns";
export const EXTERNAL_DNS_RELEASE = "external-dns";
/** Fixed so the Pod Identity association and the chart name the same service account. */
export const EXTERNAL_DNS_SERVICE_ACCOUNT = "external-dns";
/** The metrics and health port of the container (templates/deployment.yaml: containerPort 7979). */
export const EXTERNAL_DNS_HTTP_PORT = 7979;

export interface HostedZone {
    id: string;
    domain: string;
}

/**
 * external-dns's Route 53 permissions (docs/tutorials/aws.md at the chart's tag, "IAM Policy"), narrowed as its
 * "Further improvements" advises: record changes, record listing and tag reads on the configured zones' ARNs only;
 * ListHostedZones cannot be narrowed (Route 53 authorizes it on "*" only), so external-dns sees every zone's name
 * but can change nothing outside the list.
 */
export function externalDnsPolicy(zones: readonly HostedZone[], partition: string): PolicyDocument {
    return policyDocument(
        {
            Sid: "ChangeRecordsInTheStacksZones",
            Effect: "Allow",
            Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"],
            Resource: zones.map((z) => `arn:${partition}:route53:::hostedzone/${z.id}`),
        },
        { Sid: "ListHostedZones", Effect: "Allow", Action: ["route53:ListHostedZones"], Resource: "*" },
    );
}

export interface ExternalDnsValues {
    serviceAccount: { create: true; name: string };
    provider: { name: "aws" };
    policy: string;
    registry: "txt";
    /** Records carry this owner in their TXT record: two clusters in one zone never touch each other's. */
    txtOwnerId: string;
    domainFilters: string[];
    sources: string[];
    /** Only the listed zones, by ID: a zone elsewhere with a matching name is never picked. */
    extraArgs: { "zone-id-filter": string[] };
    /** The nodes' IMDS hop limit of 1 keeps the pod from discovering its region; it is given. */
    env: { name: "AWS_DEFAULT_REGION"; value: string }[];
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
}

export interface ExternalDnsInput {
    policy: string;
    sources: readonly string[];
    zones: readonly HostedZone[];
    clusterName: string;
    region: string;
}

export function externalDnsValues(input: ExternalDnsInput, system: Placement): ExternalDnsValues {
    return {
        serviceAccount: { create: true, name: EXTERNAL_DNS_SERVICE_ACCOUNT },
        provider: { name: "aws" },
        policy: input.policy,
        registry: "txt",
        txtOwnerId: input.clusterName,
        domainFilters: input.zones.map((z) => z.domain),
        sources: [...input.sources],
        extraArgs: { "zone-id-filter": input.zones.map((z) => z.id) },
        env: [{ name: "AWS_DEFAULT_REGION", value: input.region }],
        ...placementValues(system),
        resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    };
}

/** One pod: external-dns has no leader election, the chart hard-codes replicas: 1 (templates/deployment.yaml). */
export function externalDnsWorkloads(values: ExternalDnsValues, namespace = EXTERNAL_DNS_NAMESPACE): Workload[] {
    return [
        workload({
            name: `${EXTERNAL_DNS_RELEASE}/external-dns`,
            namespace,
            kind: "Deployment",
            replicas: 1,
            nodeSelector: values.nodeSelector,
            tolerations: values.tolerations,
            requests: requestsOf(values.resources),
        }),
    ];
}
