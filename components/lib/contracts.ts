// What the foundation components hand to the ones built on them. index.ts wires these; components depend on the
// interfaces, never on each other's classes.
import type * as aws from "@pulumi/aws";
import type * as kubernetes from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** Implemented by components/network.ts (eks-platform:network:Network). */
export interface NetworkOutputs {
    vpcId: pulumi.Output<string>;
    vpcCidr: string;
    /** Zone names, in subnet order. */
    availabilityZones: pulumi.Output<string[]>;
    publicSubnetIds: pulumi.Output<string>[];
    privateSubnetIds: pulumi.Output<string>[];
    /** Per-AZ subnets of network.podCidr (VPC CNI custom networking); empty when no podCidr. */
    podSubnets: { availabilityZone: pulumi.Output<string>; subnetId: pulumi.Output<string> }[];
    /** The VPC resource itself, for dependsOn and the destroy-time sweep hook. */
    vpc: aws.ec2.Vpc;
}

/** Implemented by components/cluster.ts (eks-platform:cluster:Cluster). */
export interface ClusterOutputs {
    clusterName: pulumi.Output<string>;
    /** The control plane (aws:eks/cluster:Cluster) for dependsOn. */
    eksCluster: pulumi.Output<aws.eks.Cluster>;
    endpoint: pulumi.Output<string>;
    certificateAuthority: pulumi.Output<string>;
    /** Kubernetes service CIDR (for nodeadm and CoreDNS). */
    serviceCidr: pulumi.Output<string>;
    oidcProviderArn: pulumi.Output<string>;
    oidcIssuer: pulumi.Output<string>;
    /** The EKS-created cluster security group; nodes launched by Karpenter join it too. */
    clusterSecurityGroupId: pulumi.Output<string>;
    /** kubeconfig JSON (secret). */
    kubeconfig: pulumi.Output<string>;
    /** The explicit Kubernetes provider every Kubernetes resource uses. */
    k8sProvider: kubernetes.Provider;
    /** The system managed node group: controllers' releases depend on it. */
    systemNodeGroup: pulumi.Resource;
    systemNodeRoleArn: pulumi.Output<string>;
    /** The default encrypted gp3 StorageClass's name (stateful releases depend on `defaultStorageClass`). */
    defaultStorageClassName: pulumi.Output<string>;
    defaultStorageClass: pulumi.Resource;
    /** The EKS Pod Identity agent add-on: every PodIdentityAssociation's pods need it running. */
    podIdentityAgent: pulumi.Resource;
}

/**
 * The labels of the system node group's nodes (tainted CriticalAddonsOnly=true:NoSchedule): controllers that must run
 * there select them. One definition, so the node group and every selector cannot drift apart.
 */
export const SYSTEM_NODE_LABELS: Readonly<Record<string, string>> = { "eks-platform/node-group": "system" };

export interface PortSpec {
    port: number;
    protocol?: "TCP" | "UDP";
}

/**
 * The EKS Pod Identity agent: a host-network DaemonSet answering the SDKs' container credentials requests on a
 * link-local address of every node: 169.254.170.23 for IPv4, [fd00:ec2::23] for IPv6, port 80 (EKS user guide,
 * manage-access/aws-access/service-accounts.adoc, "EKS Pod Identity Agent uses the hostNetwork ... port 80").
 */
export const POD_IDENTITY_AGENT = { ipv4: "169.254.170.23/32", ipv6: "fd00:ec2::23/128", port: 80 } as const;

/** One allowed flow to (ingress) or from (egress) a namespace's pods. Peers are ORed; an empty peer list is invalid. */
export interface TrafficRule {
    /** Why the flow exists: becomes the policy's name suffix and a comment annotation. */
    name: string;
    /** Peers: pods of these namespaces ("*" for every namespace). */
    namespaces?: string[];
    /** Peers: these CIDRs (load balancers, the control plane's ENIs in the VPC, 0.0.0.0/0 for AWS APIs). */
    cidrs?: string[];
    /** Ports on the destination; all ports when absent. */
    ports?: PortSpec[];
}

/**
 * What one namespace's pods need; everything else is denied once the baseline network policy applies. Each component
 * that creates a namespace declares its traffic; index.ts hands them all to the CNI's NetworkBaseline.
 */
export interface NamespaceTraffic {
    namespace: string;
    /** Pods of the namespace may talk to each other (multi-component add-ons such as Loki or Prometheus). */
    withinNamespace: boolean;
    /** Egress to the Kubernetes API server (controllers, operators). */
    kubeApi: boolean;
    /**
     * Some of the namespace's pods get AWS credentials through EKS Pod Identity (a PodIdentityAssociation targets
     * the namespace): they need egress to the Pod Identity agent on the node (POD_IDENTITY_AGENT).
     */
    podIdentity: boolean;
    ingress: TrafficRule[];
    egress: TrafficRule[];
}

/**
 * Where a platform controller serves its metrics, as its own chart makes them: a Service (ServiceMonitor) or only
 * pods (PodMonitor). The component that installs the controller declares it from the values it passes; the
 * Observability component turns it into the scrape object, so the two cannot disagree.
 */
export interface MetricsEndpoint {
    kind: "service" | "pod";
    namespace: string;
    /** Labels of the Service (kind service) or the pods (kind pod). */
    selector: Readonly<Record<string, string>>;
    /** The named port (of the Service, or of the pod's container). */
    port: string;
    path: string;
    /** A pod label whose value becomes the `job` label (the dashboards filter on it). */
    jobLabel?: string;
    /** The container port number when the pods run on the host network: the monitoring namespace must reach it on the nodes. */
    hostPort?: number;
}

/**
 * A shared Gateway a component's routes attach to (components/ingress makes it; index.ts hands it on): where the
 * Gateway is, which listener routes use, the label their namespace must carry to be admitted, and where its load
 * balancer connects to the targets from (the baseline network policy admits those addresses on the target ports).
 */
export interface GatewayAttachment {
    /** The Gateway object's namespace and name, and the listener routes attach to (parentRefs). */
    namespace: string;
    name: string;
    sectionName: string;
    /** The label a namespace needs for its routes to be admitted (the Gateway's allowedRoutes selector). */
    namespaceLabel: { key: string; value: string };
    /** How the load balancer reaches the pods: their own addresses (ip) or through the nodes (instance). */
    targetType: "ip" | "instance";
    /** The source addresses of the load balancer's connections to the targets. */
    targetSourceCidrs: string[];
    /** The Gateway resource: routes are created after it and deleted before it. */
    gateway: pulumi.Resource;
}
