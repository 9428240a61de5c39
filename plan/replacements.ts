// Which input changes make `pulumi preview` replace a resource instead of updating it: per resource type the program
// declares, the create-only inputs, each with the provider source that makes it so. The AWS provider is bridged from
// terraform-provider-aws (a `ForceNew` or `RequiresReplace` attribute there is a replacement here; attribute names in
// Pulumi's camelCase, one-element blocks flattened to objects); the Kubernetes provider's own list is its
// forceNewProperties; @pulumi/eks components replace a child when an input feeding a create-only input of it changes.
// Read 2026-12-02 from the stored versions named below; a provider upgrade can move an input: re-read them then.

/** One type's replacement rules. Paths are dot paths into the inputs; `[*]` matches every element of an array. */
export interface CreateOnlyInputs {
    /** A change of the value at any of these paths replaces the resource. */
    paths: readonly string[];
    /** Replaces only when the value is removed (present before, absent now). */
    removed?: readonly string[];
    /** For a remote component: the child resource the change replaces (the component itself is only updated). */
    child?: string;
    source: string;
}

const TF_AWS = "hashicorp/terraform-provider-aws internal/service/";
const tf = (file: string, commit: string) => `${TF_AWS}${file} (stored version ${commit}): ForceNew/RequiresReplace attributes`;
const EKS_V430 = "pulumi/pulumi-eks v4.3.0 (0f5a5447) nodejs/eks";

export const CREATE_ONLY_INPUTS: Readonly<Record<string, CreateOnlyInputs>> = {
    "aws:ec2/vpc:Vpc": { paths: ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"], source: tf("ec2/vpc_.go", "00081ce4") },
    "aws:ec2/subnet:Subnet": {
        paths: ["availabilityZone", "availabilityZoneId", "cidrBlock", "vpcId", "ipv6Native", "outpostArn", "ipv4IpamPoolId"],
        source: tf("ec2/vpc_subnet.go", "00cda125"),
    },
    "aws:ec2/routeTable:RouteTable": { paths: ["vpcId"], source: tf("ec2/vpc_route_table.go", "02209241") },
    "aws:ec2/route:Route": {
        paths: ["routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"],
        source: tf("ec2/vpc_route.go", "0128541e"),
    },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": {
        paths: ["subnetId", "gatewayId"],
        source: tf("ec2/vpc_route_table_association.go", "0be71beb"),
    },
    "aws:ec2/internetGateway:InternetGateway": {
        paths: [],
        source: `${tf("ec2/vpc_internet_gateway.go", "08923b68")}: vpcId is updated in place`,
    },
    "aws:ec2/eip:Eip": {
        paths: ["address", "domain", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool"],
        source: tf("ec2/ec2_eip.go", "01606926"),
    },
    "aws:ec2/natGateway:NatGateway": {
        paths: ["allocationId", "connectivityType", "privateIp", "subnetId"],
        source: tf("ec2/vpc_nat_gateway.go", "04088eaa"),
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        paths: ["description", "name", "namePrefix", "vpcId"],
        source: tf("ec2/vpc_security_group.go", "01606926"),
    },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
        paths: ["vpcId"],
        source: `${tf("ec2/vpc_security_group.go", "01606926")} (aws_default_security_group keeps its schema in sync)`,
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        paths: ["securityGroupId"],
        source: `${tf("ec2/vpc_security_group_ingress_rule.go", "00a32209")}; ModifyPlan also replaces on a change of source kind`,
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        paths: ["vpcId", "serviceName", "vpcEndpointType", "serviceRegion", "resourceConfigurationArn", "serviceNetworkArn"],
        source: tf("ec2/vpc_endpoint.go", "008db85a"),
    },
    "aws:ec2/flowLog:FlowLog": {
        paths: [
            "iamRoleArn",
            "logDestination",
            "logDestinationType",
            "logFormat",
            "maxAggregationInterval",
            "trafficType",
            "vpcId",
            "subnetId",
            "eniId",
            "destinationOptions",
            "deliverCrossAccountRole",
        ],
        source: `${tf("ec2/vpc_flow_log.go", "00a35305")}: every argument but tags`,
    },
    "aws:ec2/launchTemplate:LaunchTemplate": {
        paths: ["name", "namePrefix"],
        source: `${TF_AWS}ec2/ec2_launch_template.go: name/name_prefix ForceNew, every other change is a new template version (not re-read offline)`,
    },
    "aws:cloudwatch/logGroup:LogGroup": { paths: ["name", "namePrefix", "logGroupClass"], source: tf("logs/group.go", "0073593e") },
    "aws:cloudwatch/eventRule:EventRule": { paths: ["name", "namePrefix", "eventBusName"], source: tf("events/rule.go", "0cdab4ae") },
    "aws:cloudwatch/eventTarget:EventTarget": { paths: ["rule", "targetId", "eventBusName"], source: tf("events/target.go", "0762c41e") },
    "aws:iam/role:Role": { paths: ["name", "namePrefix", "path"], source: tf("iam/role.go", "0040ea69") },
    "aws:iam/policy:Policy": { paths: ["description", "name", "namePrefix", "path"], source: tf("iam/policy.go", "01ccd9a2") },
    "aws:iam/rolePolicy:RolePolicy": { paths: ["name", "namePrefix", "role"], source: tf("iam/role_policy.go", "02f97af8") },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        paths: ["role", "policyArn"],
        source: tf("iam/role_policy_attachment.go", "04c79849"),
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": { paths: ["url"], source: tf("iam/openid_connect_provider.go", "01606926") },
    "aws:kms/key:Key": {
        paths: ["customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"],
        source: tf("kms/key.go", "00a35305"),
    },
    "aws:kms/alias:Alias": { paths: ["name", "namePrefix"], source: tf("kms/alias.go", "01c08000") },
    "aws:s3/bucket:Bucket": { paths: ["bucket", "bucketPrefix", "objectLockEnabled"], source: tf("s3/bucket.go", "4c72bcc7") },
    "aws:s3/bucketPolicy:BucketPolicy": { paths: ["bucket"], source: tf("s3/bucket_policy.go", "0073593e") },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
        paths: ["bucket"],
        source: tf("s3/bucket_public_access_block.go", "01606926"),
    },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
        paths: ["bucket"],
        source: tf("s3/bucket_ownership_controls.go", "01c08000"),
    },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
        paths: ["bucket", "expectedBucketOwner"],
        source: tf("s3/bucket_server_side_encryption_configuration.go", "01606926"),
    },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
        paths: ["bucket", "expectedBucketOwner"],
        source: tf("s3/bucket_lifecycle_configuration.go", "edd83424"),
    },
    "aws:sqs/queue:Queue": { paths: ["name", "namePrefix", "fifoQueue"], source: tf("sqs/queue.go", "00a35305") },
    "aws:sqs/queuePolicy:QueuePolicy": {
        paths: ["queueUrl"],
        source: `${TF_AWS}sqs/queue_policy.go: queue_url ForceNew (not re-read offline)`,
    },
    "aws:eks/cluster:Cluster": {
        paths: [
            "name",
            "roleArn",
            "bootstrapSelfManagedAddons",
            "accessConfig.bootstrapClusterCreatorAdminPermissions",
            "kubernetesNetworkConfig.ipFamily",
            "kubernetesNetworkConfig.serviceIpv4Cidr",
            "outpostConfig",
            "remoteNetworkConfig",
        ],
        removed: ["encryptionConfig"],
        source: `${tf("eks/cluster.go", "00555dc5")}; vpcConfig.subnetIds is updated in place since v5.25 (hashicorp/terraform-provider-aws#34209)`,
    },
    "aws:eks/addon:Addon": { paths: ["addonName", "clusterName"], source: tf("eks/addon.go", "00a35305") },
    "aws:eks/accessEntry:AccessEntry": { paths: ["clusterName", "principalArn", "type"], source: tf("eks/access_entry.go", "01f43111") },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": {
        paths: ["clusterName", "namespace", "serviceAccount"],
        source: tf("eks/pod_identity_association.go", "00a35305"),
    },
    "aws:eks/nodeGroup:NodeGroup": {
        paths: [
            "amiType",
            "capacityType",
            "clusterName",
            "diskSize",
            "instanceTypes",
            "launchTemplate.id",
            "launchTemplate.name",
            "nodeGroupName",
            "nodeGroupNamePrefix",
            "nodeRoleArn",
            "remoteAccess",
            "subnetIds",
        ],
        source: `${tf("eks/node_group.go", "012e0a32")}; version, releaseVersion, labels, taints, scalingConfig and launchTemplate.version update in place`,
    },
    "random:index/randomId:RandomId": {
        paths: ["keepers", "byteLength", "prefix"],
        source: "hashicorp/terraform-provider-random internal/provider/resource_id.go (stored version 04572027): RequiresReplace",
    },
    "random:index/randomPassword:RandomPassword": {
        paths: [
            "keepers",
            "length",
            "special",
            "upper",
            "lower",
            "numeric",
            "minLower",
            "minUpper",
            "minNumeric",
            "minSpecial",
            "overrideSpecial",
        ],
        source: "hashicorp/terraform-provider-random internal/provider/resource_password.go: every argument RequiresReplace (not re-read offline)",
    },
    // Remote components: their inputs feed a child's create-only inputs.
    "eks:index:Cluster": {
        paths: ["name", "kubernetesServiceIpAddressRange", "ipFamily", "bootstrapSelfManagedAddons", "serviceRole"],
        removed: ["encryptionConfigKeyArn"],
        child: "aws:eks/cluster:Cluster",
        source:
            `${EKS_V430}/cluster/cluster.ts createCore: name -> name, kubernetesServiceIpAddressRange/ipFamily -> ` +
            "kubernetesNetworkConfig, encryptionConfigKeyArn -> encryptionConfig, serviceRole -> roleArn",
    },
    "eks:index:ManagedNodeGroup": {
        paths: [
            "cluster",
            "clusterName",
            "amiType",
            "capacityType",
            "diskSize",
            "instanceTypes",
            "launchTemplate.id",
            "nodeGroupName",
            "nodeGroupNamePrefix",
            "nodeRole",
            "nodeRoleArn",
            "remoteAccess",
            "subnetIds",
        ],
        child: "aws:eks/nodeGroup:NodeGroup",
        source: `${EKS_V430}/nodes/nodegroup.ts createManagedNodeGroup: the inputs are the NodeGroup's (cluster -> clusterName)`,
    },
};

/**
 * Updates the provider accepts but the cloud refuses, so `pulumi up` stops there although `pulumi preview` shows an
 * update: per type, the inputs and why.
 */
export const REFUSED_UPDATES: Readonly<Record<string, { paths: readonly string[]; reason: string }>> = {
    "eks:index:Cluster": {
        paths: ["vpcId"],
        reason:
            "EKS keeps a cluster in the VPC it was created in: new subnets must be in the same VPC (EKS user guide, 'View Amazon EKS " +
            "networking requirements for VPC and subnets'), so UpdateClusterConfig fails; a new VPC needs a new cluster " +
            "(change eks-platform:cluster.name with it)",
    },
};

/** Remote components and the child that carries their replacements (for readers of the plan's dependency edges). */
export const REMOTE_COMPONENT_CHILD: Readonly<Record<string, string>> = Object.fromEntries(
    Object.entries(CREATE_ONLY_INPUTS).flatMap(([type, rule]) => (rule.child ? [[type, rule.child]] : [])),
);

const K8S_SOURCE = "pulumi/pulumi-kubernetes provider/pkg/provider/diff.go forceNewProperties (94977969, v4.32.0+27)";
const selector = (p: string) => [p, `${p}.matchExpressions`, `${p}.matchLabels`];
// Group/version/kind -> the fields the Kubernetes provider replaces on (metadata.name and .namespace always).
const K8S_KIND_FIELDS: Readonly<Record<string, readonly string[]>> = {
    "apps/v1:Deployment": selector("spec.selector"),
    "apps/v1:DaemonSet": selector("spec.selector"),
    "apps/v1:StatefulSet": [
        "spec.podManagementPolicy",
        "spec.revisionHistoryLimit",
        "spec.serviceName",
        "spec.volumeClaimTemplates",
        ...selector("spec.selector"),
    ],
    "batch/v1:Job": ["spec.completions", "spec.parallelism", "spec.template", ...selector("spec.selector")],
    "core/v1:PersistentVolumeClaim": ["spec.accessModes", "spec.storageClassName", "spec.volumeName", ...selector("spec.selector")],
    "core/v1:Service": ["spec.clusterIP"],
    "core/v1:ResourceQuota": ["spec.scopes"],
    "rbac.authorization.k8s.io/v1:ClusterRoleBinding": ["roleRef"],
    "rbac.authorization.k8s.io/v1:RoleBinding": ["roleRef"],
    "storage.k8s.io/v1:StorageClass": ["parameters", "provisioner"],
};

/**
 * The create-only inputs of a type, or undefined for a type with no known rule (its changes are shown as updates, and
 * the type is listed as unknown so a reviewer knows the diff could not tell). `provider` is the inputs of the
 * resource's Kubernetes provider: ConfigMaps and Secrets are replaced on a data change unless it makes them mutable.
 */
export function createOnlyInputs(type: string, provider?: Record<string, unknown>): CreateOnlyInputs | undefined {
    const known = CREATE_ONLY_INPUTS[type];
    if (known) return known;
    if (type === "kubernetes:helm.sh/v3:Release") {
        return {
            paths: ["name", "namespace"],
            source: "pulumi/pulumi-kubernetes provider/pkg/provider/helm_release.go Diff: forceNewFields .name, .namespace",
        };
    }
    if (type === "pulumi:providers:kubernetes") {
        return {
            paths: ["clusterIdentifier"],
            source: "pulumi/pulumi-kubernetes provider/pkg/provider/provider.go DiffConfig: a changed clusterIdentifier replaces the provider",
        };
    }
    const k8s = /^kubernetes:(.+):([A-Za-z0-9]+)$/.exec(type);
    if (!k8s) return undefined;
    const gvk = `${k8s[1]}:${k8s[2]}`;
    const mutable = (flag: string) => provider?.[flag] === true || provider?.[flag] === "true";
    const fields = [...(K8S_KIND_FIELDS[gvk] ?? [])];
    if (gvk === "core/v1:Secret") fields.push("type", ...(mutable("enableSecretMutable") ? [] : ["stringData", "data"]));
    if (gvk === "core/v1:ConfigMap" && !mutable("enableConfigMapMutable")) fields.push("data", "binaryData");
    return { paths: ["metadata.name", "metadata.namespace", ...fields], source: K8S_SOURCE };
}

/** The values at a dot path (`[*]` expands arrays), JSON-encoded for comparison; absent values are left out. */
export function valuesAt(value: unknown, path: string): string[] {
    const parts = path.split(".").flatMap((p) => (p.endsWith("[*]") ? [p.slice(0, -3), "[*]"] : [p]));
    let current: unknown[] = [value];
    for (const part of parts) {
        const next: unknown[] = [];
        for (const v of current) {
            if (part === "[*]") {
                if (Array.isArray(v)) next.push(...(v as unknown[]));
            } else if (v && typeof v === "object" && !Array.isArray(v) && part in v) {
                next.push((v as Record<string, unknown>)[part]);
            }
        }
        current = next;
    }
    return current.filter((v) => v !== undefined && v !== null).map((v) => JSON.stringify(v));
}

/** The create-only paths whose value differs between two input sets (or, for `removed`, that disappeared). */
export function replacingPaths(rule: CreateOnlyInputs, before: Record<string, unknown>, after: Record<string, unknown>): string[] {
    const changed = rule.paths.filter((p) => JSON.stringify(valuesAt(before, p)) !== JSON.stringify(valuesAt(after, p)));
    const removed = (rule.removed ?? []).filter((p) => valuesAt(before, p).length > 0 && valuesAt(after, p).length === 0);
    return [...changed, ...removed.map((p) => `${p} (removed)`)];
}

/**
 * True when a whole top-level input is create-only: when it becomes unknown (fed by a replaced resource) the provider
 * must replace. An input with a create-only path somewhere inside (metadata.name under metadata) is not enough: the
 * unknown part may be elsewhere in it.
 */
export function topLevelIsCreateOnly(rule: CreateOnlyInputs, key: string): boolean {
    return rule.paths.includes(key);
}
