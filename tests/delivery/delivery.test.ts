// The Delivery component in the shipped stacks' plans: the pipeline roles' access entries (deploy: cluster admin,
// preview: read incl. Secrets, both deleted with the cluster rather than before it), and the in-VPC runner: its
// CodeBuild project in the private subnets, the webhook for queued jobs of the runner workflows, the cluster
// security group's rule admitting it, and its service role checked with the IAM simulator.
import { describe, expect, it } from "vitest";
import { RUNNER_WORKFLOWS, runnerServicePolicy, runnerTrustPolicy, runnerWebhookFilterGroups } from "../../components/delivery";
import { platformConfigFor, type PlannedResource } from "../../plan";
import { ACCOUNT, REGION, request } from "../bootstrap/simulate";
import { sharedPlan } from "../helpers/shared-plan";

const byType = (resources: PlannedResource[], type: string) => resources.filter((r) => r.type === type);
const ofDelivery = (stack: string) => sharedPlan(stack).resources.filter((r) => r.urn.includes("eks-platform:delivery:Delivery"));

describe.each(["dev", "staging", "prod"])("Delivery in %s", (stack) => {
    const resources = ofDelivery(stack);
    const config = platformConfigFor(stack).delivery;
    const cluster = sharedPlan(stack).resources.find((r) => r.type === "eks-platform:cluster:Cluster");

    it("gives the deploy role cluster admin and the preview role read access, cluster-wide, deleted with the cluster", () => {
        const entries = byType(resources, "aws:eks/accessEntry:AccessEntry");
        expect(entries.map((e) => e.inputs.principalArn).sort()).toEqual([config.deployRoleArn, config.previewRoleArn].sort());
        for (const e of entries) expect(e.inputs).toMatchObject({ clusterName: `eks-platform-${stack}`, type: "STANDARD" });
        const policyOf = (arn: string | undefined) =>
            byType(resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").find((a) => a.inputs.principalArn === arn)?.inputs;
        expect(policyOf(config.deployRoleArn)).toMatchObject({
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            accessScope: { type: "cluster" },
        });
        expect(policyOf(config.previewRoleArn)).toMatchObject({
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
            accessScope: { type: "cluster" },
        });
        for (const r of [...entries, ...byType(resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")])
            expect(r.deletedWith, r.name).toBe(cluster?.urn);
    });

    it("puts the runner in the private subnets with its own security group, admitted to the API endpoint", () => {
        const [project] = byType(resources, "aws:codebuild/project:Project");
        expect(project?.inputs).toMatchObject({
            name: `eks-platform-${stack}-runner`,
            source: {
                type: "GITHUB",
                location: `https://github.com/${config.repository}.git`,
                auth: { type: "CODECONNECTIONS", resource: config.codebuild.connectionArn },
            },
            environment: { type: "LINUX_CONTAINER", privilegedMode: false, image: config.codebuild.image },
            buildTimeout: config.codebuild.timeoutMinutes,
        });
        const privateSubnets = sharedPlan(stack)
            .resources.filter((r) => r.type === "aws:ec2/subnet:Subnet" && r.name.includes("private"))
            .map((r) => r.urn);
        expect(privateSubnets.length).toBeGreaterThan(0);
        expect(project?.dependencies).toEqual(expect.arrayContaining(privateSubnets));
        const [sg] = byType(resources, "aws:ec2/securityGroup:SecurityGroup");
        expect(sg?.inputs.egress).toEqual([expect.objectContaining({ protocol: "tcp", fromPort: 443, toPort: 443 })]);
        expect(sg?.inputs.ingress ?? []).toEqual([]);
        const [rule] = byType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        expect(rule?.inputs).toMatchObject({ ipProtocol: "tcp", fromPort: 443, toPort: 443 });
        expect(rule?.dependencies).toContain(sg?.urn);
    });

    it("starts the runner only for queued jobs of the runner workflows", () => {
        const [webhook] = byType(resources, "aws:codebuild/webhook:Webhook");
        expect(webhook?.inputs.filterGroups).toEqual(runnerWebhookFilterGroups());
        const pattern = new RegExp(runnerWebhookFilterGroups()[0]?.filters[1]?.pattern ?? "$^");
        for (const w of RUNNER_WORKFLOWS) expect(w).toMatch(pattern);
        for (const w of ["ci", "preview-evil", "xdeploy"]) expect(w).not.toMatch(pattern);
    });
});

describe("the runner's service role (IAM simulator)", () => {
    const scope = { partition: "aws", region: REGION, accountId: ACCOUNT, projectName: "eks-platform-dev-runner" };
    const connectionArn = `arn:aws:codeconnections:${REGION}:${ACCOUNT}:connection/7d2469ff-514a-4e4f-9003-5ca4a43cdc41`;
    const role = {
        arn: `arn:aws:iam::${ACCOUNT}:role/runner`,
        policies: { runner: runnerServicePolicy({ ...scope, privateSubnetIds: ["subnet-aaa", "subnet-bbb"], connectionArn }) },
    };
    const eni = `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0123`;
    const subnet = (id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${id}`;

    it("lets CodeBuild attach interfaces only in the stack's private subnets", async () => {
        const ctx = (id: string, service = "codebuild.amazonaws.com") => ({ "ec2:Subnet": subnet(id), "ec2:AuthorizedService": service });
        expect(await request(role, "ec2:CreateNetworkInterfacePermission", eni, ctx("subnet-aaa"))).toBe("Allowed");
        expect(await request(role, "ec2:CreateNetworkInterfacePermission", eni, ctx("subnet-public"))).toBe("ImplicitlyDenied");
        expect(await request(role, "ec2:CreateNetworkInterfacePermission", eni, ctx("subnet-aaa", "lambda.amazonaws.com"))).toBe(
            "ImplicitlyDenied",
        );
    });

    it("writes only its own log group and uses only its connection; it gets no AWS access beyond that", async () => {
        const logs = (group: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}:log-stream:build-1`;
        expect(await request(role, "logs:PutLogEvents", logs("/aws/codebuild/eks-platform-dev-runner"))).toBe("Allowed");
        expect(await request(role, "logs:PutLogEvents", logs("/aws/codebuild/other"))).toBe("ImplicitlyDenied");
        expect(await request(role, "codeconnections:GetConnectionToken", connectionArn)).toBe("Allowed");
        expect(await request(role, "codeconnections:GetConnectionToken", connectionArn.replace("7d2469ff", "00000000"))).toBe(
            "ImplicitlyDenied",
        );
        expect(await request(role, "eks:DescribeCluster", `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/eks-platform-dev`)).toBe(
            "ImplicitlyDenied",
        );
        expect(await request(role, "sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/eks-platform-pipeline/eks-platform-dev-deploy`)).toBe(
            "ImplicitlyDenied",
        );
    });

    it("is assumable by CodeBuild for this project of this account only", () => {
        const trust = runnerTrustPolicy(scope);
        expect(trust.Statement).toEqual([
            expect.objectContaining({
                Principal: { Service: "codebuild.amazonaws.com" },
                Condition: {
                    StringEquals: {
                        "aws:SourceAccount": ACCOUNT,
                        "aws:SourceArn": `arn:aws:codebuild:${REGION}:${ACCOUNT}:project/eks-platform-dev-runner`,
                    },
                },
            }),
        ]);
    });
});
