// One way to install a platform chart: a helm.v3.Release with its chart pinned (version from config), in its
// namespace, on the cluster's Kubernetes provider, waiting for the system nodes (somewhere to run; and a destroy
// removes the release while they still exist) and for whatever else it names.
import * as kubernetes from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "./context";

/** Where a chart comes from: an https repository, or an oci:// reference in `chart` (no repository). */
export interface ChartSource {
    chart: string;
    repo?: string;
}

export interface PlatformReleaseArgs {
    /** The Helm release name (what `helm list` shows). */
    release: string;
    source: ChartSource;
    /** The exact chart version (config; never a range). */
    version: string;
    namespace: pulumi.Input<string>;
    values?: pulumi.Input<object>;
    /** Seconds Helm waits for the release's resources to be ready. */
    timeout?: number;
    /** The chart's crds/ belong to another release. */
    skipCrds?: boolean;
    /** What the release waits for beyond the system nodes: credentials (Pod Identity associations), CRDs, webhooks. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export function platformRelease(
    name: string,
    ctx: Pick<PlatformContext, "k8sProvider" | "systemNodeGroup">,
    args: PlatformReleaseArgs,
    parent: pulumi.Resource,
): kubernetes.helm.v3.Release {
    return new kubernetes.helm.v3.Release(
        name,
        {
            name: args.release,
            chart: args.source.chart,
            version: args.version,
            ...(args.source.repo ? { repositoryOpts: { repo: args.source.repo } } : {}),
            namespace: args.namespace,
            ...(args.values !== undefined ? { values: args.values } : {}),
            maxHistory: 10,
            ...(args.timeout !== undefined ? { timeout: args.timeout } : {}),
            ...(args.skipCrds ? { skipCrds: true } : {}),
        },
        { parent, provider: ctx.k8sProvider, dependsOn: [ctx.systemNodeGroup, ...(args.dependsOn ?? [])] },
    );
}
