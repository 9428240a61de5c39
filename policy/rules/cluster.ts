// Control-plane rules. Each reads the remote @pulumi/eks Cluster's inputs (all the offline plan can see) and the
// real aws:eks/cluster:Cluster child (what a real preview sees), so the same rule holds in both places.
import { KUBERNETES_MINORS, supportFindings, VERSIONS_AS_OF } from "../../stacks/versions";
import {
    asArray,
    asBool,
    at,
    componentInputsVisible,
    containsUnknown,
    describe,
    EKS_CLUSTER,
    EKS_CLUSTER_COMPONENT,
    isUnknown,
    k8sMeta,
    resourceRule,
    type EnforcementLevel,
    type Props,
    type ResourceValidationPolicy,
} from "./lib";

const CLUSTER_TYPES = [EKS_CLUSTER_COMPONENT, EKS_CLUSTER] as const;

/** The endpoint settings wherever they live: component inputs, or the control plane's vpcConfig. */
function endpointOf(type: string, props: Props): { publicAccess: unknown; privateAccess: unknown; cidrs: unknown } {
    if (type === EKS_CLUSTER_COMPONENT)
        return { publicAccess: props.endpointPublicAccess, privateAccess: props.endpointPrivateAccess, cidrs: props.publicAccessCidrs };
    return {
        publicAccess: at(props, "vpcConfig.endpointPublicAccess"),
        privateAccess: at(props, "vpcConfig.endpointPrivateAccess"),
        cidrs: at(props, "vpcConfig.publicAccessCidrs"),
    };
}

const applies = (type: string, props: Props) => type !== EKS_CLUSTER_COMPONENT || componentInputsVisible(props);

const OPEN_CIDRS = new Set(["0.0.0.0/0", "::/0"]);

export const endpointNotPublic = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "eks-endpoint-not-public",
            description: describe(
                "The EKS API endpoint is not open to the internet: the public endpoint is off, or (where allowPublicAccess) limited to listed networks, never 0.0.0.0/0.",
                "CIS Amazon EKS Benchmark 5.4.1, 5.4.2; EKS Best Practices Guide, Security: make the cluster endpoint private",
            ),
            types: CLUSTER_TYPES,
            configSchema: { properties: { allowPublicAccess: { type: "boolean", default: false } } },
            validate: (props, args, report) => {
                if (!applies(args.type, props)) return;
                const { allowPublicAccess } = args.getConfig<{ allowPublicAccess: boolean }>();
                const { publicAccess, cidrs } = endpointOf(args.type, props);
                const pub = asBool(publicAccess);
                if (pub === "unknown" || pub === false) return;
                // Both @pulumi/eks and the EKS API default to a public endpoint when the flag is left out.
                const how = pub === undefined ? "is public by default (endpointPublicAccess not set)" : "is public";
                if (!allowPublicAccess) return report(`the API endpoint ${how}; this environment allows only a private endpoint`);
                if (containsUnknown(cidrs)) return;
                const list = asArray(cidrs).filter((c): c is string => typeof c === "string");
                if (list.length === 0) return report(`the API endpoint ${how} with no publicAccessCidrs: EKS opens it to 0.0.0.0/0`);
                const open = list.filter((c) => OPEN_CIDRS.has(c) || c.endsWith("/0"));
                if (open.length > 0) report(`the API endpoint ${how} and open to ${open.join(", ")}`);
            },
        },
        level,
    );

export const endpointPrivateAccess = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "eks-endpoint-private-access",
            description: describe(
                "The private API endpoint is enabled so nodes and pods reach the API server inside the VPC.",
                "CIS Amazon EKS Benchmark 5.4.2; EKS Best Practices Guide, Security: cluster endpoint access",
            ),
            types: CLUSTER_TYPES,
            validate: (props, args, report) => {
                if (!applies(args.type, props)) return;
                const priv = asBool(endpointOf(args.type, props).privateAccess);
                if (priv === "unknown" || priv === true) return;
                report(
                    priv === undefined
                        ? "endpointPrivateAccess is not set (defaults to false): enable the private endpoint"
                        : "the private API endpoint is disabled",
                );
            },
        },
        level,
    );

export const secretsEncryption = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "eks-secrets-encryption-kms",
            description: describe(
                "Kubernetes secrets are envelope-encrypted with a customer-managed KMS key (rotation is checked by kms-key-rotation).",
                "CIS Amazon EKS Benchmark 5.3.1; EKS Best Practices Guide, Security: encrypt Kubernetes secrets with KMS",
            ),
            types: CLUSTER_TYPES,
            validate: (props, args, report) => {
                if (!applies(args.type, props)) return;
                if (args.type === EKS_CLUSTER_COMPONENT) {
                    const key = props.encryptionConfigKeyArn;
                    if (isUnknown(key) || (typeof key === "string" && key !== "")) return;
                    return report("encryptionConfigKeyArn is not set: secrets are not encrypted with a KMS key");
                }
                const configs = props.encryptionConfig;
                if (isUnknown(configs)) return;
                const list = asArray(configs);
                const ok = list.some((c) => {
                    const resources = at(c, "resources");
                    const key = at(c, "provider.keyArn");
                    return (
                        (isUnknown(resources) || asArray(resources).includes("secrets")) &&
                        (isUnknown(key) || (typeof key === "string" && key !== ""))
                    );
                });
                if (!ok) report("encryptionConfig does not encrypt the 'secrets' resource with a KMS key");
            },
        },
        level,
    );

export const kmsKeyRotation = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "kms-key-rotation",
            description: describe(
                "Symmetric customer-managed KMS keys (the secrets-encryption key among them) rotate automatically.",
                "CIS Amazon EKS Benchmark 5.3.1; CIS AWS Foundations Benchmark (rotation for customer-created symmetric CMKs); EKS Best Practices Guide, Security: rotate CMKs",
            ),
            types: ["aws:kms/key:Key"],
            validate: (props, _args, report) => {
                const spec = props.customerMasterKeySpec ?? props.keySpec;
                const usage = props.keyUsage;
                // AWS rotates only symmetric encryption keys; asymmetric and HMAC keys cannot rotate.
                if (
                    (typeof spec === "string" && spec !== "SYMMETRIC_DEFAULT") ||
                    (typeof usage === "string" && usage !== "ENCRYPT_DECRYPT")
                )
                    return;
                const rotation = asBool(props.enableKeyRotation);
                if (rotation === "unknown" || rotation === true) return;
                report("enableKeyRotation is not true: the key never rotates");
            },
        },
        level,
    );

export const controlPlaneLogging = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "eks-control-plane-audit-logging",
            description: describe(
                "Control-plane logging is on for audit (and api, authenticator by default) so API access can be reconstructed.",
                "CIS Amazon EKS Benchmark 2.1.1; EKS Best Practices Guide, Security: enable audit logs",
            ),
            types: CLUSTER_TYPES,
            configSchema: {
                properties: { requiredLogTypes: { type: "array", items: { type: "string" }, default: ["api", "audit", "authenticator"] } },
            },
            validate: (props, args, report) => {
                if (!applies(args.type, props)) return;
                const { requiredLogTypes } = args.getConfig<{ requiredLogTypes: string[] }>();
                const types = props.enabledClusterLogTypes;
                if (containsUnknown(types)) return;
                const enabled = asArray(types);
                const missing = requiredLogTypes.filter((t) => !enabled.includes(t));
                if (missing.length > 0)
                    report(
                        `control-plane log types ${missing.join(", ")} are not enabled (enabledClusterLogTypes: ${JSON.stringify(enabled)})`,
                    );
            },
        },
        level,
    );

export const accessEntriesAuthMode = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "eks-access-entries-only",
            description: describe(
                "Cluster access is managed with EKS access entries (authenticationMode API), not the aws-auth ConfigMap.",
                "EKS Best Practices Guide, Security (Identity and Access Management): use EKS access entries",
            ),
            types: CLUSTER_TYPES,
            validate: (props, args, report) => {
                if (!applies(args.type, props)) return;
                const mode = args.type === EKS_CLUSTER_COMPONENT ? props.authenticationMode : at(props, "accessConfig.authenticationMode");
                if (isUnknown(mode)) return;
                if (mode !== "API")
                    report(
                        `authenticationMode is ${mode === undefined ? "not set (CONFIG_MAP or API_AND_CONFIG_MAP by default)" : JSON.stringify(mode)}: use "API"`,
                    );
                if (args.type === EKS_CLUSTER_COMPONENT) {
                    for (const key of ["roleMappings", "userMappings", "instanceRoles"]) {
                        const v = props[key];
                        if (Array.isArray(v) && v.length > 0)
                            report(`${key} writes aws-auth entries: grant access with accessEntries instead`);
                    }
                }
            },
        },
        level,
    );

export const noAwsAuthConfigMap = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "no-aws-auth-configmap",
            description: describe(
                "No kube-system/aws-auth ConfigMap is managed: access entries replace it.",
                "EKS Best Practices Guide, Security (Identity and Access Management): the aws-auth ConfigMap is deprecated",
            ),
            types: ["kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:ConfigMapPatch"],
            validate: (props, _args, report) => {
                const { name, namespace } = k8sMeta(props);
                if (name === "aws-auth" && namespace === "kube-system")
                    report("manages kube-system/aws-auth: grant access with EKS access entries instead");
            },
        },
        level,
    );

export const kubernetesVersionAllowed = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "eks-kubernetes-version-allowed",
            description: describe(
                `The cluster's Kubernetes version is pinned, in the version table (${KUBERNETES_MINORS.join(", ")}), in EKS support on the table's date (${VERSIONS_AS_OF}), and past standard support only with upgradePolicy EXTENDED: the rule the config applies (stacks/versions/support.ts). allowedVersions narrows it further.`,
                "EKS Best Practices Guide, Cluster Upgrades: stay on a version in standard support; Amazon EKS Kubernetes version lifecycle (standard and extended support)",
            ),
            types: CLUSTER_TYPES,
            configSchema: {
                properties: { allowedVersions: { type: "array", items: { type: "string" }, default: [...KUBERNETES_MINORS] } },
            },
            validate: (props, args, report) => {
                if (!applies(args.type, props)) return;
                const { allowedVersions } = args.getConfig<{ allowedVersions: string[] }>();
                const version = props.version;
                if (isUnknown(version)) return;
                if (typeof version !== "string" || version === "")
                    return report("version is not set: EKS would pick its default version, so upgrades happen unplanned");
                if (!allowedVersions.includes(version))
                    return report(`Kubernetes ${version} is not on the allowed list (${allowedVersions.join(", ")})`);
                const policy = (props.upgradePolicy as { supportType?: unknown } | undefined)?.supportType;
                const supportType = policy === "EXTENDED" ? "EXTENDED" : "STANDARD";
                // The environment is the pack's enforcement level here: the config's prod rule, with EXTENDED as the acceptance.
                for (const finding of supportFindings({
                    environment: "prod",
                    kubernetesVersion: version,
                    supportType,
                    acceptExtendedSupport: supportType === "EXTENDED",
                }))
                    if (finding.severity === "error") report(finding.rule);
            },
        },
        level,
    );

export const noDefaultNodeGroup = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "eks-no-default-node-group",
            description: describe(
                "@pulumi/eks's default self-managed node group is skipped: nodes come from the managed system group and Karpenter, whose launch settings these rules check.",
                "EKS Best Practices Guide, Reliability/Karpenter: use managed node groups and Karpenter; @pulumi/eks ClusterArgs.skipDefaultNodeGroup",
            ),
            types: [EKS_CLUSTER_COMPONENT],
            validate: (props, _args, report) => {
                if (!componentInputsVisible(props)) return;
                const skip = asBool(props.skipDefaultNodeGroup);
                if (skip === "unknown" || skip === true) return;
                report("skipDefaultNodeGroup is not true: @pulumi/eks would create its default self-managed node group");
            },
        },
        level,
    );

export const addonVersionPinned = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "eks-addon-version-pinned",
            description: describe(
                "Every EKS add-on names its exact version, so upgrades are reviewed changes.",
                "EKS Best Practices Guide, Cluster Upgrades: upgrade add-ons explicitly with the cluster",
            ),
            types: ["aws:eks/addon:Addon"],
            validate: (props, _args, report) => {
                const version = props.addonVersion;
                if (isUnknown(version)) return;
                if (typeof version !== "string" || !/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(version)) {
                    report(`add-on ${String(props.addonName)} has no exact addonVersion (got ${JSON.stringify(version)})`);
                }
            },
        },
        level,
    );
