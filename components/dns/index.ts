// eks-platform:dns:ExternalDns — external-dns (Helm, pinned) on the system nodes, writing the records of the
// sources in config into the stack's Route 53 zones through a Pod Identity role that may change those zones only.
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import type { NamespaceTraffic } from "../lib/contracts";
import { platformRelease } from "../lib/helm";
import { podIdentityRole } from "../lib/iam";
import {
    EXTERNAL_DNS_CHART,
    EXTERNAL_DNS_NAMESPACE,
    EXTERNAL_DNS_RELEASE,
    EXTERNAL_DNS_REPOSITORY,
    EXTERNAL_DNS_SERVICE_ACCOUNT,
    externalDnsPolicy,
    externalDnsValues,
} from "./values";

export * from "./values";

/** Its namespace's traffic: the API server (sources), Route 53 over HTTPS, credentials from the Pod Identity agent. */
export const externalDnsNamespaceTraffic = (): NamespaceTraffic => ({
    namespace: EXTERNAL_DNS_NAMESPACE,
    withinNamespace: false,
    kubeApi: true,
    podIdentity: true,
    ingress: [],
    egress: [{ name: "route53-api", cidrs: ["0.0.0.0/0"], ports: [{ port: 443 }] }],
});

export interface ExternalDnsArgs {
    ctx: PlatformContext;
    config: PlatformConfig["dns"]["externalDns"];
    /** What its sources need first: the Gateway API CRDs (it watches HTTPRoutes and Gateways from its start). */
    dependsOn?: pulumi.Resource[];
}

export class ExternalDns extends pulumi.ComponentResource {
    readonly namespace: kubernetes.core.v1.Namespace;
    readonly roleArn: pulumi.Output<string>;
    readonly namespaceTraffic: NamespaceTraffic = externalDnsNamespaceTraffic();

    constructor(name: string, args: ExternalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:dns:ExternalDns", name, {}, opts);
        const { ctx, config } = args;
        const zones = config.zones.map((z) => ({ id: z.id, domain: z.domain }));
        this.namespace = new kubernetes.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: EXTERNAL_DNS_NAMESPACE, labels: { "eks-platform/component": "dns" } } },
            { parent: this, provider: ctx.k8sProvider },
        );
        const identity = podIdentityRole(
            `${name}-external-dns`,
            {
                clusterName: ctx.cluster.clusterName,
                accountId: ctx.accountId,
                partition: ctx.partition,
                podIdentityAgent: ctx.podIdentityAgent,
            },
            {
                namespace: EXTERNAL_DNS_NAMESPACE,
                serviceAccount: EXTERNAL_DNS_SERVICE_ACCOUNT,
                description: `external-dns of ${ctx.clusterName}: records in ${zones.map((z) => z.domain).join(", ")} only`,
                inlinePolicies: { route53: JSON.stringify(externalDnsPolicy(zones, ctx.partition)) },
            },
            this,
        );
        this.roleArn = identity.role.arn;
        platformRelease(
            `${name}-external-dns`,
            ctx,
            {
                release: EXTERNAL_DNS_RELEASE,
                source: { chart: EXTERNAL_DNS_CHART, repo: EXTERNAL_DNS_REPOSITORY },
                version: config.chartVersion,
                namespace: this.namespace.metadata.name,
                values: externalDnsValues(
                    { policy: config.policy, sources: config.sources, zones, clusterName: ctx.clusterName, region: ctx.region },
                    ctx.system,
                ),
                timeout: 300,
                // Credentials first: a pod started before its association has none until it restarts.
                dependsOn: [identity.association, ...identity.policies, ...(args.dependsOn ?? [])],
            },
            this,
        );
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
