// The Gateway API resources of the Ingress component, in the order the controller needs them: the standard-channel
// CRDs (before the controller: it looks for them once, at start-up), then, once the controller runs, the
// GatewayClasses, and per shared Gateway its LoadBalancerConfiguration and default TargetGroupConfiguration, the
// Gateway and its HTTP->HTTPS redirect route. Deleting runs the other way: routes, Gateways (their ALBs deleted by
// the controller, which still runs), classes, the controller, the CRDs.
import * as kubernetes from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { SHARED_GATEWAY_KEYS, type SharedGatewayKey } from "../../lib/gateways";
import { selectedRoles } from "../../lib/subnets";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import type { GatewayAttachment } from "../lib/contracts";
import {
    defaultTargetGroupConfigurationObject,
    GATEWAY_CONTROLLERS,
    gatewayApiStandardInstallUrl,
    gatewayClassObject,
    gatewayObject,
    gatewaySubnetSelector,
    HTTPS_LISTENER,
    httpsRedirectRouteObject,
    loadBalancerConfigurationObject,
    sharedGatewayName,
    targetSourceCidrs,
    type GatewayClassKind,
    type KubernetesObject,
    type SharedGatewayInputs,
    type SubnetCidrs,
} from "./gateway-objects";

type IngressConfig = PlatformConfig["ingress"];

/**
 * The standard-channel CRDs of the configured Gateway API release, applied from the release's own manifest.
 *
 * Why a yaml/v2 ConfigFile on the upstream URL: the program must not ship copies of upstream files, and there is no
 * official Helm chart of the Gateway API CRDs (kubernetes-sigs/gateway-api publishes the install manifests only).
 * The v2 ConfigFile is fetched and applied by the Kubernetes provider (server-side apply: the HTTPRoute CRD is too
 * large for a client-side apply's annotation), waits until every CRD is established, and is one registration that
 * whatever depends on it waits for as a whole. yaml.ConfigFile v1 would fetch the URL inside the program and register
 * its children after the fetch, too late for a dependsOn taken before. Offline the v2 component is remote: the plan
 * models its children (the release's CRDs and safe-upgrades policy, plan/mock-yaml.ts), as it models @pulumi/eks's.
 */
export function gatewayApiCrds(name: string, ctx: Pick<PlatformContext, "k8sProvider">, version: string, parent: pulumi.Resource) {
    return new kubernetes.yaml.v2.ConfigFile(
        `${name}-gateway-api-crds`,
        { file: gatewayApiStandardInstallUrl(version) },
        { parent, provider: ctx.k8sProvider },
    );
}

const customResource = (name: string, object: KubernetesObject, opts: pulumi.CustomResourceOptions) =>
    new kubernetes.apiextensions.CustomResource(name, object, opts);

export interface GatewaysArgs {
    name: string;
    parent: pulumi.Resource;
    ctx: Pick<PlatformContext, "k8sProvider" | "clusterName">;
    config: IngressConfig;
    /** The controller's release: the classes and every gateway.k8s.aws object need it (and its CRDs) running. */
    controllerRelease: pulumi.Resource;
    targetType: "ip" | "instance";
    vpcCidr: string;
    subnetCidrs: SubnetCidrs;
}

export interface GatewayResources {
    classes: Record<GatewayClassKind, kubernetes.apiextensions.CustomResource>;
    namespace?: kubernetes.core.v1.Namespace;
    gateways: Partial<Record<SharedGatewayKey, kubernetes.apiextensions.CustomResource>>;
    /** What a route of another component needs to attach to each enabled shared Gateway. */
    attachments: Partial<Record<SharedGatewayKey, GatewayAttachment>>;
}

export function sharedGateways(a: GatewaysArgs): GatewayResources {
    const k8s = { parent: a.parent, provider: a.ctx.k8sProvider };
    const afterController = { ...k8s, dependsOn: [a.controllerRelease] };
    const classes = {} as Record<GatewayClassKind, kubernetes.apiextensions.CustomResource>;
    for (const kind of Object.keys(GATEWAY_CONTROLLERS) as GatewayClassKind[])
        classes[kind] = customResource(`${a.name}-gateway-class-${kind}`, gatewayClassObject(kind), afterController);

    const enabled = SHARED_GATEWAY_KEYS.filter((key) => a.config.gateways[key].enabled);
    const result: GatewayResources = { classes, gateways: {}, attachments: {} };
    if (enabled.length === 0) return result;

    const namespaceName = a.config.gatewayApi.namespace;
    const namespace = new kubernetes.core.v1.Namespace(
        `${a.name}-gateways`,
        {
            metadata: {
                name: namespaceName,
                // Only Gateway API objects live here: no pod may run.
                labels: { "pod-security.kubernetes.io/enforce": "restricted", "app.kubernetes.io/managed-by": "pulumi" },
            },
        },
        k8s,
    );
    result.namespace = namespace;

    for (const key of enabled) {
        const settings = a.config.gateways[key];
        const inputs: SharedGatewayInputs = { key, settings, namespace: namespaceName, targetType: a.targetType, vpcCidr: a.vpcCidr };
        const gatewayName = sharedGatewayName(key);
        const inNs = { ...afterController, dependsOn: [a.controllerRelease, namespace] };
        const lbConfig = customResource(`${a.name}-${gatewayName}-lb-config`, loadBalancerConfigurationObject(inputs), inNs);
        const targets = customResource(`${a.name}-${gatewayName}-targets`, defaultTargetGroupConfigurationObject(inputs), inNs);
        const gateway = customResource(`${a.name}-${gatewayName}-gateway`, gatewayObject(inputs), {
            ...k8s,
            dependsOn: [classes.alb, lbConfig, targets, namespace],
        });
        customResource(`${a.name}-${gatewayName}-https-redirect`, httpsRedirectRouteObject(inputs), {
            ...k8s,
            dependsOn: [gateway],
        });
        result.gateways[key] = gateway;

        const label = settings.routeNamespaceLabel;
        if (!label) throw new Error(`gateways.${key}: routeNamespaceLabel is required (the config rule checks it)`);
        const roles = selectedRoles(gatewaySubnetSelector(key, settings), a.ctx.clusterName, a.subnetCidrs.pod.length > 0);
        result.attachments[key] = {
            namespace: namespaceName,
            name: gatewayName,
            sectionName: HTTPS_LISTENER,
            namespaceLabel: { ...label },
            targetType: a.targetType,
            targetSourceCidrs: targetSourceCidrs(roles, a.targetType, a.subnetCidrs),
            gateway,
        };
    }
    return result;
}
