// Observability: kube-prometheus-stack (Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics),
// scraping and dashboards for the platform's controllers, logs (Loki on S3 or CloudWatch Logs, shipped by Fluent
// Bit) and the AWS-native add-ons (Container Insights, ADOT/X-Ray). Every part can be switched off per stack.
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import type { GatewayAttachment, NamespaceTraffic } from "../lib/contracts";
import { platformRelease } from "../lib/helm";
import { alertmanagerConfig, createAlerting, type AlertingResources, type ReceiverSecrets } from "./alerting";
import { createAdot, createContainerInsights } from "./aws-native";
import { DASHBOARD_LABEL, platformDashboards, platformMonitors, type ScrapeTargets } from "./dashboards";
import { createGrafanaRoute } from "./grafana-route";
import { createFluentBit, createLoki, type LogContext } from "./logs";
import { CHART_REPOSITORIES, kubePrometheusStackValues, logParts, lokiUrl, MONITORING_NAMESPACE, NAMES } from "./values";

export type ObservabilitySettings = PlatformConfig["observability"];

/**
 * The monitoring namespace's traffic for the baseline network policy: its parts talk to each other (Grafana to
 * Prometheus and Loki, Fluent Bit to Loki), Prometheus scrapes every namespace and the nodes (node-exporter on the host
 * network, the kubelet, and controllers that run on the host network), the operator's admission webhook is called by
 * the control plane (ENIs in the VPC), Grafana is reached by a shared Gateway's load balancer when it has a route
 * (from the addresses the Gateway names), Loki (S3) and Fluent Bit (CloudWatch Logs) get their AWS credentials from
 * the Pod Identity agent, and they and Alertmanager (receivers) call out over HTTPS.
 */
export function monitoringNamespaceTraffic(opts: {
    vpcCidr: string;
    grafanaGatewaySources?: string[];
    /** A Pod Identity association targets the namespace (Loki's, or Fluent Bit's with logs: cloudwatch). */
    podIdentity: boolean;
    /** Metrics ports of scrape targets on the host network (node addresses, not pods). */
    hostScrapePorts?: readonly number[];
}): NamespaceTraffic {
    const ingress: NamespaceTraffic["ingress"] = [
        // kube-prometheus-stack's operator serves its admission webhook on 10250 (chart default internalPort).
        { name: "operator-webhook", cidrs: [opts.vpcCidr], ports: [{ port: 10250 }] },
    ];
    // Grafana's container port: the target port of ip targets, and where the nodes forward instance targets to.
    if (opts.grafanaGatewaySources?.length)
        ingress.push({ name: "grafana-gateway", cidrs: [...opts.grafanaGatewaySources], ports: [{ port: 3000 }] });
    const nodePorts = [9100, 10250, ...(opts.hostScrapePorts ?? [])];
    return {
        namespace: MONITORING_NAMESPACE,
        withinNamespace: true,
        kubeApi: true,
        podIdentity: opts.podIdentity,
        ingress,
        egress: [
            { name: "scrape-pods", namespaces: ["*"] },
            { name: "scrape-nodes", cidrs: [opts.vpcCidr], ports: [...new Set(nodePorts)].map((port) => ({ port })) },
            { name: "aws-apis-and-receivers", cidrs: ["0.0.0.0/0"], ports: [{ port: 443 }] },
        ],
    };
}

/**
 * Namespaces in which the observability releases create Services: monitoring, and kube-system (kube-prometheus-stack's
 * CoreDNS and kubelet Services). Pure, so index.ts can hand them to components built before this one.
 */
export function observabilityServiceNamespaces(cfg: Pick<ObservabilitySettings, "prometheus" | "logs">): string[] {
    const out: string[] = [];
    if (cfg.prometheus.enabled || logParts(cfg.logs).fluentBit) out.push(MONITORING_NAMESPACE);
    if (cfg.prometheus.enabled) out.push("kube-system");
    return out;
}

export interface ObservabilityArgs {
    /**
     * The platform context: every release waits for the system nodes (and, when it has volumes, for the default
     * storage class); the buckets and the log group are protected with ctx.protect (true in prod).
     */
    ctx: PlatformContext;
    config: ObservabilitySettings;
    /** Platform controllers to scrape and chart (their namespaces). */
    scrapeTargets?: ScrapeTargets;
    /** The VPC CIDR: the nodes and the control plane's ENIs, for the monitoring namespace's baseline policy. */
    vpcCidr?: string;
    /** The shared Gateway Grafana's HTTPRoute attaches to (grafana.ingressHost); the config requires it with a host. */
    grafanaGateway?: GatewayAttachment;
    /** The values of the Pulumi secrets the alert receivers name (index.ts reads them; they stay secret outputs). */
    alertingSecrets?: ReceiverSecrets;
    /** The platform's cert-manager release: the ADOT add-on's operator needs it for its webhooks' certificates. */
    certManager?: pulumi.Resource;
}

export class Observability extends pulumi.ComponentResource {
    readonly namespace?: pulumi.Output<string>;
    /** The monitoring Namespace object (the baseline network policy waits for it). */
    readonly namespaceResource?: kubernetes.core.v1.Namespace;
    /** The monitoring.coreos.com CRDs (prometheus-operator-crds): what ServiceMonitors and rules wait for. */
    readonly monitoringCrds?: kubernetes.helm.v3.Release;
    readonly kubePrometheusStack?: kubernetes.helm.v3.Release;
    readonly loki?: kubernetes.helm.v3.Release;
    readonly fluentBit?: kubernetes.helm.v3.Release;
    readonly grafanaAdminSecretName?: pulumi.Output<string>;
    /** How to reach Grafana: its URL through the Gateway, or the port-forward command. */
    readonly grafanaAccess?: pulumi.Output<string>;
    readonly lokiBucketNames?: pulumi.Output<string[]>;
    readonly containerLogGroupName?: pulumi.Output<string>;
    /** The SNS topic alerts are published to (subscribe to it), when a receiver uses SNS. */
    readonly alertTopicArn?: pulumi.Output<string>;
    /** Traffic of the namespace this component creates, for the baseline network policy (index.ts passes it on). */
    readonly namespaceTraffic: NamespaceTraffic[] = [];

    constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:observability:Observability", name, {}, opts);
        const { config: cfg, ctx } = args;
        const parts = logParts(cfg.logs);
        const inCluster = cfg.prometheus.enabled || parts.fluentBit;
        const k8s = { parent: this, provider: ctx.k8sProvider };
        const storageDependencies = [ctx.defaultStorageClass.resource];

        // Grafana behind the Gateway needs Prometheus, Grafana, a host and the Gateway (the config rules see to it).
        const grafanaHost = cfg.prometheus.enabled && cfg.grafana.enabled ? cfg.grafana.ingressHost : undefined;
        if (grafanaHost && !args.grafanaGateway)
            throw new Error("observability.grafana.ingressHost needs the internal Gateway (eks-platform:ingress.gateways.internal)");
        const gateway = grafanaHost ? args.grafanaGateway : undefined;

        let namespace: pulumi.Output<string> | undefined;
        let alerting: AlertingResources | undefined;
        if (inCluster) {
            const labels: Record<string, string> = { "eks-platform/component": "observability" };
            // The Gateway admits routes only from namespaces with its label.
            if (gateway) labels[gateway.namespaceLabel.key] = gateway.namespaceLabel.value;
            const ns = new kubernetes.core.v1.Namespace(`${name}-namespace`, { metadata: { name: MONITORING_NAMESPACE, labels } }, k8s);
            namespace = ns.metadata.name;
            this.namespace = namespace;
            // Alertmanager's receivers: the SNS topic and its role, the receivers' keys (before the traffic: the role
            // is another Pod Identity association in the namespace).
            if (cfg.prometheus.enabled && cfg.alertmanager.enabled) {
                alerting = createAlerting(name, {
                    ctx,
                    parent: this,
                    alerting: cfg.alerting,
                    namespace: ns.metadata.name,
                    serviceAccount: NAMES.alertmanagerServiceAccount,
                    secrets: args.alertingSecrets ?? {},
                });
                this.alertTopicArn = alerting.topicArn;
            }
            if (args.vpcCidr) {
                const hostScrapePorts = cfg.prometheus.enabled
                    ? Object.values(args.scrapeTargets ?? {}).flatMap((t) => (t?.hostPort !== undefined ? [t.hostPort] : []))
                    : [];
                this.namespaceTraffic.push(
                    monitoringNamespaceTraffic({
                        vpcCidr: args.vpcCidr,
                        grafanaGatewaySources: gateway?.targetSourceCidrs,
                        // Loki's role (S3), Fluent Bit's (CloudWatch Logs), Alertmanager's (SNS): their associations target this namespace.
                        podIdentity: parts.loki || parts.logGroup || alerting?.topicArn !== undefined,
                        hostScrapePorts,
                    }),
                );
            }
            this.namespaceResource = ns;
        }

        // --- metrics, alerts and Grafana
        let monitoringCrds: kubernetes.helm.v3.Release | undefined;
        if (cfg.prometheus.enabled && namespace) {
            // CRDs only: a short release the others wait for, instead of the whole stack (its pods need nodes).
            monitoringCrds = platformRelease(
                `${name}-prometheus-operator-crds`,
                ctx,
                {
                    release: NAMES.prometheusOperatorCrdsRelease,
                    source: CHART_REPOSITORIES.prometheusOperatorCrds,
                    version: cfg.prometheus.crdsChartVersion,
                    namespace,
                    timeout: 300,
                },
                this,
            );
            this.monitoringCrds = monitoringCrds;
            const releaseDependencies: pulumi.Resource[] = [...storageDependencies, monitoringCrds];
            let adminSecretName: pulumi.Output<string> = pulumi.output(NAMES.grafanaAdminSecret);
            if (cfg.grafana.enabled) {
                const password = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent: this });
                const adminSecret = new kubernetes.core.v1.Secret(
                    `${name}-grafana-admin`,
                    {
                        metadata: { name: NAMES.grafanaAdminSecret, namespace },
                        type: "Opaque",
                        // RandomPassword.result is a secret Output: encrypted in state, "[secret]" in the plan.
                        stringData: { "admin-user": "admin", "admin-password": password.result },
                    },
                    k8s,
                );
                adminSecretName = adminSecret.metadata.name;
                releaseDependencies.push(adminSecret);
                this.grafanaAdminSecretName = adminSecretName;
            }
            if (alerting) releaseDependencies.push(...alerting.dependsOn);
            const topicArn = alerting?.topicArn ?? pulumi.output(undefined);
            const secretName = alerting?.secretName;
            const prometheus = { ...cfg.prometheus, requests: { ...cfg.prometheus.requests } };
            const monitoringRelease = platformRelease(
                `${name}-kube-prometheus-stack`,
                ctx,
                {
                    release: NAMES.kubePrometheusStackRelease,
                    source: CHART_REPOSITORIES.kubePrometheusStack,
                    version: cfg.prometheus.chartVersion,
                    namespace,
                    values: pulumi
                        .all([ctx.defaultStorageClass.name, adminSecretName, topicArn])
                        .apply(([storageClassName, grafanaSecret, topic]) =>
                            kubePrometheusStackValues({
                                storageClassName,
                                prometheus,
                                alertmanager: {
                                    enabled: cfg.alertmanager.enabled,
                                    replicas: cfg.alertmanager.replicas,
                                    ...(cfg.alertmanager.enabled
                                        ? { config: alertmanagerConfig(cfg.alerting, { topicArn: topic, region: ctx.region }), secretName }
                                        : {}),
                                },
                                grafana: {
                                    enabled: cfg.grafana.enabled,
                                    adminSecretName: grafanaSecret,
                                    gatewayRoute:
                                        grafanaHost && gateway
                                            ? { host: grafanaHost, instanceTargets: gateway.targetType === "instance" }
                                            : undefined,
                                    lokiUrl: parts.loki ? lokiUrl() : undefined,
                                },
                            }),
                        ),
                    timeout: 900,
                    dependsOn: releaseDependencies,
                },
                this,
            );
            this.kubePrometheusStack = monitoringRelease;
            if (cfg.grafana.enabled) {
                this.grafanaAccess = grafanaHost
                    ? pulumi.output(`https://${grafanaHost}`)
                    : pulumi.output(`kubectl -n ${MONITORING_NAMESPACE} port-forward svc/${NAMES.grafanaService} 3000:80`);
            }
            if (grafanaHost && gateway) {
                createGrafanaRoute(
                    name,
                    { host: grafanaHost, namespace: MONITORING_NAMESPACE, service: { name: NAMES.grafanaService, port: 80 }, gateway },
                    { parent: this, provider: ctx.k8sProvider, dependsOn: [gateway.gateway, monitoringRelease] },
                );
            }
            this.createPlatformScraping(name, args, namespace, monitoringCrds, cfg.grafana.enabled);
        }

        // --- logs
        if (parts.fluentBit && namespace) {
            const logs: LogContext = { name, parent: this, ctx, namespace, monitoringCrds, grafanaEnabled: cfg.grafana.enabled };
            if (parts.loki) {
                const loki = createLoki(logs, { ...cfg.loki, requests: { ...cfg.loki.requests } });
                this.loki = loki.release;
                this.lokiBucketNames = pulumi.all(loki.buckets.map((b) => b.bucket.bucket));
                this.fluentBit = createFluentBit(logs, cfg.fluentBit, { kind: "loki", loki }).release;
            } else {
                const fluentBit = createFluentBit(logs, cfg.fluentBit, { kind: "cloudwatch", retentionDays: cfg.cloudwatch.retentionDays });
                this.fluentBit = fluentBit.release;
                this.containerLogGroupName = fluentBit.logGroup?.name;
            }
        }

        // --- AWS-native add-ons
        if (cfg.containerInsights.enabled) createContainerInsights(name, ctx, this, cfg.containerInsights.version, parts.fluentBit);
        if (cfg.adot.enabled) createAdot(name, ctx, this, cfg.adot.version, args.certManager ? [args.certManager] : []);

        this.registerOutputs({
            namespace: this.namespace,
            grafanaAdminSecretName: this.grafanaAdminSecretName,
            grafanaAccess: this.grafanaAccess,
            lokiBucketNames: this.lokiBucketNames,
            containerLogGroupName: this.containerLogGroupName,
            alertTopicArn: this.alertTopicArn,
        });
    }

    /** Monitors and dashboards for Karpenter and the load balancer controller (the monitors need the CRDs only). */
    private createPlatformScraping(
        name: string,
        args: ObservabilityArgs,
        namespace: pulumi.Output<string>,
        crds: kubernetes.helm.v3.Release,
        grafanaEnabled: boolean,
    ): void {
        const targets = args.scrapeTargets ?? {};
        const opts = { parent: this, provider: args.ctx.k8sProvider, dependsOn: [crds] };
        for (const [target, monitor] of Object.entries(platformMonitors(targets))) {
            // Logical names stay `<name>-<target>-servicemonitor` whatever the kind, so a kind change is a replacement in place.
            new kubernetes.apiextensions.CustomResource(
                `${name}-${target}-servicemonitor`,
                { apiVersion: "monitoring.coreos.com/v1", kind: monitor.kind, metadata: { name: target, namespace }, spec: monitor.spec },
                opts,
            );
        }
        const dashboards = platformDashboards(targets);
        if (grafanaEnabled && Object.keys(dashboards).length > 0) {
            const data: Record<string, string> = {};
            for (const [file, model] of Object.entries(dashboards)) data[file] = JSON.stringify(model);
            new kubernetes.core.v1.ConfigMap(
                `${name}-platform-dashboards`,
                { metadata: { name: "platform-dashboards", namespace, labels: { ...DASHBOARD_LABEL } }, data },
                { parent: this, provider: args.ctx.k8sProvider, dependsOn: [crds] },
            );
        }
    }
}
