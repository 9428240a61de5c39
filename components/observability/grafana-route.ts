// Grafana through a shared Gateway (the internal one, index.ts): an HTTPRoute in the monitoring namespace for
// grafana.ingressHost on the Gateway's HTTPS listener, and the TargetGroupConfiguration of Grafana's Service (the
// health check: "/" answers 302 to /login, which the load balancer would count as unhealthy). The route replaces the
// chart's Ingress; the monitoring namespace carries the Gateway's label so the route is admitted.
import * as kubernetes from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { GatewayAttachment } from "../lib/contracts";
import { httpRouteObject } from "../lib/routes";

export interface GrafanaRouteInput {
    host: string;
    namespace: string;
    /** Grafana's Service and its port (the subchart's defaults: 80 -> the container's 3000). */
    service: { name: string; port: number };
    gateway: Pick<GatewayAttachment, "namespace" | "name" | "sectionName" | "targetType">;
}

export function grafanaRouteObject(i: GrafanaRouteInput) {
    return httpRouteObject({ name: "grafana", namespace: i.namespace, host: i.host, gateway: i.gateway, backend: i.service });
}

export function grafanaTargetGroupConfigurationObject(i: GrafanaRouteInput) {
    return {
        apiVersion: "gateway.k8s.aws/v1",
        kind: "TargetGroupConfiguration",
        metadata: { name: "grafana", namespace: i.namespace },
        spec: {
            targetReference: { name: i.service.name },
            defaultConfiguration: { targetType: i.gateway.targetType, healthCheckConfig: { healthCheckPath: "/api/health" } },
        },
    };
}

/** The route and its target group settings; both after the Gateway and Grafana's release, deleted before them. */
export function createGrafanaRoute(
    name: string,
    input: GrafanaRouteInput,
    opts: { parent: pulumi.Resource; provider: kubernetes.Provider; dependsOn: pulumi.Resource[] },
): kubernetes.apiextensions.CustomResource {
    const targets = grafanaTargetGroupConfigurationObject(input);
    const targetConfig = new kubernetes.apiextensions.CustomResource(`${name}-grafana-targets`, targets, opts);
    const route = grafanaRouteObject(input);
    return new kubernetes.apiextensions.CustomResource(`${name}-grafana-route`, route, {
        ...opts,
        dependsOn: [...opts.dependsOn, targetConfig],
    });
}
