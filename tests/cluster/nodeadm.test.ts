import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
    buildNodeConfig,
    containerdConfigToml,
    hostsToml,
    MIME_BOUNDARY,
    nodeadmUserData,
    nodeUserData,
    NODECONFIG_CONTENT_TYPE,
    RUNC_RUNTIME_TABLE,
} from "../../components/lib/nodeadm";
import { platformConfigFor } from "../../plan";

interface MimePart {
    headers: Record<string, string>;
    body: string;
}

/** A strict reader of a multipart/mixed document: top headers, boundary from Content-Type, parts, closing line. */
function parseMultipart(doc: string): { headers: Record<string, string>; parts: MimePart[] } {
    const readHeaders = (block: string) =>
        Object.fromEntries(
            block
                .split("\n")
                .filter((l) => l !== "")
                .map((l) => {
                    const at = l.indexOf(":");
                    if (at < 1) throw new Error(`bad header line ${JSON.stringify(l)}`);
                    return [l.slice(0, at).toLowerCase(), l.slice(at + 1).trim()];
                }),
        );
    const headerEnd = doc.indexOf("\n\n");
    const headers = readHeaders(doc.slice(0, headerEnd));
    const boundary = /^multipart\/mixed; boundary="([^"]+)"$/.exec(headers["content-type"] ?? "")?.[1];
    if (!boundary) throw new Error("no multipart/mixed boundary");
    const body = doc.slice(headerEnd + 2);
    const closing = `--${boundary}--\n`;
    if (!body.endsWith(closing)) throw new Error("missing closing boundary");
    const chunks = body.slice(0, -closing.length).split(`--${boundary}\n`);
    if (chunks[0] !== "") throw new Error("text before the first boundary");
    const parts = chunks.slice(1).map((chunk) => {
        const end = chunk.indexOf("\n\n");
        return { headers: readHeaders(chunk.slice(0, end)), body: chunk.slice(end + 2) };
    });
    return { headers, parts };
}

const dev = platformConfigFor("dev");
const settings = dev.cluster.nodeSettings;

describe("buildNodeConfig", () => {
    it("maps every kubelet setting to its KubeletConfiguration key, max pods from options over settings", () => {
        const config = buildNodeConfig(settings, { maxPods: 58 });
        expect(config.apiVersion).toBe("node.eks.aws/v1alpha1");
        expect(config.kind).toBe("NodeConfig");
        expect(config.spec).not.toHaveProperty("cluster");
        expect(config.spec.kubelet?.config).toEqual({
            cgroupDriver: "systemd",
            failSwapOn: true,
            memorySwap: { swapBehavior: "NoSwap" },
            containerLogMaxSize: "50Mi",
            containerLogMaxFiles: 5,
            imageGCHighThresholdPercent: 85,
            imageGCLowThresholdPercent: 75,
            systemReserved: { cpu: "100m", memory: "256Mi", "ephemeral-storage": "1Gi" },
            kubeReserved: { cpu: "100m", memory: "512Mi", "ephemeral-storage": "1Gi" },
            maxPods: 58,
        });
        expect(buildNodeConfig({ ...settings, maxPods: 30 }, {}).spec.kubelet?.config?.maxPods).toBe(30);
        expect(buildNodeConfig(settings, {}).spec.kubelet?.config).not.toHaveProperty("maxPods");
    });

    it("omits empty reservations instead of emitting nulls", () => {
        const config = buildNodeConfig({ ...settings, systemReserved: {}, kubeReserved: { memory: "1Gi" } }, {});
        expect(config.spec.kubelet?.config).not.toHaveProperty("systemReserved");
        expect(config.spec.kubelet?.config?.kubeReserved).toEqual({ memory: "1Gi" });
    });

    it("writes a containerd 2.x (config version 3) drop-in with downloads on the transfer service", () => {
        const toml = containerdConfigToml({ maxConcurrentDownloads: 7, registryMirrors: {} });
        expect(toml).toBe(
            "version = 3\n\n[plugins.'io.containerd.transfer.v1.local']\nmax_concurrent_downloads = 7\n\n" +
                "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]\nruntime_type = \"io.containerd.runc.v2\"\n\n" +
                "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]\nSystemdCgroup = true\n",
        );
        expect(toml).not.toContain("io.containerd.grpc.v1.cri");
        expect(containerdConfigToml({ maxConcurrentDownloads: 3, registryMirrors: { "docker.io": ["https://m.example.com"] } })).toContain(
            'config_path = "/etc/containerd/certs.d"',
        );
    });
});

/** The TOML tables of a drop-in and their keys, by a strict reader of the subset the drop-in uses (tables, key = value). */
function tomlTables(toml: string): Map<string, Record<string, string>> {
    const tables = new Map<string, Record<string, string>>([["", {}]]);
    let current = "";
    for (const line of toml.split("\n")) {
        if (line === "") continue;
        const table = /^\[([^[\]]+)\]$/.exec(line);
        if (table) {
            current = table[1] as string;
            if (tables.has(current)) throw new Error(`table ${current} defined twice`);
            tables.set(current, {});
            continue;
        }
        const pair = /^([A-Za-z_]+) = (.+)$/.exec(line);
        if (!pair) throw new Error(`not a TOML line this reader knows: ${JSON.stringify(line)}`);
        (tables.get(current) as Record<string, string>)[pair[1] as string] = pair[2] as string;
    }
    return tables;
}

describe("the container-runtime settings every node runs with (the workshop's daemon.json, on AL2023)", () => {
    const prod = platformConfigFor("prod").cluster.nodeSettings;

    it.each([
        ["dev", settings],
        ["prod", prod],
    ])("%s: the kubelet runs the systemd cgroup driver, refuses swap, gives pods none, and rotates logs by size", (_stack, s) => {
        const kubelet = buildNodeConfig(s, {}).spec.kubelet?.config ?? {};
        expect(kubelet).toMatchObject({ cgroupDriver: "systemd", failSwapOn: true, memorySwap: { swapBehavior: "NoSwap" } });
        expect(kubelet.containerLogMaxSize).toMatch(/^\d+(Mi|Gi)$/);
        expect(kubelet.containerLogMaxFiles).toBeGreaterThanOrEqual(2);
    });

    it("containerd's runc runtime uses systemd cgroups in the config-version-3 table nodeadm's template uses", () => {
        const tables = tomlTables(containerdConfigToml(settings.containerd));
        expect(tables.get("")).toEqual({ version: "3" });
        expect(tables.get(`${RUNC_RUNTIME_TABLE}.options`)).toEqual({ SystemdCgroup: "true" });
        expect(tables.get(RUNC_RUNTIME_TABLE)).toEqual({ runtime_type: '"io.containerd.runc.v2"' });
        // nodeadm takes a drop-in for config version 3 only when it names io.containerd.cri.v1.runtime or .images
        // (Version3configInNodeConfig at v20260714); otherwise it merges it into its version-2 template and migrates.
        const variants: Record<string, string[]>[] = [{}, { "docker.io": ["https://m.example.com"] }];
        for (const mirrors of variants) {
            const toml = containerdConfigToml({ maxConcurrentDownloads: 3, registryMirrors: mirrors });
            expect(toml.includes("io.containerd.cri.v1.runtime") || toml.includes("io.containerd.cri.v1.images")).toBe(true);
        }
        for (const name of tables.keys()) expect(name).not.toContain("io.containerd.grpc.v1.cri");
    });

    it("every node gets them: the user data of the system group and of each EC2NodeClass carries the same NodeConfig kubelet settings", () => {
        const part = parseMultipart(nodeUserData(prod, { maxPods: 110 })).parts[0] as MimePart;
        const parsed = parseYaml(part.body) as ReturnType<typeof buildNodeConfig>;
        expect(parsed.spec.kubelet?.config).toMatchObject({ cgroupDriver: "systemd", failSwapOn: true });
        expect(parsed.spec.containerd?.config).toContain("SystemdCgroup = true");
    });
});

describe("nodeadmUserData", () => {
    it("is a MIME multipart/mixed document whose NodeConfig part parses as YAML with the settings from config", () => {
        const doc = nodeUserData(settings, { maxPods: 110 });
        const mime = parseMultipart(doc);
        expect(mime.headers["mime-version"]).toBe("1.0");
        expect(mime.parts).toHaveLength(1);
        const part = mime.parts[0] as MimePart;
        expect(part.headers["content-type"]).toBe(NODECONFIG_CONTENT_TYPE);
        const parsed = parseYaml(part.body) as ReturnType<typeof buildNodeConfig>;
        expect(parsed).toEqual(buildNodeConfig(settings, { maxPods: 110 }));
        expect(parsed.spec.kubelet?.config?.containerLogMaxSize).toBe(settings.containerLogMaxSize);
        expect(parsed.spec.containerd?.config).toContain(`max_concurrent_downloads = ${settings.containerd.maxConcurrentDownloads}`);
    });

    it("adds a shell part writing hosts.toml for each mirrored registry", () => {
        const mirrors = {
            "docker.io": ["https://mirror.example.com"],
            "ghcr.io": ["https://ghcr-a.example.com", "https://ghcr-b.example.com:8443/v2"],
        };
        const doc = nodeUserData({ ...settings, containerd: { maxConcurrentDownloads: 3, registryMirrors: mirrors } }, {});
        const parts = parseMultipart(doc).parts;
        expect(parts.map((p) => p.headers["content-type"])).toEqual([NODECONFIG_CONTENT_TYPE, 'text/x-shellscript; charset="us-ascii"']);
        const script = (parts[1] as MimePart).body;
        expect(script.startsWith("#!/bin/bash\nset -euo pipefail\n")).toBe(true);
        expect(script).toContain("mkdir -p '/etc/containerd/certs.d/docker.io'");
        expect(script).toContain(
            `cat > '/etc/containerd/certs.d/ghcr.io/hosts.toml' <<'HOSTS_TOML'\n${hostsToml("ghcr.io", mirrors["ghcr.io"]).trimEnd()}\nHOSTS_TOML`,
        );
        expect(hostsToml("docker.io", mirrors["docker.io"])).toBe(
            'server = "https://registry-1.docker.io"\n\n[host."https://mirror.example.com"]\ncapabilities = ["pull", "resolve"]\n',
        );
    });

    it("refuses mirror values that would break out of the script or the TOML", () => {
        expect(() => hostsToml("docker.io", ["https://x.example.com/'; rm -rf /"])).toThrow(/not allowed/);
        expect(() => hostsToml('evil"host', [])).toThrow(/not allowed/);
        const config = buildNodeConfig(settings, {});
        config.spec.containerd = { config: `# --${MIME_BOUNDARY}` };
        expect(() => nodeadmUserData(config)).toThrow(/boundary/);
    });

    it("matches the reviewed snapshot for the dev and prod stacks", () => {
        expect(nodeUserData(settings, { maxPods: 110 })).toMatchSnapshot("dev");
        const prod = platformConfigFor("prod");
        expect(nodeUserData(prod.cluster.nodeSettings, { maxPods: prod.cluster.nodeSettings.maxPods })).toMatchSnapshot("prod");
    });
});
