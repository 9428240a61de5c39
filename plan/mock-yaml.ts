// The children of a kubernetes:yaml/v2:ConfigFile, modeled. yaml/v2 components are remote: under mocks they are one
// registration, their objects read by the Kubernetes provider from the file at deploy time. The one the program
// declares is the Gateway API standard-channel install (components/ingress/gateway.ts); what its release manifest
// holds is listed here, per minor, from the release's config/crd/standard/ (v1.6.1: the files the conformance tests
// read, tests/plan/mock-yaml.test.ts compares the list with them), so the plan shows the CRDs a real `up` creates.
// Children are named as yaml/v2 names them: `<component name>:<metadata.name>` for cluster-scoped objects.
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

const GATEWAY_API_URL =
    /^https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/(v1\.(\d+)\.\d+)\/standard-install\.yaml$/;

interface ManifestObject {
    apiVersion: string;
    kind: string;
    name: string;
}

const crd = (plural: string): ManifestObject => ({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    name: `${plural}.gateway.networking.k8s.io`,
});

/** standard-install.yaml by Gateway API minor: kubernetes-sigs/gateway-api config/crd/standard/ at v1.6.1 (8bb74df0). */
export const GATEWAY_API_STANDARD_INSTALL: Readonly<Record<string, readonly ManifestObject[]>> = {
    "1.6": [
        ...["backendtlspolicies", "gatewayclasses", "gateways", "grpcroutes", "httproutes", "listenersets", "referencegrants"].map(crd),
        ...["tcproutes", "tlsroutes", "udproutes"].map(crd),
        {
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingAdmissionPolicy",
            name: "safe-upgrades.gateway.networking.k8s.io",
        },
        {
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingAdmissionPolicyBinding",
            name: "safe-upgrades.gateway.networking.k8s.io",
        },
    ],
};

/** The objects a ConfigFile of `file` declares, when the mock knows the file; undefined otherwise. */
export function modeledManifest(file: unknown): readonly ManifestObject[] | undefined {
    const m = typeof file === "string" ? GATEWAY_API_URL.exec(file) : null;
    return m ? GATEWAY_API_STANDARD_INSTALL[`1.${m[2]}`] : undefined;
}

/** Registers the ConfigFile's objects as its children (parent, provider and protect as the engine would pass them). */
export function registerConfigFileChildren(
    name: string,
    inputs: Record<string, unknown>,
    opts: { parent: pulumi.Resource; provider?: pulumi.ProviderResource; protect: boolean },
): void {
    const objects = modeledManifest(inputs.file);
    if (!objects) {
        const text = `mock runtime: kubernetes:yaml/v2:ConfigFile ${name} reads ${JSON.stringify(inputs.file)}: not modeled (plan/mock-yaml.ts)`;
        console.error(text);
        throw new Error(text);
    }
    for (const o of objects) {
        new kubernetes.apiextensions.CustomResource(
            `${name}:${o.name}`,
            // The object's identity: its full content is in the release's manifest, applied by the provider.
            { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name } },
            { parent: opts.parent, protect: opts.protect, ...(opts.provider ? { provider: opts.provider } : {}) },
        );
    }
}
