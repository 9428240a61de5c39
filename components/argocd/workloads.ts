// Where self-managed Argo CD's pods run, from the values the component passes (argo-cd chart 10.x): `global`
// places every Argo CD component, redis-ha gets the same placement at its own top level. Requests are the charts'
// defaults, which set none (argo-cd values.yaml: every component's `resources: {}`; redis-ha: redis and haproxy
// `resources: {}`); redis-ha's pods and its HAProxy keep the chart's hard anti-affinity on the hostname
// (`hardAntiAffinity: true`, three replicas each), which is why HA needs three system nodes.
import { NO_REQUESTS, workload, type Workload } from "../lib/workloads";
import type { Toleration } from "../lib/placement";

interface Placed {
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
}

interface ArgoCdPlacementValues {
    global: Placed;
    controller: { replicas: number };
    server: { replicas: number };
    repoServer: { replicas: number };
    applicationSet: { replicas: number };
    "redis-ha": Partial<Placed> & { enabled: boolean };
}

const ASSUMED = "requests are the chart's defaults (none: resources {})";

export function argocdWorkloads(values: ArgoCdPlacementValues, namespace: string): Workload[] {
    const { nodeSelector, tolerations } = values.global;
    const component = (name: string, kind: Workload["kind"], replicas: number, extra: Partial<Workload> = {}) =>
        workload({
            name: `argocd/${name}`,
            namespace,
            kind,
            replicas,
            nodeSelector,
            tolerations,
            requests: NO_REQUESTS,
            assumptions: [ASSUMED],
            ...extra,
        });
    const out = [
        component("application-controller", "StatefulSet", values.controller.replicas),
        component("server", "Deployment", values.server.replicas),
        component("repo-server", "Deployment", values.repoServer.replicas),
        component("applicationset-controller", "Deployment", values.applicationSet.replicas),
        // notifications.enabled defaults to true in the chart.
        component("notifications-controller", "Deployment", 1),
    ];
    const ha = values["redis-ha"];
    if (!ha.enabled) return [...out, component("redis", "Deployment", 1)];
    const haPlaced = { nodeSelector: ha.nodeSelector ?? {}, tolerations: ha.tolerations ?? [] };
    return [
        ...out,
        component("redis-ha-server", "StatefulSet", 3, { ...haPlaced, antiAffinity: ["kubernetes.io/hostname"] }),
        component("redis-ha-haproxy", "Deployment", 3, { ...haPlaced, antiAffinity: ["kubernetes.io/hostname"] }),
    ];
}
