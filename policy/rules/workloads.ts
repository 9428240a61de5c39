// Pod security rules for workloads the program declares directly (Pods, Deployments, DaemonSets, ...). Charts'
// rendered objects are not visible to a policy pack; these rules cover what the program writes itself.
import {
    asArray,
    asBool,
    at,
    describe,
    isRecord,
    k8sMeta,
    resourceRule,
    type EnforcementLevel,
    type Props,
    type ResourceValidationPolicy,
} from "./lib";

const WORKLOAD_TYPES = [
    "kubernetes:core/v1:Pod",
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
] as const;

/** The pod spec inside any workload kind. */
export function podSpecOf(type: string, props: Props): unknown {
    if (type === "kubernetes:core/v1:Pod") return at(props, "spec");
    if (type === "kubernetes:batch/v1:CronJob") return at(props, "spec.jobTemplate.spec.template.spec");
    return at(props, "spec.template.spec");
}

/** System components that need host access, as "namespace/name" globs; a stack's policy config can add more. */
const DEFAULT_ALLOWED = [
    "kube-system/aws-node",
    "kube-system/kube-proxy",
    "kube-system/ebs-csi-node",
    "calico-system/calico-node",
    "calico-system/csi-node-driver",
    "tigera-operator/tigera-operator",
    "*/*node-exporter*",
];

function allowed(patterns: readonly string[], namespace: string, name: string): boolean {
    const id = `${namespace}/${name}`;
    return patterns.some((p) =>
        new RegExp(
            `^${p
                .split("*")
                .map((s) => s.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
                .join(".*")}$`,
        ).test(id),
    );
}

const allowListSchema = {
    properties: { allowed: { type: "array" as const, items: { type: "string" as const }, default: DEFAULT_ALLOWED } },
};

function podRule(name: string, what: string, source: string, check: (spec: unknown) => string[]) {
    return (level: EnforcementLevel): ResourceValidationPolicy =>
        resourceRule(
            {
                name,
                description: describe(`${what} Exceptions are listed as namespace/name globs in the policy config (allowed).`, source),
                types: WORKLOAD_TYPES,
                configSchema: allowListSchema,
                validate: (props, args, report) => {
                    const { namespace, name: objectName } = k8sMeta(props);
                    const { allowed: patterns } = args.getConfig<{ allowed: string[] }>();
                    if (allowed(patterns, namespace, objectName)) return;
                    for (const problem of check(podSpecOf(args.type, props))) report(`${namespace}/${objectName}: ${problem}`);
                },
            },
            level,
        );
}

export const noPrivileged = podRule(
    "pods-no-privileged",
    "No container runs privileged.",
    "CIS Amazon EKS Benchmark 4.2.1 (minimize privileged containers); EKS Best Practices Guide, Security (Pod security): Pod Security Standards baseline",
    (spec) => {
        const containers = [
            ...asArray(at(spec, "containers")),
            ...asArray(at(spec, "initContainers")),
            ...asArray(at(spec, "ephemeralContainers")),
        ].filter(isRecord);
        return containers
            .filter((c) => asBool(at(c, "securityContext.privileged")) === true)
            .map((c) => `container ${String(c.name)} is privileged`);
    },
);

export const noHostNetwork = podRule(
    "pods-no-host-network",
    "No pod shares the node's network namespace (hostNetwork).",
    "CIS Amazon EKS Benchmark 4.2.4 (minimize hostNetwork); EKS Best Practices Guide, Security (Pod security)",
    (spec) => (asBool(at(spec, "hostNetwork")) === true ? ["hostNetwork is true"] : []),
);

export const noHostPid = podRule(
    "pods-no-host-pid",
    "No pod shares the node's process namespace (hostPID) or IPC namespace (hostIPC).",
    "CIS Amazon EKS Benchmark 4.2.2 (hostPID) and 4.2.3 (hostIPC); EKS Best Practices Guide, Security (Pod security)",
    (spec) => [
        ...(asBool(at(spec, "hostPID")) === true ? ["hostPID is true"] : []),
        ...(asBool(at(spec, "hostIPC")) === true ? ["hostIPC is true"] : []),
    ],
);
