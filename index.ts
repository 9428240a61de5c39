// eks-platform: reads the stack's typed configuration and composes the platform's components in dependency order.
// Data flows one way: stack file -> validated config -> components -> stack outputs.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Cluster, partitionOf, SYSTEM_NODE_LABELS } from "./components/cluster";
import { Cni, maxPodsFor, NetworkBaseline, vpcCniAddonSettings } from "./components/cni";
import { Ingress } from "./components/ingress";
import { Karpenter } from "./components/karpenter";
import { Network } from "./components/network";
import { Observability } from "./components/observability";
import { ConfigError, parsePlatformConfig } from "./stacks/config";

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

/** The one AWS provider: region from config, the stack's tags on every resource that takes tags. */
const awsProvider = new aws.Provider("aws", {
    region: config.region as aws.Region,
    defaultTags: { tags: { ...config.tags } },
});

// Components are composed below in dependency order (see ../shared/ARCHITECTURE.md):
// Network -> Cluster -> Cni -> Karpenter -> Ingress -> Observability.
const providers = { providers: { aws: awsProvider } };

const network = new Network("network", { config: config.network, clusterName: config.clusterName, region: config.region }, providers);

const cluster = new Cluster(
    "cluster",
    {
        config: config.cluster,
        clusterName: config.clusterName,
        region: config.region,
        network,
        maxPods: maxPodsFor(config.cni, config.cluster.nodeSettings.maxPods),
        vpcCni: vpcCniAddonSettings(config.cni),
    },
    providers,
);

const cni = new Cni(
    "cni",
    {
        cni: config.cni,
        k8sProvider: cluster.k8sProvider,
        systemNodeGroup: cluster.systemNodeGroup,
        vpcCniAddon: cluster.addons["vpc-cni"],
        podSubnets: network.podSubnets,
        // Nodes share the EKS cluster security group; pod ENIs under custom networking join it too.
        podSecurityGroupIds: [cluster.clusterSecurityGroupId],
        systemNodeSelector: SYSTEM_NODE_LABELS,
    },
    providers,
);

const karpenter = new Karpenter(
    "karpenter",
    {
        config: config.karpenter,
        region: config.region,
        clusterName: cluster.clusterName,
        clusterEndpoint: cluster.endpoint,
        clusterSecurityGroupId: cluster.clusterSecurityGroupId,
        k8sProvider: cluster.k8sProvider,
        systemNodeGroup: cluster.systemNodeGroup,
        podIdentityAgent: cluster.podIdentityAgent,
        nodeSettings: config.cluster.nodeSettings,
        maxPods: maxPodsFor(config.cni, config.cluster.nodeSettings.maxPods),
    },
    providers,
);

const ingress = new Ingress(
    "ingress",
    {
        config: config.ingress,
        clusterName: cluster.clusterName,
        region: config.region,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        accountId: aws.getCallerIdentityOutput({}, { provider: awsProvider }).accountId,
        partition: partitionOf(config.region),
        k8sProvider: cluster.k8sProvider,
        systemNodeGroup: cluster.systemNodeGroup,
        podIdentityAgent: cluster.podIdentityAgent,
        clusterSecurityGroupId: cluster.clusterSecurityGroupId,
        // Nodes share the cluster security group (no separate node security group).
        nodeSecurityGroupId: cluster.clusterSecurityGroupId,
        podsRoutableFromVpc: cni.podsRoutableFromVpc,
        systemNodeSelector: SYSTEM_NODE_LABELS,
    },
    providers,
);

const observability = new Observability(
    "observability",
    {
        config: config.observability,
        clusterName: cluster.clusterName,
        region: config.region,
        k8sProvider: cluster.k8sProvider,
        systemNodeGroup: cluster.systemNodeGroup,
        defaultStorageClass: cluster.defaultStorageClass,
        defaultStorageClassName: cluster.defaultStorageClassName,
        podIdentityAgent: cluster.podIdentityAgent,
        protect: config.cluster.protect,
        scrapeTargets: { karpenter: { namespace: config.karpenter.namespace }, loadBalancerController: { namespace: "kube-system" } },
        ingressClassName: config.ingress.ingressClass.name,
        ingressController: ingress.controllerRelease,
        vpcCidr: network.vpcCidr,
    },
    providers,
);

// Baseline network policy of the namespaces the components create, from the traffic each declares.
if (config.cni.baselinePolicies) {
    new NetworkBaseline("network-baseline", {
        mode: config.cni.mode,
        k8sProvider: cluster.k8sProvider,
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
export const loadBalancerControllerRoleArn = ingress.controllerRoleArn;
export const karpenterNodeRoleName = karpenter.nodeRole.name;
export const karpenterInterruptionQueue = karpenter.interruptionQueue.name;
export const karpenterNodePools = karpenter.nodePoolNames;
export const grafanaAccess = observability.grafanaAccess;
export const lokiBuckets = observability.lokiBucketNames;
export const containerLogGroup = observability.containerLogGroupName;
