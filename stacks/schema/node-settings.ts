// containerd and kubelet settings of every node: the system node group's and every Karpenter EC2NodeClass's, written
// as one nodeadm NodeConfig (components/lib/nodeadm.ts). The container-runtime invariants (the systemd cgroup driver,
// swap off, size-based log rotation: what a Docker daemon.json sets with exec-opts native.cgroupdriver=systemd and
// log-opts max-size/max-file) are settings of their own that accept only the one value the nodes run with, so the
// NodeConfig states them and a stack that says otherwise is refused instead of silently overridden.
import { z } from "zod";
import { quantity } from "./common";

/** Kubernetes binary sizes in bytes, for the log-size floor. */
const MIB = 1024 ** 2;
const UNIT_BYTES: Readonly<Record<string, number>> = { Ki: 1024, Mi: MIB, Gi: 1024 * MIB };
const sizeBytes = (size: string): number => {
    const m = /^(\d+)(Ki|Mi|Gi)$/.exec(size);
    return m ? Number(m[1]) * (UNIT_BYTES[m[2] as string] ?? NaN) : NaN;
};

const reserved = z
    .strictObject({
        cpu: quantity.optional().describe("CPU reserved, e.g. 100m."),
        memory: quantity.optional().describe("Memory reserved, e.g. 256Mi."),
        "ephemeral-storage": quantity.optional().describe("Ephemeral storage reserved, e.g. 1Gi."),
    })
    .describe("Resources the kubelet keeps back from pods.");

const RUNTIME_SOURCE =
    "nodeadm at the pinned AMI release v20260714: kubelet cgroupDriver systemd (internal/kubelet/config.go), containerd SystemdCgroup = true (internal/containerd/config2.template.toml)";

export const nodeSettingsSchema = z
    .strictObject({
        cgroupDriver: z
            .literal("systemd", {
                message: `must be systemd: containerd's runc runtime drives cgroups through systemd (SystemdCgroup = true; ${RUNTIME_SOURCE}) and a kubelet on another driver fails to run pods`,
            })
            .describe(
                "The kubelet's and containerd's cgroup driver. Only systemd: stated in the NodeConfig's kubelet config and containerd drop-in; any other value is refused.",
            ),
        failSwapOn: z
            .literal(true, {
                message: "must be true: nodes run without swap, and the kubelet refuses to start on a node that has swap on",
            })
            .describe("kubelet failSwapOn: the kubelet refuses to start on a node with swap. Only true; false is refused."),
        swapBehavior: z
            .literal("NoSwap", {
                message:
                    "must be NoSwap: pods never use swap (LimitedSwap needs failSwapOn false and swap provisioned on the node, which this platform does not do)",
            })
            .describe("kubelet memorySwap.swapBehavior: pods never use swap. Only NoSwap; LimitedSwap is refused."),
        containerLogMaxSize: z
            .string()
            .regex(/^\d+(Ki|Mi|Gi)$/, "must be a size such as 10Mi")
            .refine((size) => sizeBytes(size) >= MIB, {
                message: "must be at least 1Mi: the kubelet rotates each container's log at this size (its default is 10Mi)",
            })
            .describe("Container log file size before the kubelet rotates it (at least 1Mi)."),
        containerLogMaxFiles: z
            .number()
            .int()
            .min(2, "must be between 2 and 20: the kubelet keeps the current log and at least one rotated file")
            .max(20, "must be between 2 and 20")
            .describe("Rotated container log files the kubelet keeps per container (2 to 20)."),
        imageGcHighThresholdPercent: z
            .number()
            .int()
            .min(1, "must be between 1 and 100")
            .max(100, "must be between 1 and 100")
            .describe("Disk usage (%) at which the kubelet starts deleting unused images."),
        imageGcLowThresholdPercent: z
            .number()
            .int()
            .min(1, "must be between 1 and 100")
            .max(100, "must be between 1 and 100")
            .describe("Disk usage (%) image garbage collection frees down to (below the high threshold)."),
        systemReserved: reserved.describe("kubelet systemReserved: for the OS daemons."),
        kubeReserved: reserved.describe("kubelet kubeReserved: for the kubelet and containerd."),
        maxPods: z
            .number()
            .int()
            .min(8, "must be between 8 and 737")
            .max(737, "must be between 8 and 737")
            .optional()
            .describe(
                "Explicit max pods; unset: derived from the CNI mode (110 with prefix delegation) or nodeadm's ENI-based value. Checked against the CNI mode (at most 110 without prefix delegation) and against what each system node group instance type's ENIs can address (the VPC CNI's limits table in lib/catalog).",
            ),
        containerd: z
            .strictObject({
                maxConcurrentDownloads: z
                    .number()
                    .int()
                    .min(1, "must be between 1 and 20")
                    .max(20, "must be between 1 and 20")
                    .describe("Image layers containerd pulls at once (transfer service)."),
                registryMirrors: z
                    .record(
                        z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, "must be a registry host such as docker.io"),
                        z
                            .array(z.url({ message: "must be an https URL", protocol: /^https$/ }))
                            .min(1, "must list at least one mirror URL"),
                    )
                    .describe("Registry host -> mirror URLs (containerd hosts.toml), e.g. docker.io: [https://mirror.example.com]."),
            })
            .describe("containerd (AL2023 nodeadm drop-in, config version 3)."),
    })
    .refine((s) => s.imageGcLowThresholdPercent < s.imageGcHighThresholdPercent, {
        path: ["imageGcLowThresholdPercent"],
        message: "must be lower than imageGcHighThresholdPercent",
    })
    .describe(
        "containerd and kubelet settings of every node (system node group and Karpenter EC2NodeClasses): the systemd cgroup driver, no swap and size-based log rotation are fixed.",
    );
export type NodeSettings = z.infer<typeof nodeSettingsSchema>;

export const nodeSettingsDefaults: z.input<typeof nodeSettingsSchema> = {
    cgroupDriver: "systemd",
    failSwapOn: true,
    swapBehavior: "NoSwap",
    containerLogMaxSize: "50Mi",
    containerLogMaxFiles: 5,
    imageGcHighThresholdPercent: 85,
    imageGcLowThresholdPercent: 75,
    systemReserved: { cpu: "100m", memory: "256Mi", "ephemeral-storage": "1Gi" },
    kubeReserved: { cpu: "100m", memory: "512Mi", "ephemeral-storage": "1Gi" },
    containerd: { maxConcurrentDownloads: 3, registryMirrors: {} },
};
