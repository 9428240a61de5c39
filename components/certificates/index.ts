// eks-platform:certificates:CertManager — cert-manager (Helm, pinned, CRDs with it and kept on uninstall) in its own
// namespace on the system nodes. The ADOT add-on's operator gets its webhook certificates from it (index.ts makes
// the add-on wait for this release). Its webhook is failurePolicy Fail for cert-manager.io objects only
// (templates/webhook-*-webhook.yaml), so an outage blocks Certificate changes, never other objects.
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import type { NamespaceTraffic } from "../lib/contracts";
import { platformRelease } from "../lib/helm";
import {
    CERT_MANAGER_CHART,
    CERT_MANAGER_NAMESPACE,
    CERT_MANAGER_RELEASE,
    CERT_MANAGER_REPOSITORY,
    CERT_MANAGER_WEBHOOK_PORT,
    certManagerValues,
} from "./values";

export * from "./values";

/**
 * The cert-manager namespace's traffic for the baseline policy: the control plane (ENIs in the VPC) calls the
 * webhook, all three parts talk to the API server, the controller reaches ACME servers and DNS providers over HTTPS.
 */
export function certManagerNamespaceTraffic(vpcCidr: string): NamespaceTraffic {
    return {
        namespace: CERT_MANAGER_NAMESPACE,
        withinNamespace: true,
        kubeApi: true,
        podIdentity: false,
        ingress: [{ name: "webhook", cidrs: [vpcCidr], ports: [{ port: CERT_MANAGER_WEBHOOK_PORT }] }],
        egress: [{ name: "acme-and-dns-apis", cidrs: ["0.0.0.0/0"], ports: [{ port: 443 }] }],
    };
}

export interface CertManagerArgs {
    ctx: PlatformContext;
    config: PlatformConfig["certificates"]["certManager"];
    vpcCidr: string;
    /** False in calico-cni mode (Cni.podsRoutableFromVpc): the webhook listens on the host network. */
    podsRoutableFromVpc: boolean;
}

export class CertManager extends pulumi.ComponentResource {
    readonly release: kubernetes.helm.v3.Release;
    readonly namespace: kubernetes.core.v1.Namespace;
    readonly namespaceTraffic: NamespaceTraffic;

    constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:certificates:CertManager", name, {}, opts);
        const { ctx, config } = args;
        this.namespace = new kubernetes.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: CERT_MANAGER_NAMESPACE, labels: { "eks-platform/component": "certificates" } } },
            { parent: this, provider: ctx.k8sProvider },
        );
        this.release = platformRelease(
            `${name}-cert-manager`,
            ctx,
            {
                release: CERT_MANAGER_RELEASE,
                source: { chart: CERT_MANAGER_CHART, repo: CERT_MANAGER_REPOSITORY },
                version: config.chartVersion,
                namespace: this.namespace.metadata.name,
                values: certManagerValues(config.replicas, ctx.system, args.podsRoutableFromVpc),
                timeout: 600,
            },
            this,
        );
        this.namespaceTraffic = certManagerNamespaceTraffic(args.vpcCidr);
        this.registerOutputs({});
    }
}
