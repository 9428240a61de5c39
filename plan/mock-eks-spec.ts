// Pure parts of the @pulumi/eks v4.3.0 model (plan/mock-eks.ts), read from pulumi/pulumi-eks@v4.3.0 nodejs/eks:
// the kubeconfig it writes, the credential options it derives from the deployer's environment, the inputs whose
// children the model covers, and the names it derives. Plain values in, plain values out.
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

const asRecord = (v: unknown): Record<string, unknown> =>
    v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** servicerole.ts sha1hash: the first 8 hex digits of a SHA-1, naming each policy attachment. */
export const sha1hash = (s: string): string => crypto.createHash("sha1").update(s).digest("hex").substring(0, 8);

/** cluster.ts generateKubeconfig: the exec plugin runs `aws eks get-token` with the region; a profile only if asked. */
export function generateKubeconfig(
    clusterName: string,
    endpoint: string,
    region: string,
    certData: string,
    includeProfile: boolean,
    opts?: { roleArn?: string; profileName?: string },
): Record<string, unknown> {
    let args = ["--region", region, "eks", "get-token", "--cluster-name", clusterName, "--output", "json"];
    if (opts?.roleArn) args = [...args, "--role", opts.roleArn];
    if (includeProfile && opts?.profileName) args = [...args, "--profile", opts.profileName];
    return {
        apiVersion: "v1",
        clusters: [{ cluster: { server: endpoint, "certificate-authority-data": certData }, name: "kubernetes" }],
        contexts: [{ context: { cluster: "kubernetes", user: "aws" }, name: "aws" }],
        "current-context": "aws",
        kind: "Config",
        users: [
            {
                name: "aws",
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args,
                        env: [{ name: "KUBERNETES_EXEC_INFO", value: `{"apiVersion": "client.authentication.k8s.io/v1beta1"}` }],
                    },
                },
            },
        ],
    };
}

/**
 * createCluster: with no explicit providerCredentialOpts, the deployer's AWS_PROFILE (then `aws:profile` config)
 * becomes them, so the kubeconfig of the component's own Kubernetes provider names that profile.
 */
export function effectiveCredentialOpts(
    inputs: Record<string, unknown>,
    env: NodeJS.ProcessEnv = process.env,
): Record<string, unknown> | undefined {
    if (inputs.providerCredentialOpts) return asRecord(inputs.providerCredentialOpts);
    if (env.AWS_PROFILE) return { profileName: env.AWS_PROFILE };
    const profile = new pulumi.Config("aws").get("profile");
    return profile ? { profileName: profile } : undefined;
}

/** Inputs whose effect (extra children, invokes) the model does not cover, each said with what is covered. */
export function unmodeledClusterInputs(inputs: Record<string, unknown>): string[] {
    const unsupported: string[] = [];
    if (inputs.skipDefaultNodeGroup !== true) unsupported.push("a default node group (skipDefaultNodeGroup not true)");
    if (inputs.skipDefaultSecurityGroups !== true) unsupported.push("the component's security groups (skipDefaultSecurityGroups not true)");
    if (inputs.createInstanceRole === true || inputs.instanceRole || inputs.instanceRoles) unsupported.push("instance roles");
    if (inputs.authenticationMode !== "API")
        unsupported.push(`authenticationMode ${String(inputs.authenticationMode)} (aws-auth ConfigMap)`);
    if (inputs.useDefaultVpcCni !== true) unsupported.push("the VpcCniAddon (useDefaultVpcCni not true)");
    if (asRecord(inputs.kubeProxyAddonOptions).enabled !== false) unsupported.push("the kube-proxy add-on");
    const coredns = asRecord(inputs.corednsAddonOptions);
    if (coredns.enabled === true || coredns.configurationValues) unsupported.push("the CoreDNS add-on");
    for (const key of ["storageClasses", "fargate", "autoMode", "serviceRole", "creationRoleProvider", "clusterSecurityGroup"])
        if (inputs[key] !== undefined && inputs[key] !== false) unsupported.push(key);
    return unsupported;
}

/** A mocked IAM thumbprint: the real one is read over TLS from oidc.eks.<region>.amazonaws.com at run time. */
export const mockThumbprint = (region: string) => crypto.createHash("sha1").update(`oidc.eks.${region}`).digest("hex");

/** nodegroup.ts: ManagedNodeGroup options that make the component build its own launch template. */
export const CUSTOM_LAUNCH_TEMPLATE_ARGS = [
    "kubeletExtraArgs",
    "bootstrapExtraArgs",
    "bottlerocketSettings",
    "nodeadmExtraOptions",
    "enableIMDSv2",
    "userData",
    "amiId",
    "enableEfaSupport",
];
