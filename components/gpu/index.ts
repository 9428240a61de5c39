// eks-platform:gpu:DevicePlugin — NVIDIA's device plugin (Helm, pinned), a DaemonSet on the GPU nodes only. It
// advertises their GPUs as nvidia.com/gpu; without it a pod requesting one never schedules. The GPU nodes come from
// the Karpenter component's gpu pools; the AL2023 NVIDIA AMI they boot has the driver and the container toolkit, not
// the plugin (EKS user guide, ml-eks-optimized-ami.adoc: "you must apply the NVIDIA device plugin").
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import { platformRelease } from "../lib/helm";
import {
    DEVICE_PLUGIN_CHART,
    DEVICE_PLUGIN_NAMESPACE,
    DEVICE_PLUGIN_RELEASE,
    DEVICE_PLUGIN_REPOSITORY,
    devicePluginValues,
} from "./values";

export * from "./values";

export interface DevicePluginArgs {
    ctx: PlatformContext;
    config: PlatformConfig["gpu"]["devicePlugin"];
    /** The Karpenter NodePools of the GPU nodes (the plugin is useless before them, and deleted before them). */
    dependsOn?: pulumi.Resource[];
}

export class DevicePlugin extends pulumi.ComponentResource {
    constructor(name: string, args: DevicePluginArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:gpu:DevicePlugin", name, {}, opts);
        platformRelease(
            `${name}-nvidia-device-plugin`,
            args.ctx,
            {
                release: DEVICE_PLUGIN_RELEASE,
                source: { chart: DEVICE_PLUGIN_CHART, repo: DEVICE_PLUGIN_REPOSITORY },
                version: args.config.chartVersion,
                namespace: DEVICE_PLUGIN_NAMESPACE,
                values: devicePluginValues(),
                // A DaemonSet with no GPU node yet is ready at once (no pod is desired).
                timeout: 300,
                dependsOn: args.dependsOn,
            },
            this,
        );
        this.registerOutputs({});
    }
}
