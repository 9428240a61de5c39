// eks-platform:ingress:Ingress — the AWS Load Balancer Controller (Pod Identity role with its published policy, the
// Helm release with its Gateway API features, the webhook's security group rule) after the Gateway API CRDs; the
// GatewayClasses (alb, nlb) and the stack's shared Gateways; the default ALB IngressClass for teams still on Ingress;
// and, only during a migration and with an acknowledgement, the retired ingress-nginx. Everything that makes AWS load
// balancers depends on the controller's release, so a destroy deletes those first, while the controller still runs
// to delete the load balancers (docs/ingress.md).
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { SharedGatewayKey } from "../../lib/gateways";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import { platformRelease } from "../lib/helm";
import { podIdentityRole } from "../lib/iam";
import { loadBalancerControllerPolicy } from "./iam";
import type { GatewayAttachment, MetricsEndpoint, NamespaceTraffic } from "../lib/contracts";
import { gatewayApiCrds, sharedGateways } from "./gateway";
import type { SubnetCidrs } from "./gateway-objects";
import {
    ingressClassObject,
    ingressClassParamsObject,
    LBC_CHART,
    LBC_NAMESPACE,
    LBC_REPOSITORY,
    LBC_SERVICE_ACCOUNT,
    LBC_WEBHOOK_PORT,
    loadBalancerControllerMetrics,
    loadBalancerControllerValues,
    NGINX_CHART,
    NGINX_NAMESPACE,
    NGINX_REPOSITORY,
    nginxRetirementWarning,
    nginxValues,
} from "./values";

export * from "./gateway-objects";
export * from "./iam";
export * from "./values";

export interface IngressArgs {
    /** The platform context: the controller runs on the system nodes, its credentials come through Pod Identity. */
    ctx: PlatformContext;
    config: PlatformConfig["ingress"];
    vpcId: pulumi.Input<string>;
    /** The security group of the nodes the controller runs on (gets the webhook rule): the cluster security group. */
    nodeSecurityGroupId: pulumi.Input<string>;
    /** False in calico-cni mode (Cni.podsRoutableFromVpc): instance targets, webhook on host network. */
    podsRoutableFromVpc: boolean;
    /** The VPC CIDR: the control plane's ENIs call ingress-nginx's admission webhook from it; internal Gateways' default clients. */
    vpcCidr: string;
    /** The Network's subnet CIDRs per role (its plan): where the Gateways' load balancers connect to targets from. */
    subnetCidrs: SubnetCidrs;
    /** Namespaces Prometheus scrapes from (baseline policy of ingress-nginx); every namespace when absent. */
    metricsScrapers?: string[];
    /** Namespaces whose Services platform releases create in parallel with the controller: its Service webhook skips them. */
    platformServiceNamespaces?: readonly string[];
}

export class Ingress extends pulumi.ComponentResource {
    /** Anything that creates load balancers (Ingresses, LoadBalancer Services) must depend on this. */
    readonly controllerRelease: kubernetes.helm.v3.Release;
    readonly controllerRoleArn: pulumi.Output<string>;
    /** The Gateway API standard-channel CRDs (a remote yaml/v2 ConfigFile): the controller waits for them. */
    readonly gatewayApiCrds: kubernetes.yaml.v2.ConfigFile;
    /** GatewayClass names by kind, for teams' own Gateways. */
    readonly gatewayClassNames: Record<"alb" | "nlb", pulumi.Output<string>>;
    /** The shared Gateways this stack offers, for other components' routes (Grafana) and the stack outputs. */
    readonly gatewayAttachments: Partial<Record<SharedGatewayKey, GatewayAttachment>>;
    readonly ingressClassName: string;
    readonly ingressClass: kubernetes.networking.v1.IngressClass;
    readonly nginxRelease?: kubernetes.helm.v3.Release;
    readonly nginxNamespace?: kubernetes.core.v1.Namespace;
    /** Traffic of the namespaces this component creates, for the baseline policies (index.ts passes it on). */
    readonly namespaceTraffic: NamespaceTraffic[] = [];
    /** Where the controller's metrics are (its pods), for the Observability component's scrape config. */
    readonly controllerMetrics: MetricsEndpoint;

    constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:ingress:Ingress", name, {}, opts);
        const { config, ctx } = args;
        const k8s = { parent: this, provider: ctx.k8sProvider };

        const { role, association } = podIdentityRole(
            `${name}-lbc`,
            {
                clusterName: ctx.cluster.clusterName,
                accountId: ctx.accountId,
                partition: ctx.partition,
                podIdentityAgent: ctx.podIdentityAgent,
            },
            {
                namespace: LBC_NAMESPACE,
                serviceAccount: LBC_SERVICE_ACCOUNT,
                description: "AWS Load Balancer Controller (EKS Pod Identity)",
                inlinePolicies: { controller: JSON.stringify(loadBalancerControllerPolicy(ctx.partition)) },
            },
            this,
        );
        this.controllerRoleArn = role.arn;

        // Before the controller: it looks for the Gateway API kinds once, at start-up.
        this.gatewayApiCrds = gatewayApiCrds(name, ctx, config.gatewayApi.version, this);

        // The API server calls the controller's webhooks (Service mutator, Ingress and TargetGroupBinding validation).
        const webhookRule = new aws.vpc.SecurityGroupIngressRule(
            `${name}-lbc-webhook`,
            {
                securityGroupId: args.nodeSecurityGroupId,
                referencedSecurityGroupId: ctx.cluster.clusterSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: LBC_WEBHOOK_PORT,
                toPort: LBC_WEBHOOK_PORT,
                description: "EKS control plane to the AWS Load Balancer Controller webhook",
            },
            { parent: this },
        );

        const controllerValues = loadBalancerControllerValues<pulumi.Input<string>>({
            clusterName: ctx.cluster.clusterName,
            region: ctx.region,
            vpcId: args.vpcId,
            config,
            podsRoutableFromVpc: args.podsRoutableFromVpc,
            system: ctx.system,
            platformServiceNamespaces: args.platformServiceNamespaces,
        });
        this.controllerMetrics = loadBalancerControllerMetrics(controllerValues);
        this.controllerRelease = platformRelease(
            `${name}-lbc`,
            ctx,
            {
                release: LBC_CHART,
                source: { chart: LBC_CHART, repo: LBC_REPOSITORY },
                version: config.loadBalancerController.chartVersion,
                namespace: LBC_NAMESPACE,
                values: controllerValues,
                timeout: 600,
                // Credentials before the pods start (the association), the webhook reachable, the Gateway API kinds served.
                dependsOn: [association, webhookRule, this.gatewayApiCrds],
            },
            this,
        );

        // Both need the chart's CRDs and webhook; the controller must be up to admit them.
        const params = ingressClassParamsObject(config);
        const ingressClassParams = new kubernetes.apiextensions.CustomResource(`${name}-ingress-class-params`, params, {
            ...k8s,
            dependsOn: [this.controllerRelease],
        });
        const ingressClass = ingressClassObject(config);
        this.ingressClassName = config.ingressClass.name;
        this.ingressClass = new kubernetes.networking.v1.IngressClass(
            `${name}-ingress-class`,
            { metadata: ingressClass.metadata, spec: ingressClass.spec },
            { ...k8s, dependsOn: [this.controllerRelease, ingressClassParams] },
        );

        const gateways = sharedGateways({
            name,
            parent: this,
            ctx,
            config,
            controllerRelease: this.controllerRelease,
            targetType: args.podsRoutableFromVpc ? "ip" : "instance",
            vpcCidr: args.vpcCidr,
            subnetCidrs: args.subnetCidrs,
        });
        this.gatewayClassNames = {
            alb: gateways.classes.alb.metadata.name,
            nlb: gateways.classes.nlb.metadata.name,
        };
        this.gatewayAttachments = gateways.attachments;

        if (config.nginx.enabled) {
            const warning = nginxRetirementWarning(config.nginx);
            if (warning) void pulumi.log.warn(warning, this);
            this.nginxNamespace = new kubernetes.core.v1.Namespace(
                `${name}-nginx`,
                {
                    metadata: {
                        name: NGINX_NAMESPACE,
                        labels: { "pod-security.kubernetes.io/enforce": "baseline", "app.kubernetes.io/managed-by": "pulumi" },
                    },
                },
                k8s,
            );
            // The nginx Service makes an NLB through the controller: created after it, deleted before it.
            this.nginxRelease = platformRelease(
                `${name}-nginx`,
                ctx,
                {
                    release: NGINX_CHART,
                    source: { chart: NGINX_CHART, repo: NGINX_REPOSITORY },
                    version: config.nginx.chartVersion,
                    namespace: this.nginxNamespace.metadata.name,
                    values: nginxValues({ config, podsRoutableFromVpc: args.podsRoutableFromVpc, system: ctx.system }),
                    timeout: 900,
                    dependsOn: [this.controllerRelease],
                },
                this,
            );
            this.namespaceTraffic.push({
                namespace: NGINX_NAMESPACE,
                withinNamespace: false,
                kubeApi: true,
                podIdentity: false,
                ingress: [
                    // NLB (ip targets keep client addresses; any source may reach 80/443 through it).
                    { name: "http", cidrs: ["0.0.0.0/0"], ports: [{ port: 80 }, { port: 443 }] },
                    // The admission webhook, called by the control plane's ENIs in the VPC.
                    { name: "admission-webhook", cidrs: [args.vpcCidr], ports: [{ port: 8443 }] },
                    { name: "prometheus-scrape", namespaces: args.metricsScrapers ?? ["*"], ports: [{ port: 10254 }] },
                ],
                // nginx proxies to backends in any namespace.
                egress: [{ name: "backends", namespaces: ["*"] }],
            });
        }

        this.registerOutputs({
            controllerRelease: this.controllerRelease.name,
            controllerRoleArn: this.controllerRoleArn,
            gatewayClassNames: this.gatewayClassNames,
            ingressClassName: this.ingressClassName,
            nginxRelease: this.nginxRelease?.name,
        });
    }
}
