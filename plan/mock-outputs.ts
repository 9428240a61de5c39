// What the mock runtime answers in place of the cloud: per-type outputs of every resource the program declares
// (realistic ids, ARNs and names derived from type and name, so two plans of the same program are identical) and the
// AWS lookups (invokes) it makes. Anything not modelled fails loudly.
import type * as pulumi from "@pulumi/pulumi";
import { eksClusterState, managedNodeGroupState, modeledChildOptions } from "./mock-eks";
import { registerConfigFileChildren } from "./mock-yaml";
import { noteMockedId } from "./recorder";

export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_PARTITION = "aws";

// Ids and generated names derive from the resource's type and name, never from registration order (which varies
// between runs), so two plans of the same program are identical and `--diff` shows only real changes.
let counter = 0;
function seedFrom(text: string): number {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    return h % 1_000_000;
}
const hex = (n: number, len: number) => n.toString(16).padStart(len, "0").slice(-len);
const nextId = (prefix: string) => `${prefix}-${hex(++counter * 2654435761, 17)}`;

interface MockState {
    region: string;
    clusterName: string;
}
const mockState: MockState = { region: "eu-west-1", clusterName: "eks-platform" };

/** The region and cluster name the mock's ARNs, endpoints and ids use: the stack's. */
export function setMockTarget(target: MockState): void {
    mockState.region = target.region;
    mockState.clusterName = target.clusterName;
}

const arn = (service: string, resource: string, region = mockState.region) =>
    `arn:${MOCK_PARTITION}:${service}:${region}:${MOCK_ACCOUNT_ID}:${resource}`;

function str(v: unknown, fallback: string): string {
    return typeof v === "string" && v !== "" ? v : fallback;
}

type MockResult = { id: string; state: Record<string, unknown> };

/** Per-type outputs a real provider computes; anything not listed echoes its inputs with an id and a name. */
export function mockOutputs(type: string, name: string, inputs: Record<string, unknown>): MockResult | Promise<MockResult> {
    const result = outputsOf(type, name, inputs);
    if (result instanceof Promise) return result;
    noteMockedId(type, name, result.id);
    return result;
}

function outputsOf(type: string, name: string, inputs: Record<string, unknown>): MockResult | Promise<MockResult> {
    counter = seedFrom(`${type}::${name}`);
    const n = str(inputs.name, `${name}-${hex(counter + 1, 7)}`);
    const base = { ...inputs, name: n };
    switch (type) {
        case "eks:index:Cluster":
            return { id: "", state: eksClusterState(name, inputs, { region: mockState.region, partition: MOCK_PARTITION }) };
        case "kubernetes:yaml/v2:ConfigFile": {
            const opts = modeledChildOptions(type, name, "kubernetes");
            registerConfigFileChildren(name, inputs, {
                parent: opts.parent as pulumi.Resource,
                provider: opts.provider as pulumi.ProviderResource | undefined,
                protect: opts.protect ?? false,
            });
            return { id: "", state: { ...inputs, resources: {} } };
        }
        case "eks:index:ManagedNodeGroup":
            return managedNodeGroupState(name, inputs).then((state) => ({ id: "", state }));
        case "aws:ec2/vpc:Vpc": {
            const id = nextId("vpc");
            return {
                id,
                state: {
                    ...base,
                    arn: arn("ec2", `vpc/${id}`),
                    defaultSecurityGroupId: nextId("sg"),
                    mainRouteTableId: nextId("rtb"),
                    ownerId: MOCK_ACCOUNT_ID,
                },
            };
        }
        case "aws:ec2/subnet:Subnet": {
            const id = nextId("subnet");
            return { id, state: { ...base, arn: arn("ec2", `subnet/${id}`), availabilityZoneId: `euw1-az${(counter % 3) + 1}` } };
        }
        case "aws:ec2/securityGroup:SecurityGroup": {
            const id = nextId("sg");
            return { id, state: { ...base, arn: arn("ec2", `security-group/${id}`), ownerId: MOCK_ACCOUNT_ID } };
        }
        case "aws:ec2/launchTemplate:LaunchTemplate": {
            const id = nextId("lt");
            return { id, state: { ...base, arn: arn("ec2", `launch-template/${id}`), latestVersion: 1, defaultVersion: 1 } };
        }
        case "aws:ec2/eip:Eip":
            return {
                id: nextId("eipalloc"),
                state: { ...base, publicIp: `198.18.${counter % 250}.${(counter * 7) % 250}`, allocationId: nextId("eipalloc") },
            };
        case "aws:ec2/internetGateway:InternetGateway":
        case "aws:ec2/natGateway:NatGateway":
        case "aws:ec2/routeTable:RouteTable":
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
        case "aws:ec2/flowLog:FlowLog": {
            const prefix =
                { InternetGateway: "igw", NatGateway: "nat", RouteTable: "rtb", VpcEndpoint: "vpce", FlowLog: "fl" }[
                    type.split(":").pop() ?? ""
                ] ?? "res";
            const id = nextId(prefix);
            return { id, state: { ...base, arn: arn("ec2", `${prefix}/${id}`) } };
        }
        case "aws:iam/role:Role":
            return {
                id: n,
                state: {
                    ...base,
                    arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:role/${n}`,
                    uniqueId: `AROA${hex(counter, 17).toUpperCase()}`,
                },
            };
        case "aws:iam/policy:Policy":
            return {
                id: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:policy/${n}`,
                state: {
                    ...base,
                    arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:policy/${n}`,
                    policyId: `ANPA${hex(counter, 17).toUpperCase()}`,
                },
            };
        case "aws:iam/instanceProfile:InstanceProfile":
            return { id: n, state: { ...base, arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:instance-profile/${n}` } };
        case "aws:kms/key:Key": {
            const keyId = `${hex(counter, 8)}-1234-4abc-9def-${hex(counter * 31, 12)}`;
            return { id: keyId, state: { ...inputs, keyId, arn: arn("kms", `key/${keyId}`) } };
        }
        case "aws:kms/alias:Alias":
            return { id: str(inputs.name, `alias/${n}`), state: { ...inputs, arn: arn("kms", str(inputs.name, `alias/${n}`)) } };
        case "aws:sqs/queue:Queue":
            return {
                id: `https://sqs.${mockState.region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${n}`,
                state: { ...base, arn: arn("sqs", n), url: `https://sqs.${mockState.region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${n}` },
            };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { id: n, state: { ...base, arn: arn("logs", `log-group:${n}`) } };
        case "aws:sns/topic:Topic":
            // A topic's id is its ARN, named by its name.
            return { id: arn("sns", n), state: { ...base, arn: arn("sns", n) } };
        case "aws:efs/fileSystem:FileSystem": {
            const id = nextId("fs");
            return {
                id,
                state: {
                    ...inputs,
                    arn: arn("elasticfilesystem", `file-system/${id}`),
                    dnsName: `${id}.efs.${mockState.region}.amazonaws.com`,
                },
            };
        }
        case "aws:cloudwatch/eventRule:EventRule":
            return { id: n, state: { ...base, arn: arn("events", `rule/${n}`) } };
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2": {
            const bucket = str(inputs.bucket, n);
            return {
                id: bucket,
                state: {
                    ...base,
                    bucket,
                    arn: `arn:${MOCK_PARTITION}:s3:::${bucket}`,
                    bucketRegionalDomainName: `${bucket}.s3.${mockState.region}.amazonaws.com`,
                },
            };
        }
        case "aws:eks/cluster:Cluster": {
            // EKS creates the cluster security group (vpcConfig.clusterSecurityGroupId), the endpoint, the CA and the
            // OIDC issuer; @pulumi/eks reads all four from here.
            const oidcId = hex(counter * 7919 + 0xabcdef, 32).toUpperCase();
            const vpcConfig = (inputs.vpcConfig as Record<string, unknown> | undefined) ?? {};
            return {
                id: n,
                state: {
                    ...base,
                    arn: arn("eks", `cluster/${n}`),
                    endpoint: `https://${oidcId}.gr7.${mockState.region}.eks.amazonaws.com`,
                    certificateAuthority: {
                        data: Buffer.from(`-----BEGIN CERTIFICATE-----\nMOCK-${n}\n-----END CERTIFICATE-----\n`).toString("base64"),
                    },
                    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${mockState.region}.amazonaws.com/id/${oidcId}` }] }],
                    vpcConfig: { ...vpcConfig, clusterSecurityGroupId: nextId("sg"), vpcId: nextId("vpc") },
                    platformVersion: "eks.1",
                    status: "ACTIVE",
                },
            };
        }
        case "aws:eks/nodeGroup:NodeGroup": {
            const nodeGroupName = str(inputs.nodeGroupName, `${str(inputs.nodeGroupNamePrefix, "")}${hex(counter, 26)}`);
            return {
                id: `${mockState.clusterName}:${nodeGroupName}`,
                state: {
                    ...inputs,
                    nodeGroupName,
                    arn: arn("eks", `nodegroup/${mockState.clusterName}/${nodeGroupName}/${hex(counter, 8)}`),
                    status: "ACTIVE",
                },
            };
        }
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
            const host = str(inputs.url, `oidc.eks.${mockState.region}.amazonaws.com/id/MOCK`).replace("https://", "");
            const oidcArn = `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${host}`;
            return { id: oidcArn, state: { ...inputs, arn: oidcArn } };
        }
        case "aws:eks/addon:Addon":
            return {
                id: `${mockState.clusterName}:${str(inputs.addonName, n)}`,
                state: { ...base, arn: arn("eks", `addon/${mockState.clusterName}/${str(inputs.addonName, n)}/${hex(counter, 8)}`) },
            };
        case "aws:eks/podIdentityAssociation:PodIdentityAssociation":
            return {
                id: nextId("a"),
                state: {
                    ...base,
                    associationArn: arn("eks", `podidentityassociation/${mockState.clusterName}/${nextId("a")}`),
                    associationId: nextId("a"),
                },
            };
        case "aws:eks/accessEntry:AccessEntry":
            return {
                id: `${mockState.clusterName}:${str(inputs.principalArn, n)}`,
                state: { ...base, accessEntryArn: arn("eks", `access-entry/${mockState.clusterName}/${hex(counter, 8)}`) },
            };
        case "random:index/randomPassword:RandomPassword":
            return { id: n, state: { ...inputs, result: "mock-password-not-a-secret" } };
        case "pulumi:providers:kubernetes":
        case "pulumi:providers:aws":
            return { id: `${name}-provider-id`, state: inputs };
        default: {
            if (type.startsWith("kubernetes:")) {
                const metadata = (inputs.metadata as Record<string, unknown> | undefined) ?? {};
                return { id: `${str(metadata.namespace, "default")}/${str(metadata.name, name)}`, state: { ...inputs, status: {} } };
            }
            if (type.startsWith("aws:")) {
                return { id: `${name}-id`, state: { ...base, arn: arn(type.split(":")[1]?.split("/")[0] ?? "aws", `${name}`) } };
            }
            return { id: `${name}-id`, state: inputs };
        }
    }
}

/** Answers the AWS lookups the program makes; anything else fails loudly. */
export function mockCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const letters = ["a", "b", "c", "d"];
            return {
                names: letters.map((l) => `${mockState.region}${l}`),
                zoneIds: letters.map((_, i) => `${mockState.region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
                state: "available",
                id: mockState.region,
            };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                accountId: MOCK_ACCOUNT_ID,
                arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:role/ci-deployer`,
                userId: "AROAMOCK:ci",
                id: MOCK_ACCOUNT_ID,
            };
        case "aws:index/getPartition:getPartition":
            return { partition: MOCK_PARTITION, dnsSuffix: "amazonaws.com", id: MOCK_PARTITION, reverseDnsPrefix: "com.amazonaws" };
        case "aws:index/getRegion:getRegion":
            return {
                name: mockState.region,
                region: mockState.region,
                id: mockState.region,
                endpoint: `ec2.${mockState.region}.amazonaws.com`,
            };
        default: {
            const message = `mock runtime: unmocked call ${token}(${JSON.stringify(inputs)}): add it to plan/mock-outputs.ts mockCall`;
            // An error thrown here reaches the program with an empty message, so say it first.
            console.error(message);
            throw new Error(message);
        }
    }
}
