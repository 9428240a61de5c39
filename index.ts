// eks-platform: reads the stack's typed configuration and composes the platform's components in dependency order.
// Data flows one way: stack file -> validated config -> components -> stack outputs.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgoCd } from "./components/argocd";
import { Cluster } from "./components/cluster";
import { Cni, maxPodsFor, NetworkBaseline, vpcCniAddonSettings } from "./components/cni";
import { Delivery } from "./components/delivery";
import { Ingress } from "./components/ingress";
import { Karpenter } from "./components/karpenter";
import { accountContext, platformContext } from "./components/lib/context";
import { Network } from "./components/network";
import { Observability } from "./components/observability";
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
// Network -> Cluster -> Delivery -> Cni -> Karpenter -> Ingress -> Observability -> ArgoCd.
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
    },
    providers,
);

const observability = new Observability(
    "observability",
    {
        ctx,
        config: config.observability,
        scrapeTargets: { karpenter: { namespace: config.karpenter.namespace }, loadBalancerController: { namespace: "kube-system" } },
        // Grafana's HTTPRoute (grafana.ingressHost) attaches to the internal Gateway.
        grafanaGateway: ingress.gatewayAttachments.internal,
        vpcCidr: network.vpcCidr,
    },
    providers,
);

// Argo CD for applications. Its AppProjects follow the teams section's teams once that section is merged (issue 16);
// until then the stacks declare no team and Argo CD gets none.
const argocd = new ArgoCd(
    "argocd",
    {
        ctx,
        config: config.delivery.argocd,
        teams: [],
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
        namespaces: [...ingress.namespaceTraffic, ...observability.namespaceTraffic],
        dependsOn: [
            ...cni.policyReady,
            ...(ingress.nginxNamespace ? [ingress.nginxNamespace] : []),
            ...(observability.namespaceResource ? [observability.namespaceResource] : []),
        ],
    });
}

export const environment = config.environment;
export const clusterName = config.clusterName;
export const region = config.region;
export const clusterEndpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
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
/** The pipeline roles with an access entry, and the runner the workflows' cluster jobs use (npm run stacks shows its label). */
export const pipelineAccess = Object.keys(delivery.accessEntries);
export const runnerProject = delivery.runnerProject?.name;
export const argocdNamespace = config.delivery.argocd.mode === "none" ? undefined : argocd.namespace;
