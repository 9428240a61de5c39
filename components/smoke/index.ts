// eks-platform:smoke:Smoke — the smoke workload (eks-platform:smoke, on in dev): after `up`, proof that the platform
// serves traffic the ways teams use it. README, "Check that the platform serves traffic", has the kubectl check and what it prints.
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import type { GatewayAttachment, NamespaceTraffic } from "../lib/contracts";
import {
    SMOKE_APP,
    smokeDeployment,
    smokeNamespace,
    smokeNamespaceTraffic,
    smokePodDisruptionBudget,
    smokeRoute,
    smokeServices,
    type SmokeInput,
} from "./objects";

export * from "./objects";

export interface SmokeArgs {
    ctx: PlatformContext;
    config: PlatformConfig["smoke"];
    /** The internal Gateway the route attaches to (the config requires it). */
    gateway: GatewayAttachment;
    vpcCidr: string;
    /**
     * The load balancer controller's release: the NLB Service is created after it (its webhook) and deleted before
     * it, so the controller is still there to delete the NLB.
     */
    loadBalancerController: pulumi.Resource;
}

export class Smoke extends pulumi.ComponentResource {
    readonly namespace: kubernetes.core.v1.Namespace;
    readonly namespaceTraffic: NamespaceTraffic;

    constructor(name: string, args: SmokeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:smoke:Smoke", name, {}, opts);
        const { ctx, config, gateway } = args;
        if (config.host === undefined) throw new Error("eks-platform:smoke.host is required while smoke.enabled");
        const input: SmokeInput = { replicas: config.replicas, host: config.host, gateway };
        const k8s = { parent: this, provider: ctx.k8sProvider };
        this.namespace = new kubernetes.core.v1.Namespace(`${name}-namespace`, smokeNamespace(input), k8s);
        const inNamespace = { ...k8s, dependsOn: [this.namespace] };
        const deployment = new kubernetes.apps.v1.Deployment(`${name}-deployment`, smokeDeployment(input), inNamespace);
        new kubernetes.policy.v1.PodDisruptionBudget(`${name}-pdb`, smokePodDisruptionBudget(), inNamespace);
        // Every Service after the controller: its Service webhook (failurePolicy Fail) sees all of them, and the NLB is
        // deleted while the controller still runs to remove it.
        const services = smokeServices(input);
        const afterController = { ...k8s, dependsOn: [this.namespace, args.loadBalancerController] };
        const clusterIp = new kubernetes.core.v1.Service(`${name}-service`, services.clusterIp, afterController);
        new kubernetes.core.v1.Service(`${name}-nodeport`, services.nodePort, afterController);
        new kubernetes.core.v1.Service(`${name}-nlb`, services.loadBalancer, afterController);
        new kubernetes.apiextensions.CustomResource(`${name}-route`, smokeRoute(input), {
            ...k8s,
            dependsOn: [this.namespace, clusterIp, gateway.gateway, args.loadBalancerController],
        });
        this.namespaceTraffic = smokeNamespaceTraffic(args.vpcCidr, gateway.targetSourceCidrs);
        this.registerOutputs({ deployment: deployment.metadata.name, service: SMOKE_APP });
    }
}
