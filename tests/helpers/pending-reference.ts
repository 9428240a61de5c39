// Upstream reference files a conformance test needs that ../shared/reference and scripts/reference.lock.json do not
// hold yet (the reference copy is provisioned read-only; its lock must list exactly its files). Each is named here as
// the lock would name it, so moving it there is a copy of the entry: then the test switches to referencePath. Until
// then the file is looked up in the same places (../shared/reference, .cache/reference) and the test says when it
// is absent; `npm run reference` cannot download it yet.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { findReference, REFERENCE_CACHE_DIR, SHARED_REFERENCE_DIR } from "./reference";

export interface PendingReference {
    path: string;
    url: string;
    commit: string;
    sha256: string;
}

export const PENDING_REFERENCES: readonly PendingReference[] = [
    {
        path: "chart-values/cert-manager-v1.21.1.schema.json",
        url: "https://raw.githubusercontent.com/cert-manager/cert-manager/v1.21.1/deploy/charts/cert-manager/values.schema.json",
        commit: "24e33194fb39488eff2bbf10c6dc640f407cad44",
        sha256: "47730ad9154f6cde7a081de7541f88e085ff92a5e5fd65a41a3d0223ff735bea",
    },
    {
        path: "chart-values/cert-manager-v1.21.1.yaml",
        url: "https://raw.githubusercontent.com/cert-manager/cert-manager/v1.21.1/deploy/charts/cert-manager/values.yaml",
        commit: "24e33194fb39488eff2bbf10c6dc640f407cad44",
        sha256: "4d818a0facf6c8462fcd316f40bcc1c693f3a4aa0a2ad445bf4c54fa950203cf",
    },
    {
        path: "chart-values/external-dns-1.21.1.schema.json",
        url: "https://raw.githubusercontent.com/kubernetes-sigs/external-dns/external-dns-helm-chart-1.21.1/charts/external-dns/values.schema.json",
        commit: "9f26451346774099a8b3e3e5cc46a53bf2fd1461",
        sha256: "fd180b628a5d0e565a5469ef5b37e58dd661176092b5e2cb1059b210b4afa1a4",
    },
    {
        path: "chart-values/external-dns-1.21.1.yaml",
        url: "https://raw.githubusercontent.com/kubernetes-sigs/external-dns/external-dns-helm-chart-1.21.1/charts/external-dns/values.yaml",
        commit: "9f26451346774099a8b3e3e5cc46a53bf2fd1461",
        sha256: "3769875a194421f7f0dfd8aab1c23f08da3b61a47b574214a2aa197f7b277810",
    },
    {
        path: "chart-values/nvidia-device-plugin-0.20.0.yaml",
        url: "https://raw.githubusercontent.com/NVIDIA/k8s-device-plugin/v0.20.0/deployments/helm/nvidia-device-plugin/values.yaml",
        commit: "1b826acc6af3079d8923bac395c3124b8861a9a6",
        sha256: "ad339b160fc56d4ab4648a88e79b1eed277a15142e2e314734ee17bcd672b648",
    },
];

/** The path of a pending reference file, or undefined after a warning saying what provides it. */
export function pendingReferencePath(relPath: string): string | undefined {
    const entry = PENDING_REFERENCES.find((e) => e.path === relPath);
    if (!entry) throw new Error(`reference ${relPath} is not a pending reference (tests/helpers/pending-reference.ts)`);
    const found = findReference(relPath, { roots: [SHARED_REFERENCE_DIR, REFERENCE_CACHE_DIR] });
    // A file with other bytes than the entry names is not the pinned upstream file: fail, never compare against it.
    if (found) {
        const sha256 = createHash("sha256").update(fs.readFileSync(found)).digest("hex");
        if (sha256 !== entry.sha256) throw new Error(`reference ${found}: sha256 ${sha256}, expected ${entry.sha256}`);
    }
    if (!found)
        console.warn(
            `reference ${relPath} is not provisioned yet (${entry.url} at ${entry.commit}, sha256 ${entry.sha256}): this conformance check is skipped`,
        );
    return found;
}
