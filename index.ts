// eks-platform: reads the stack's typed configuration and composes the platform's components in dependency order.
// Data flows one way: stack file -> validated config -> components -> stack outputs.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CERT_MANAGER_NAMESPACE, CertManager } from "./components/certificates";
import { Cluster } from "./components/cluster";
import { ArgoCd } from "./components/argocd";
import { CALICO_NAMESPACE, Cni, maxPodsFor, NetworkBaseline, vpcCniAddonSettings } from "./components/cni";
import { Delivery } from "./components/delivery";
import { EXTERNAL_DNS_NAMESPACE, ExternalDns } from "./components/dns";
import { Fargate, FARGATE_LOGGING_NAMESPACE } from "./components/fargate";
import { DevicePlugin } from "./components/gpu";
import { Ingress } from "./components/ingress";
import { Karpenter } from "./components/karpenter";
import { Kyverno, KYVERNO_NAMESPACE } from "./components/kyverno";
import { accountContext, platformContext } from "./components/lib/context";
import { Network } from "./components/network";
import { Observability, observabilityServiceNamespaces } from "./components/observability";
import { SMOKE_NAMESPACE, Smoke } from "./components/smoke";
import { EfsStorage, FileSystem } from "./components/storage";
import { TeamRegistries, Teams } from "./components/teams";
import { ConfigError, parsePlatformConfig, PROJECT } from "./stacks/config";
import { alertingSecretNames } from "./stacks/schema/alerting";
import { devicePluginInstalled } from "./stacks/schema/gpu";

function loadConfig() {
    try {
        return parsePlatformConfig(pulumi.runtime.allConfig(), pulumi.getStack());
    } catch (err) {
        // Every problem at once, before any resource is declared; RunError prints without a stack trace.
        if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}

const config = loadConfig();
for (const w of config.warnings) void pulumi.log.warn(`${w.path}: ${w.rule} (got ${w.value})`);

/** The one AWS provider: region from config, the stack's tags on every resource that takes tags. */
const awsProvider = new aws.Provider("aws", {
    region: config.region as aws.Region,
    defaultTags: { tags: { ...config.tags } },
});
const providers = { providers: { aws: awsProvider } };

// One context for every component: the account first, then (once the cluster exists) the platform.
const account = accountContext(
    {
        stack: config.stack,
        environment: config.environment,
        region: config.region,
        clusterName: config.clusterName,
        protect: config.cluster.protect,
    },
    awsProvider,
    aws.getCallerIdentityOutput({}, { provider: awsProvider }).accountId,
);

// Components are composed below in dependency order (see ARCHITECTURE.md):
// Network -> FileSystem -> Cluster -> Delivery -> Cni -> Karpenter -> DevicePlugin -> CertManager -> Ingress ->
// EfsStorage -> Observability -> ExternalDns -> Teams -> Fargate -> Kyverno -> ArgoCd -> Smoke.
const network = new Network("network", { ctx: account, config: config.network }, providers);

// The EFS file system and its mount targets come before the cluster: the EFS CSI driver add-on waits for them, so a
// destroy deletes the driver (and the StorageClass, after it) before the mount targets.
const efs = config.storage.efs;
const fileSystem = efs.enabled ? new FileSystem("efs", { ctx: account, config: efs, network }, providers) : undefined;

const maxPods = maxPodsFor(config.cni, config.cluster.nodeSettings.maxPods);
const cluster = new Cluster(
    "cluster",
    {
        ctx: account,
        config: config.cluster,
        network,
        maxPods,
        vpcCni: vpcCniAddonSettings(config.cni),
        efsCsiDriver: fileSystem && efs.csiDriver ? { dependsOn: fileSystem.mountTargets } : undefined,
    },
    providers,
);
const ctx = platformContext(account, cluster);

// The pipeline's access to the cluster and its in-VPC runner, right after the cluster: nothing on the nodes needs them.
const delivery = new Delivery(
    "delivery",
    { ctx, config: config.delivery, vpcId: network.vpcId, privateSubnetIds: network.privateSubnetIds, cluster },
    providers,
);

const cni = new Cni(
    "cni",
    {
        ctx,
        config: config.cni,
        vpcCniAddon: cluster.addons["vpc-cni"],
        podSubnets: network.podSubnets,
        // Nodes share the EKS cluster security group; pod ENIs under custom networking join it too.
        podSecurityGroupIds: [cluster.clusterSecurityGroupId],
    },
    providers,
);

const karpenter = new Karpenter(
    "karpenter",
    { ctx, config: config.karpenter, nodeSettings: config.cluster.nodeSettings, maxPods },
    providers,
);

// NVIDIA's device plugin, on the GPU pools' nodes only (when the stack has GPU pools).
if (devicePluginInstalled(config.gpu, config.karpenter))
    new DevicePlugin("gpu", { ctx, config: config.gpu.devicePlugin, dependsOn: karpenter.nodePools }, providers);

const certManager = config.certificates.certManager.enabled
    ? new CertManager(
          "certificates",
          { ctx, config: config.certificates.certManager, vpcCidr: network.vpcCidr, podsRoutableFromVpc: cni.podsRoutableFromVpc },
          providers,
      )
    : undefined;

const ingress = new Ingress(
    "ingress",
    {
        ctx,
        config: config.ingress,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        subnetCidrs: network.plan,
        // Nodes share the cluster security group (no separate node security group).
        nodeSecurityGroupId: cluster.clusterSecurityGroupId,
        podsRoutableFromVpc: cni.podsRoutableFromVpc,
        // Services the other platform releases create alongside the controller: its Service webhook skips them.
        platformServiceNamespaces: [
            ...cni.serviceNamespaces,
            ...karpenter.serviceNamespaces,
            ...observabilityServiceNamespaces(config.observability),
            // Kyverno installs in parallel with the controller too (its webhook Services in its own namespace).
            ...(config.teams.kyverno.enabled ? [KYVERNO_NAMESPACE] : []),
            // Self-managed Argo CD's Services (the managed capability runs outside the cluster's nodes).
            ...(config.delivery.argocd.mode === "self-managed" ? [config.delivery.argocd.namespace] : []),
            // So do cert-manager (webhook, metrics) and external-dns (metrics).
            ...(certManager ? [CERT_MANAGER_NAMESPACE] : []),
            ...(config.dns.externalDns.enabled ? [EXTERNAL_DNS_NAMESPACE] : []),
        ],
    },
    providers,
);

const efsStorage = fileSystem
    ? new EfsStorage("storage", { ctx, config: efs, fileSystem, csiDriver: cluster.addons["efs-csi-driver"] }, providers)
    : undefined;

// The alert receivers' keys: Pulumi secrets the config names (pulumi config set --secret <name> <value>), read here
// as secret outputs, so they reach only the Kubernetes Secret Alertmanager mounts, never the values or the plan.
const secretConfig = new pulumi.Config();
const alertingSecrets = Object.fromEntries(
    alertingSecretNames(config.observability.alerting).map((key) => [key, secretConfig.requireSecret(key)]),
);

const observability = new Observability(
    "observability",
    {
        ctx,
        config: config.observability,
        // Each controller's metrics endpoint, as its own component declares it from its chart values.
        scrapeTargets: { karpenter: karpenter.metrics, loadBalancerController: ingress.controllerMetrics },
        // Grafana's HTTPRoute (grafana.ingressHost) attaches to the internal Gateway.
        grafanaGateway: ingress.gatewayAttachments.internal,
        vpcCidr: network.vpcCidr,
        alertingSecrets,
        certManager: certManager?.release,
    },
    providers,
);

const externalDns = config.dns.externalDns.enabled
    ? new ExternalDns("dns", { ctx, config: config.dns.externalDns, dependsOn: [ingress.gatewayApiCrds] }, providers)
    : undefined;

const teams = new Teams(
    "teams",
    {
        ctx,
        config: config.teams,
        kubernetesVersion: config.cluster.kubernetesVersion,
        // The shared Gateways teams attach routes to (the namespace label and the load balancers' addresses).
        gateways: ingress.gatewayAttachments,
        // Prometheus (in the monitoring namespace) scrapes the team pods that expose metrics.
        metricsScrapers: config.observability.prometheus.enabled ? observability.namespaceTraffic.map((t) => t.namespace) : [],
    },
    providers,
);
const teamRegistries = new TeamRegistries("team-registries", { ctx: account, config: config.teams }, providers);

// Fargate profiles by namespace; the teams' namespaces are the Teams component's, the others its own.
const fargate =
    config.fargate.profiles.length > 0
        ? new Fargate(
              "fargate",
              {
                  ctx,
                  config: config.fargate,
                  privateSubnetIds: network.privateSubnetIds,
                  namespacesMadeElsewhere: config.teams.teams.flatMap((t) => t.namespaces),
                  dependsOn: teams.namespaces,
              },
              providers,
          )
        : undefined;

// The smoke workload: served through ClusterIP, NodePort, an NLB and the internal Gateway (the config requires it).
const internalGateway = ingress.gatewayAttachments.internal;
const smoke =
    config.smoke.enabled && internalGateway
        ? new Smoke(
              "smoke",
              {
                  ctx,
                  config: config.smoke,
                  gateway: internalGateway,
                  vpcCidr: network.vpcCidr,
                  loadBalancerController: ingress.controllerRelease,
              },
              providers,
          )
        : undefined;

/** The namespaces of the platform's own components (and Kubernetes'): excepted from the teams' admission policies. */
const platformNamespaces = [
    ...new Set([
        "kube-system",
        "kube-public",
        "kube-node-lease",
        KYVERNO_NAMESPACE,
        config.karpenter.namespace,
        // The operator's namespace, and the two it creates for Calico itself.
        ...(config.cni.mode !== "vpc-cni-policy" ? [CALICO_NAMESPACE, "calico-system", "calico-apiserver"] : []),
        ...ingress.namespaceTraffic.map((t) => t.namespace),
        ...observability.namespaceTraffic.map((t) => t.namespace),
        ...(certManager ? [CERT_MANAGER_NAMESPACE] : []),
        ...(externalDns ? [EXTERNAL_DNS_NAMESPACE] : []),
        ...(fargate && config.fargate.logging.enabled ? [FARGATE_LOGGING_NAMESPACE] : []),
        ...(smoke ? [SMOKE_NAMESPACE] : []),
    ]),
].sort();

if (config.teams.kyverno.enabled) {
    new Kyverno(
        "kyverno",
        {
            ctx,
            config: config.teams,
            registryHost: teamRegistries.registryHost,
            teamNamespaces: teams.namespacesByTeam,
            platformNamespaces,
            monitoring: observability.kubePrometheusStack
                ? { release: observability.kubePrometheusStack, grafana: config.observability.grafana.enabled }
                : undefined,
            dependsOn: teams.namespaces,
        },
        providers,
    );
}

// Argo CD for applications: one AppProject per team, limited to its namespaces.
const argocd = new ArgoCd(
    "argocd",
    {
        ctx,
        config: config.delivery.argocd,
        teams: config.teams.teams.map((t) => ({ name: t.name, namespaces: [...t.namespaces] })),
        // A key of its own so that it is a Pulumi secret; the config contract validated it and keeps it out of PlatformConfig.
        ssoClientSecret: new pulumi.Config(PROJECT).getSecret("argocdSsoClientSecret"),
    },
    providers,
);

// Baseline network policy of the namespaces the components create, from the traffic each declares.
if (config.cni.baselinePolicies) {
    new NetworkBaseline("network-baseline", {
        mode: config.cni.mode,
        k8sProvider: ctx.k8sProvider,
        apiServerCidrs: [network.vpcCidr],
        namespaces: [
            ...ingress.namespaceTraffic,
            ...observability.namespaceTraffic,
            ...teams.namespaceTraffic,
            ...(certManager ? [certManager.namespaceTraffic] : []),
            ...(externalDns ? [externalDns.namespaceTraffic] : []),
            ...(smoke ? [smoke.namespaceTraffic] : []),
        ],
        dependsOn: [
            ...cni.policyReady,
            ...(ingress.nginxNamespace ? [ingress.nginxNamespace] : []),
            ...(observability.namespaceResource ? [observability.namespaceResource] : []),
            ...teams.namespaces,
            ...(certManager ? [certManager.namespace] : []),
            ...(externalDns ? [externalDns.namespace] : []),
            ...(smoke ? [smoke.namespace] : []),
        ],
    });
}

export const environment = config.environment;
export const clusterName = config.clusterName;
export const region = config.region;
export const clusterEndpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
/** For people: writes a kubeconfig entry that signs in with their own AWS credentials (plain text, no secret). */
export const kubeconfigCommand = cluster.kubeconfigCommand;
export const oidcProviderArn = cluster.oidcProviderArn;
export const clusterSecurityGroupId = cluster.clusterSecurityGroupId;
export const systemNodeRoleArn = cluster.systemNodeRoleArn;
export const vpcId = network.vpcId;
export const publicSubnetIds = network.publicSubnetIds;
export const privateSubnetIds = network.privateSubnetIds;
export const podSubnetIds = network.podSubnets.map((s) => s.subnetId);
export const cniMode = cni.mode;
export const ingressClassName = ingress.ingressClassName;
export const gatewayClassNames = ingress.gatewayClassNames;
/**
 * The shared Gateways teams attach HTTPRoutes to: the parentRef, the label a namespace needs, and the addresses the
 * load balancer connects to the pods from (for the teams' own NetworkPolicies).
 */
export const sharedGateways = Object.fromEntries(
    Object.entries(ingress.gatewayAttachments).map(([key, g]) => [
        key,
        {
            namespace: g.namespace,
            name: g.name,
            sectionName: g.sectionName,
            namespaceLabel: g.namespaceLabel,
            targetSourceCidrs: g.targetSourceCidrs,
        },
    ]),
);
export const loadBalancerControllerRoleArn = ingress.controllerRoleArn;
export const karpenterNodeRoleName = karpenter.nodeRole.name;
export const karpenterInterruptionQueue = karpenter.interruptionQueue.name;
export const karpenterNodePools = karpenter.nodePoolNames;
export const grafanaAccess = observability.grafanaAccess;
export const lokiBuckets = observability.lokiBucketNames;
export const containerLogGroup = observability.containerLogGroupName;
/** Each team's namespaces, and its ECR repositories' URLs. */
export const teamNamespaces = teams.namespacesByTeam;
export const teamRepositories = teamRegistries.repositoryUrls;
/** The pipeline roles with an access entry, and the runner the workflows' cluster jobs use (npm run stacks shows its label). */
export const pipelineAccess = Object.keys(delivery.accessEntries);
export const runnerProject = delivery.runnerProject?.name;
export const argocdNamespace = config.delivery.argocd.mode === "none" ? undefined : argocd.namespace;
/** The stack's EFS file system and its StorageClass (claims name it; ReadWriteMany). */
export const efsFileSystemId = fileSystem?.fileSystemId;
export const efsStorageClass = efsStorage?.storageClassName;
/** The SNS topic Alertmanager publishes alerts to: subscribe e-mail, chat or a pager to it. */
export const alertTopicArn = observability.alertTopicArn;
export const externalDnsRoleArn = externalDns?.roleArn;
/** Fargate: the pod execution role, the log group of Fargate pods, and each IRSA service account's role. */
export const fargatePodExecutionRoleArn = fargate?.podExecutionRoleArn;
export const fargateLogGroup = fargate?.logGroupName;
export const fargateServiceAccountRoles = fargate?.serviceAccountRoles;
