// An HTTPRoute attached to one of the shared Gateways' listeners (GatewayAttachment): one host, every path to one
// Service port. Grafana's route (observability) and the smoke route (smoke) are built from it; teams write their own.
import type { GatewayAttachment } from "./contracts";

export interface HttpRouteInput {
    name: string;
    namespace: string;
    host: string;
    gateway: Pick<GatewayAttachment, "namespace" | "name" | "sectionName">;
    backend: { name: string; port: number };
}

export function httpRouteObject(i: HttpRouteInput) {
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: i.name, namespace: i.namespace },
        spec: {
            parentRefs: [
                {
                    group: "gateway.networking.k8s.io",
                    kind: "Gateway",
                    namespace: i.gateway.namespace,
                    name: i.gateway.name,
                    sectionName: i.gateway.sectionName,
                },
            ],
            hostnames: [i.host],
            rules: [
                { matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: i.backend.name, port: i.backend.port }] },
            ],
        },
    };
}
