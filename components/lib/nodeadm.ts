// nodeadm user data for AL2023 nodes (the system managed node group and Karpenter's EC2NodeClasses).
// Pure: plain values in, a NodeConfig object or a MIME document out; snapshot-tested in tests/nodeadm.test.ts.
//
// No `cluster` section on purpose: with an EKS AMI type (managed node group) and with Karpenter's `al2023@` alias,
// EKS / Karpenter write their own NodeConfig with the cluster's endpoint, CA and service CIDR, and nodeadm merges
// every NodeConfig part it finds in the user data.
import { stringify as toYaml } from "yaml";
import type { PlatformConfig } from "../../stacks/config";

/** The nodeadm NodeConfig (node.eks.aws/v1alpha1), reduced to the parts this platform sets. */
export interface NodeConfig {
    apiVersion: "node.eks.aws/v1alpha1";
    kind: "NodeConfig";
    spec: {
        kubelet?: { config?: Record<string, unknown>; flags?: string[] };
        containerd?: { config?: string };
    };
}

/** containerd and kubelet settings, as the validated config holds them (read-only). */
export type NodeSettingsInput = PlatformConfig["cluster"]["nodeSettings"];
export type RegistryMirrors = NodeSettingsInput["containerd"]["registryMirrors"];

/** Where nodeadm's default containerd config (config_path) looks for per-registry hosts.toml files. */
export const CONTAINERD_CERTS_DIR = "/etc/containerd/certs.d";
/**
 * containerd's runc runtime in config version 3, as nodeadm's own template names it (awslabs/amazon-eks-ami
 * nodeadm/internal/containerd/config2.template.toml at v20260714, b4fffb70: `runtimes.{{.RuntimeName}}` with
 * runtime_type io.containerd.runc.v2 and SystemdCgroup = true; RuntimeName is runc unless the NVIDIA runtime is found).
 */
export const RUNC_RUNTIME_TABLE = "plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc";
export const RUNC_RUNTIME_TYPE = "io.containerd.runc.v2";

/**
 * The container-runtime settings every node runs with, stated in the kubelet config we write (the workshop puts
 * them in Docker's daemon.json: exec-opts native.cgroupdriver=systemd, log-opts max-size/max-file; on AL2023 they
 * live in the kubelet and containerd configs). nodeadm at v20260714 already defaults the kubelet to cgroupDriver
 * systemd (nodeadm/internal/kubelet/config.go defaultKubeletSubConfig) and sets no swap or log settings, leaving the
 * kubelet's own defaults (failSwapOn true; memorySwap.swapBehavior NoSwap, kubernetes.io/docs/reference/node/
 * swap-behavior; containerLogMaxSize 10Mi, containerLogMaxFiles 5): stating them makes a change of default visible.
 */
export function runtimeKubeletConfig(
    settings: Pick<NodeSettingsInput, "cgroupDriver" | "failSwapOn" | "swapBehavior">,
): Record<string, unknown> {
    return {
        cgroupDriver: settings.cgroupDriver,
        failSwapOn: settings.failSwapOn,
        memorySwap: { swapBehavior: settings.swapBehavior },
    };
}

/** MIME media type nodeadm reads NodeConfig parts from. */
export const NODECONFIG_CONTENT_TYPE = "application/node.eks.aws";
export const MIME_BOUNDARY = "//eks-platform-nodeadm//";

/** Kubernetes resource lists without the unset entries (KubeletConfiguration rejects nulls). */
function resourceList(reserved: NodeSettingsInput["systemReserved"]): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const [name, quantity] of Object.entries(reserved)) if (quantity !== undefined) out[name] = quantity;
    return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * containerd drop-in merged by nodeadm into its own config. The AL2023 EKS AMIs for Kubernetes 1.32+ ship
 * containerd 2.1 (awslabs/amazon-eks-ami#2469), whose config is version 3: image settings live under
 * `io.containerd.cri.v1.images` and pulls go through the transfer service. max_concurrent_downloads is set on the
 * transfer service only: set under the CRI images plugin it makes containerd fall back to the legacy local pull
 * (bottlerocket-core-kit#838). The transfer service gets the hosts directory too, as its default is empty
 * (awslabs/amazon-eks-ami#2494), so registry mirrors apply to every pull.
 */
export function containerdConfigToml(settings: NodeSettingsInput["containerd"]): string {
    const lines = [
        "version = 3",
        "",
        "[plugins.'io.containerd.transfer.v1.local']",
        `max_concurrent_downloads = ${settings.maxConcurrentDownloads}`,
    ];
    if (Object.keys(settings.registryMirrors).length > 0) lines.push(`config_path = ${tomlString(CONTAINERD_CERTS_DIR)}`);
    lines.push(
        "",
        // Stated, though nodeadm's template writes the same for its default runtime: the kubelet's cgroupDriver must
        // match it, and a stated value is one a test can hold. runtime_type keeps the table a complete runtime on
        // NVIDIA AMIs, where nodeadm's default runtime is `nvidia` and this `runc` entry is an extra one. The table also
        // tells nodeadm the drop-in is config version 3: it looks for io.containerd.cri.v1.runtime or .images
        // (Version3configInNodeConfig, internal/containerd/config.go at v20260714) and otherwise merges the drop-in
        // into its version-2 template and runs `containerd config migrate`.
        `[${RUNC_RUNTIME_TABLE}]`,
        `runtime_type = ${tomlString(RUNC_RUNTIME_TYPE)}`,
        "",
        `[${RUNC_RUNTIME_TABLE}.options]`,
        `SystemdCgroup = true`,
    );
    return `${lines.join("\n")}\n`;
}

/**
 * The NodeConfig for a node: the runtime settings (systemd cgroups, no swap), kubelet log rotation, image GC,
 * reservations, max pods; the containerd drop-in.
 */
export function buildNodeConfig(settings: NodeSettingsInput, options: { maxPods?: number }): NodeConfig {
    const kubeletConfig: Record<string, unknown> = {
        ...runtimeKubeletConfig(settings),
        containerLogMaxSize: settings.containerLogMaxSize,
        containerLogMaxFiles: settings.containerLogMaxFiles,
        imageGCHighThresholdPercent: settings.imageGcHighThresholdPercent,
        imageGCLowThresholdPercent: settings.imageGcLowThresholdPercent,
    };
    const systemReserved = resourceList(settings.systemReserved);
    const kubeReserved = resourceList(settings.kubeReserved);
    if (systemReserved) kubeletConfig.systemReserved = systemReserved;
    if (kubeReserved) kubeletConfig.kubeReserved = kubeReserved;
    const maxPods = options.maxPods ?? settings.maxPods;
    if (maxPods !== undefined) kubeletConfig.maxPods = maxPods;
    return {
        apiVersion: "node.eks.aws/v1alpha1",
        kind: "NodeConfig",
        spec: {
            kubelet: { config: kubeletConfig },
            containerd: { config: containerdConfigToml(settings.containerd) },
        },
    };
}

/** A TOML basic string (JSON's escaping is a subset TOML accepts for printable ASCII). */
function tomlString(value: string): string {
    return JSON.stringify(value);
}

/** Registry hosts and mirror URLs end up in a shell script and TOML: refuse anything but plain URL characters. */
const SAFE = /^[A-Za-z0-9._~:/?#[\]@!$&'()*+,;=%-]+$/;
function assertSafe(value: string, what: string): void {
    if (!SAFE.test(value) || value.includes("'"))
        throw new Error(`nodeadm: ${what} ${JSON.stringify(value)} holds characters that are not allowed in a registry mirror`);
}

/** The upstream server of a registry host (Docker Hub's API is not at docker.io). */
export function registryServer(host: string): string {
    return host === "docker.io" ? "https://registry-1.docker.io" : `https://${host}`;
}

/** containerd's hosts.toml for one registry: its mirrors first (pull and resolve), then the upstream server. */
export function hostsToml(host: string, mirrors: readonly string[]): string {
    assertSafe(host, "registry host");
    const lines = [`server = ${tomlString(registryServer(host))}`];
    for (const mirror of mirrors) {
        assertSafe(mirror, "mirror URL");
        lines.push("", `[host.${tomlString(mirror)}]`, `capabilities = ["pull", "resolve"]`);
    }
    return `${lines.join("\n")}\n`;
}

/**
 * A shell script that writes /etc/containerd/certs.d/<host>/hosts.toml for every mirrored registry. cloud-init runs
 * it after nodeadm's config phase and before its run phase starts containerd and kubelet; containerd reads the
 * hosts directory on every pull anyway.
 */
export function registryMirrorScript(mirrors: RegistryMirrors): string | undefined {
    const hosts = Object.keys(mirrors).sort();
    if (hosts.length === 0) return undefined;
    const lines = ["#!/bin/bash", "set -euo pipefail"];
    for (const host of hosts) {
        const dir = `${CONTAINERD_CERTS_DIR}/${host}`;
        lines.push(
            `mkdir -p '${dir}'`,
            `cat > '${dir}/hosts.toml' <<'HOSTS_TOML'`,
            hostsToml(host, mirrors[host] ?? []).trimEnd(),
            "HOSTS_TOML",
        );
    }
    return `${lines.join("\n")}\n`;
}

interface MimePart {
    contentType: string;
    body: string;
}

function mimeMultipart(parts: MimePart[]): string {
    const out = ["MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"`, ""];
    for (const part of parts) {
        if (part.body.includes(MIME_BOUNDARY)) throw new Error("nodeadm: a user data part contains the MIME boundary");
        out.push(`--${MIME_BOUNDARY}`, `Content-Type: ${part.contentType}`, "", part.body.trimEnd(), "");
    }
    out.push(`--${MIME_BOUNDARY}--`, "");
    return out.join("\n");
}

/** The NodeConfig as nodeadm reads it: one YAML document. */
export function nodeConfigYaml(config: NodeConfig): string {
    return `---\n${toYaml(config, { lineWidth: 0 })}`;
}

/**
 * EC2 user data (plain text, not base64) as a MIME multipart/mixed document: the NodeConfig part
 * (application/node.eks.aws) and, when registry mirrors are given, a shell script part writing containerd's
 * hosts.toml files. Managed node groups and Karpenter both require MIME multipart user data to merge theirs.
 */
export function nodeadmUserData(config: NodeConfig, options: { registryMirrors?: RegistryMirrors } = {}): string {
    const parts: MimePart[] = [{ contentType: NODECONFIG_CONTENT_TYPE, body: nodeConfigYaml(config) }];
    const script = registryMirrorScript(options.registryMirrors ?? {});
    if (script) parts.push({ contentType: 'text/x-shellscript; charset="us-ascii"', body: script });
    return mimeMultipart(parts);
}

/** Both steps for a node's settings: the NodeConfig and the mirror script from the same settings. */
export function nodeUserData(settings: NodeSettingsInput, options: { maxPods?: number }): string {
    return nodeadmUserData(buildNodeConfig(settings, options), { registryMirrors: settings.containerd.registryMirrors });
}
