// eks-platform: reads the stack's typed configuration and composes the platform's components in dependency order.
// Data flows one way: stack file -> validated config -> components -> stack outputs.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "./components/cluster";
import { ArgoCd } from "./components/argocd";
import { CALICO_NAMESPACE, Cni, maxPodsFor, NetworkBaseline, vpcCniAddonSettings } from "./components/cni";
import { Delivery } from "./components/delivery";
import { Ingress } from "./components/ingress";
import { Karpenter } from "./components/karpenter";
import { Kyverno, KYVERNO_NAMESPACE } from "./components/kyverno";
import { accountContext, platformContext } from "./components/lib/context";
import { Network } from "./components/network";
import { Observability, observabilityServiceNamespaces } from "./components/observability";
import { TeamRegistries, Teams } from "./components/teams";
import { ConfigError, parsePlatformConfig, PROJECT } from "./stacks/config";

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
// Network -> Cluster -> Delivery -> Cni -> Karpenter -> Ingress -> Observability -> Teams -> Kyverno -> ArgoCd.
const network = new Network("network", { ctx: account, config: config.network }, providers);

const maxPods = maxPodsFor(config.cni, config.cluster.nodeSettings.maxPods);
const cluster = new Cluster(
    "cluster",
    { ctx: account, config: config.cluster, network, maxPods, vpcCni: vpcCniAddonSettings(config.cni) },
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
        ],
    },
    providers,
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
    },
    providers,
);

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
        namespaces: [...ingress.namespaceTraffic, ...observability.namespaceTraffic, ...teams.namespaceTraffic],
        dependsOn: [
            ...cni.policyReady,
            ...(ingress.nginxNamespace ? [ingress.nginxNamespace] : []),
            ...(observability.namespaceResource ? [observability.namespaceResource] : []),
            ...teams.namespaces,
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
