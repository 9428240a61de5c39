// Where the Ingress component's pods run, from the values it passes to the charts (aws-load-balancer-controller
// 3.5.0 templates/deployment.yaml; ingress-nginx controller Deployment and its admission hook Jobs).
import type { Toleration } from "../lib/placement";
import { NO_REQUESTS, requestsOf, spreadOf, workload, type Workload } from "../lib/workloads";
import { LBC_NAMESPACE, NGINX_NAMESPACE } from "./values";

interface PodValues {
    nodeSelector?: Record<string, string>;
    tolerations?: Toleration[];
    topologySpreadConstraints?: unknown;
    priorityClassName?: string;
    resources?: { requests?: { cpu?: string; memory?: string } };
}

/** The controller Deployment (replicaCount pods; on the host network in calico-cni, so one per node). */
export function loadBalancerControllerWorkloads(values: PodValues & { replicaCount: number; hostNetwork?: boolean }): Workload[] {
    return [
        workload({
            name: "aws-load-balancer-controller/controller",
            namespace: LBC_NAMESPACE,
            kind: "Deployment",
            replicas: values.replicaCount,
            nodeSelector: values.nodeSelector ?? {},
            tolerations: values.tolerations ?? [],
            spread: spreadOf(values.topologySpreadConstraints),
            antiAffinity: values.hostNetwork ? ["kubernetes.io/hostname"] : [],
            priorityClassName: values.priorityClassName,
            requests: requestsOf(values.resources),
        }),
    ];
}

/**
 * The ingress-nginx controller and, with admission webhooks, the two certificate Jobs the chart runs as Helm hooks.
 * Those Jobs keep the chart's defaults (controller.admissionWebhooks.patch: nodeSelector kubernetes.io/os=linux,
 * no tolerations, no resources).
 */
export function nginxWorkloads(values: {
    controller: PodValues & { replicaCount: number; admissionWebhooks?: { enabled?: boolean } };
}): Workload[] {
    const c = values.controller;
    const out = [
        workload({
            name: "ingress-nginx/controller",
            namespace: NGINX_NAMESPACE,
            kind: "Deployment",
            replicas: c.replicaCount,
            nodeSelector: c.nodeSelector ?? {},
            tolerations: c.tolerations ?? [],
            spread: spreadOf(c.topologySpreadConstraints),
            priorityClassName: c.priorityClassName,
            requests: requestsOf(c.resources),
        }),
    ];
    if (c.admissionWebhooks?.enabled) {
        out.push(
            workload({
                name: "ingress-nginx/admission-jobs",
                namespace: NGINX_NAMESPACE,
                kind: "Job",
                replicas: 1,
                nodeSelector: { "kubernetes.io/os": "linux" },
                tolerations: [],
                requests: NO_REQUESTS,
                assumptions: ["ingress-nginx admission Jobs: the chart's default placement (controller.admissionWebhooks.patch)"],
            }),
        );
    }
    return out;
}
