// eks-platform:cni:Cni — pod networking and network policy for the stack's CNI mode (docs/cni.md):
//   calico-policy   VPC CNI for pods + Calico (tigera-operator) for policy; aws-node may annotate pod IPs
//   vpc-cni-policy  VPC CNI with its own network policy agent; no Calico
//   calico-cni      Calico as the CNI (VXLAN), no aws-node; the Cluster must not install the vpc-cni add-on
// The vpc-cni add-on itself belongs to the Cluster (it must exist before the system nodes); index.ts hands it
// `vpcCniAddonSettings()`. This component adds what runs on top: Calico, ENIConfigs, the RBAC Calico mode needs.
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CniConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import { platformRelease } from "../lib/helm";
import {
    calicoApiServer,
    calicoInstallation,
    CALICO_APISERVER_TIMEOUT,
    CALICO_CHART,
    CALICO_NAMESPACE,
    CALICO_REPOSITORY,
    CALICO_SYSTEM_NAMESPACE,
    tigeraOperatorValues,
} from "./calico";
import { policyBackendFor, type PolicyBackend } from "./baseline";

export * from "./baseline";
export * from "./calico";
export * from "./vpcCni";

export interface PodSubnet {
    availabilityZone: pulumi.Input<string>;
    subnetId: pulumi.Input<string>;
}

export interface CniArgs {
    /** The platform context: Calico's operator runs on the system nodes; everything here waits for them. */
    ctx: PlatformContext;
    config: CniConfig;
    /** The vpc-cni add-on (it installs the ENIConfig CRD); ENIConfigs wait for it instead of the nodes when given. */
    vpcCniAddon?: pulumi.Resource;
    /** Per-AZ pod subnets of network.podCidr (NetworkOutputs.podSubnets): one ENIConfig each under custom networking. */
    podSubnets: readonly PodSubnet[];
    /** Security groups of the pods' ENIs under custom networking (the cluster security group, so nodes and pods talk). */
    podSecurityGroupIds: pulumi.Input<string>[];
}

/**
 * The ENIConfig custom networking reads for one zone (crd.k8s.amazonaws.com/v1alpha1). ipamd picks a node's ENIConfig
 * by the node's ENI_CONFIG_LABEL_DEF label (the zone), so each is named after its zone.
 */
export function eniConfigObject<T>(zone: T, subnetId: T, securityGroupIds: T[]) {
    return {
        apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
        kind: "ENIConfig",
        metadata: { name: zone },
        spec: { subnet: subnetId, securityGroups: securityGroupIds },
    };
}

export class Cni extends pulumi.ComponentResource {
    readonly mode: CniConfig["mode"];
    /** Which form the baseline policies take (NetworkBaseline). */
    readonly policyBackend: PolicyBackend;
    /** False in calico-cni: the VPC cannot route to pod addresses (load balancers target instances, webhooks go on host network). */
    readonly podsRoutableFromVpc: boolean;
    readonly calicoRelease?: kubernetes.helm.v3.Release;
    readonly installation?: kubernetes.apiextensions.CustomResource;
    readonly eniConfigs: kubernetes.apiextensions.CustomResource[] = [];
    /** What policy objects must wait for: the Calico API server (calico modes), nothing extra otherwise. */
    readonly policyReady: pulumi.Resource[] = [];
    /** Namespaces in which Calico creates Services (the operator's, calico-system's) without waiting for other components. */
    readonly serviceNamespaces: string[] = [];

    constructor(name: string, args: CniArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cni:Cni", name, {}, opts);
        const { config: cni, ctx } = args;
        this.mode = cni.mode;
        this.policyBackend = policyBackendFor(cni.mode);
        this.podsRoutableFromVpc = cni.mode !== "calico-cni";
        const k8s = { parent: this, provider: ctx.k8sProvider };

        if (cni.mode !== "vpc-cni-policy") {
            this.serviceNamespaces.push(CALICO_NAMESPACE, CALICO_SYSTEM_NAMESPACE);
            const namespace = new kubernetes.core.v1.Namespace(
                `${name}-tigera-operator`,
                {
                    metadata: {
                        name: CALICO_NAMESPACE,
                        // The operator runs host-networked and privileged.
                        labels: { "pod-security.kubernetes.io/enforce": "privileged", "app.kubernetes.io/managed-by": "pulumi" },
                    },
                },
                k8s,
            );
            this.calicoRelease = platformRelease(
                `${name}-calico`,
                ctx,
                {
                    release: "calico",
                    source: { chart: CALICO_CHART, repo: CALICO_REPOSITORY },
                    version: cni.calicoVersion,
                    namespace: namespace.metadata.name,
                    values: tigeraOperatorValues(ctx.system),
                    timeout: 600,
                },
                this,
            );
            const installation = calicoInstallation(cni, ctx.system);
            // Destroy removes the Installation first, while the operator still runs to tear calico-system down.
            this.installation = new kubernetes.apiextensions.CustomResource(`${name}-installation`, installation, {
                ...k8s,
                dependsOn: [this.calicoRelease],
            });
            // Ready before anything depends on it (CALICO_CRD_RETRY_WINDOW_SECONDS explains the ordering and its bounds).
            const apiServer = new kubernetes.apiextensions.CustomResource(`${name}-apiserver`, calicoApiServer(), {
                ...k8s,
                dependsOn: [this.installation],
                customTimeouts: { create: CALICO_APISERVER_TIMEOUT, update: CALICO_APISERVER_TIMEOUT },
            });
            this.policyReady.push(apiServer);
        }

        if (cni.mode === "calico-policy") {
            // ANNOTATE_POD_IP (set on the add-on by vpcCniAddonSettings) needs aws-node to patch pods (VPC CNI README).
            const role = new kubernetes.rbac.v1.ClusterRole(
                `${name}-aws-node-annotate-pod-ip`,
                {
                    metadata: { name: "eks-platform:aws-node-annotate-pod-ip" },
                    rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["patch"] }],
                },
                k8s,
            );
            new kubernetes.rbac.v1.ClusterRoleBinding(
                `${name}-aws-node-annotate-pod-ip`,
                {
                    metadata: { name: "eks-platform:aws-node-annotate-pod-ip" },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
                    subjects: [{ kind: "ServiceAccount", name: "aws-node", namespace: "kube-system" }],
                },
                k8s,
            );
        }

        if (cni.mode !== "calico-cni" && cni.vpcCni.customNetworking) {
            if (args.podSubnets.length === 0) {
                throw new Error(`Cni ${name}: vpcCni.customNetworking needs the network's pod subnets (network.podCidr), none were given`);
            }
            args.podSubnets.forEach((subnet, i) => {
                this.eniConfigs.push(
                    new kubernetes.apiextensions.CustomResource(
                        `${name}-eniconfig-${i}`,
                        eniConfigObject<pulumi.Input<string>>(subnet.availabilityZone, subnet.subnetId, args.podSecurityGroupIds),
                        // The CRD comes with the add-on; waiting for it (not the nodes) lets the ENIConfigs exist before
                        // the system nodes finish joining (docs/cni.md, ordering).
                        { ...k8s, dependsOn: [args.vpcCniAddon ?? ctx.systemNodeGroup] },
                    ),
                );
            });
        }

        this.registerOutputs({
            mode: this.mode,
            policyBackend: this.policyBackend,
            calicoRelease: this.calicoRelease?.name,
            eniConfigs: this.eniConfigs.length,
        });
    }
}
