// Fargate: the component alone under the mock runtime (profiles, pod execution role, log router, IRSA service
// accounts), its pure parts against the EKS user guide's rules, the config rules (a team namespace with a node pool
// refused, warnings where Fargate lacks what a namespace expects), and the placement check on Fargate namespaces.
import * as coreV1 from "kubernetes-models/v1";
import { beforeAll, describe, expect, it } from "vitest";
import {
    awsLoggingData,
    Fargate,
    FARGATE_LOGGING_MAX_CHARS,
    fargateNamespace,
    fargateSelectors,
    podExecutionTrustPolicy,
} from "../../components/fargate";
import { CERT_MANAGER_CHART, certManagerValues } from "../../components/certificates/values";
import { SYSTEM_PLACEMENT } from "../../components/lib/placement";
import { checkPlacement, settle, setupMocks, type PlannedResource, type Recorder } from "../../plan";
import { configProblems, problemLine } from "../helpers/config";
import { sharedPlan } from "../helpers/shared-plan";
import { platformContextFor } from "../helpers/stand-ins";
import { managedGroup, planOf, release, subnets } from "../plan/placement.fixture";
import { platformConfigFor } from "../../plan";

const profiles = [
    {
        name: "batch",
        namespaces: ["batch", "reports"],
        serviceAccounts: [{ namespace: "batch", name: "exporter", managedPolicies: ["AmazonS3ReadOnlyAccess"] }],
    },
    { name: "storefront", namespaces: ["storefront"], labels: { "eks-platform/compute": "fargate" } },
];

let recorder: Recorder;
beforeAll(async () => {
    const setup = setupMocks({ stack: "dev", overrides: { "eks-platform:fargate": { profiles } } });
    recorder = setup.recorder;
    const ctx = platformContextFor(setup.config);
    new Fargate("fargate", {
        ctx,
        config: setup.config.fargate,
        privateSubnetIds: ["subnet-private-0", "subnet-private-1"],
        namespacesMadeElsewhere: ["storefront"],
    });
    await settle();
});

const json = (r: PlannedResource, key: string) => JSON.parse(r.inputs[key] as string) as Record<string, unknown>;

describe("the Fargate component", () => {
    it("makes one profile per config entry, in the private subnets, one after the other", () => {
        const made = recorder.byType("aws:eks/fargateProfile:FargateProfile");
        expect(made.map((p) => p.inputs.fargateProfileName)).toEqual(["batch", "storefront"]);
        for (const p of made) expect(p.inputs.subnetIds).toEqual(["subnet-private-0", "subnet-private-1"]);
        expect(made[0]?.inputs.selectors).toEqual([{ namespace: "batch" }, { namespace: "reports" }]);
        expect(made[1]?.inputs.selectors).toEqual([{ namespace: "storefront", labels: { "eks-platform/compute": "fargate" } }]);
        // EKS creates one profile at a time per cluster.
        expect(recorder.dependsOn(made[1] as PlannedResource, made[0] as PlannedResource)).toBe(true);
    });

    it("runs pods with a pod execution role trusted for this cluster's profiles only", () => {
        const role = recorder.one("aws:iam/role:Role", "fargate-pod-execution");
        const trust = json(role, "assumeRolePolicy") as { Statement: Record<string, unknown>[] };
        expect(trust.Statement[0]).toEqual({
            Effect: "Allow",
            Principal: { Service: "eks-fargate-pods.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { ArnLike: { "aws:SourceArn": "arn:aws:eks:eu-west-1:123456789012:fargateprofile/eks-platform-dev/*" } },
        });
        expect(
            recorder.one(
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                "fargate-pod-execution-AmazonEKSFargatePodExecutionRolePolicy",
            ).inputs.policyArn,
        ).toBe("arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy");
    });

    it("configures Fargate's log router before any profile: the aws-observability namespace and its aws-logging ConfigMap", () => {
        const ns = recorder
            .byType("kubernetes:core/v1:Namespace")
            .find((n) => (n.inputs.metadata as { name: string }).name === "aws-observability");
        expect((ns?.inputs.metadata as { labels: Record<string, string> }).labels).toEqual({ "aws-observability": "enabled" });
        const cm = recorder.one("kubernetes:core/v1:ConfigMap");
        expect(cm.inputs.metadata).toMatchObject({ name: "aws-logging", namespace: "aws-observability" });
        const data = cm.inputs.data as Record<string, string>;
        expect(data["output.conf"]).toContain("log_group_name /aws/eks/eks-platform-dev/fargate");
        expect(data["output.conf"]).toContain("auto_create_group false");
        for (const profile of recorder.byType("aws:eks/fargateProfile:FargateProfile")) expect(recorder.dependsOn(profile, cm)).toBe(true);
        const group = recorder.one("aws:cloudwatch/logGroup:LogGroup");
        expect(group.inputs).toMatchObject({ name: "/aws/eks/eks-platform-dev/fargate", retentionInDays: 7 });
        const logs = json(recorder.one("aws:iam/rolePolicy:RolePolicy", "fargate-pod-execution-logs"), "policy") as {
            Statement: { Action: string[] }[];
        };
        expect(logs.Statement[0]?.Action).toEqual(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
    });

    it("makes the namespaces no team owns, and IRSA service accounts (Pod Identity does not reach Fargate)", () => {
        const names = recorder.byType("kubernetes:core/v1:Namespace").map((n) => (n.inputs.metadata as { name: string }).name);
        expect(names.sort()).toEqual(["aws-observability", "batch", "reports"]);
        const sa = recorder.one("kubernetes:core/v1:ServiceAccount");
        expect(sa.inputs.metadata).toMatchObject({ name: "exporter", namespace: "batch" });
        const role = recorder.one("aws:iam/role:Role", "fargate-batch-exporter-role");
        const trust = json(role, "assumeRolePolicy") as {
            Statement: { Principal: unknown; Condition: { StringEquals: Record<string, string> } }[];
        };
        expect(trust.Statement[0]?.Condition.StringEquals).toEqual({
            "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:sub": "system:serviceaccount:batch:exporter",
            "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:aud": "sts.amazonaws.com",
        });
        expect(recorder.byType("aws:eks/podIdentityAssociation:PodIdentityAssociation")).toEqual([]);
        expect(() => new coreV1.Namespace(fargateNamespace("batch")).validate()).not.toThrow();
    });
});

describe("Fargate's pure parts", () => {
    it("keep the log router's ConfigMap within Fargate's rules: its size, only FILTER, OUTPUT and PARSER sections", () => {
        const data = awsLoggingData("eu-west-1", "/aws/eks/a-cluster-with-a-long-name-to-be-sure/fargate");
        expect(JSON.stringify(data).length).toBeLessThan(FARGATE_LOGGING_MAX_CHARS);
        const sections = Object.values(data).flatMap((v) => [...v.matchAll(/^\[(\w+)\]$/gm)].map((m) => m[1]));
        expect(new Set(sections)).toEqual(new Set(["FILTER", "OUTPUT", "PARSER"]));
        expect(data["output.conf"]).toMatch(/^\[OUTPUT\]\n    Name cloudwatch_logs\n    Match kube\.\*\n    region eu-west-1\n/);
        expect(() => new coreV1.ConfigMap({ metadata: { name: "aws-logging" }, data }).validate()).not.toThrow();
    });

    it("scope the role to the partition and cluster, and give each namespace its selector", () => {
        const trust = podExecutionTrustPolicy({ partition: "aws-cn", region: "cn-north-1", accountId: "1", clusterName: "c" });
        expect(JSON.stringify(trust)).toContain("arn:aws-cn:eks:cn-north-1:1:fargateprofile/c/*");
        expect(fargateSelectors({ name: "p", namespaces: ["a", "b"] })).toEqual([{ namespace: "a" }, { namespace: "b" }]);
    });

    it("dev ships a batch profile: its plan has it, and the placement check knows its namespace", () => {
        const plan = sharedPlan("dev");
        expect(plan.resources.filter((r) => r.type === "aws:eks/fargateProfile:FargateProfile").map((r) => r.inputs.selectors)).toEqual([
            [{ namespace: "batch" }],
        ]);
        expect(plan.outputs.fargateLogGroup).toBe("/aws/eks/eks-platform-dev/fargate");
    });
});

describe("Fargate settings", () => {
    const problems = (fargate: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        configProblems({ stack: "prod", overrides: { "eks-platform:fargate": fargate, ...extra } }).map(problemLine);

    it("refuses a namespace of a team with a node pool, naming the key, the value and the rule", () => {
        expect(problems({ profiles: [{ name: "p", namespaces: ["jobs", "payments-jobs"] }] })).toEqual([
            "eks-platform:fargate.profiles[0].namespaces[1]: must not be a namespace of team payments, which has the node pool payments (eks-platform:teams.teams[].nodePool): Kyverno places that team's pods on the pool's nodes, Fargate would take them first; choose one (got \"payments-jobs\")",
        ]);
    });

    it("warns where a Fargate namespace expects network policy or node agents Fargate lacks", () => {
        expect(
            platformConfigFor({ stack: "dev", overrides: { "eks-platform:fargate": { profiles: [{ name: "p", namespaces: ["jobs"] }] } } })
                .warnings,
        ).toEqual([]);
        const config = platformConfigFor({
            stack: "prod",
            overrides: { "eks-platform:fargate": { profiles: [{ name: "p", namespaces: ["analytics"] }], logging: { enabled: false } } },
        });
        expect(config.warnings.map(problemLine)).toEqual(
            expect.arrayContaining([
                expect.stringMatching(
                    /^eks-platform:fargate\.profiles\[0\]\.namespaces\[0\]: is team data's namespace: its NetworkPolicies .* are not enforced on Fargate pods/,
                ),
                expect.stringMatching(
                    /^eks-platform:fargate\.logging\.enabled: is false while Fargate profiles exist: container logs go to loki through Fluent Bit, a DaemonSet/,
                ),
                // prod runs Container Insights.
                expect.stringMatching(
                    /^eks-platform:fargate\.profiles: put pods of analytics on Fargate, where Container Insights' CloudWatch agent/,
                ),
            ]),
        );
    });

    it("refuses platform namespaces, duplicates, service accounts outside the profile and more than 5 namespaces", () => {
        expect(
            problems({
                profiles: [
                    {
                        name: "p",
                        namespaces: ["kube-system", "jobs"],
                        serviceAccounts: [{ namespace: "other", name: "a", managedPolicies: ["X"] }],
                    },
                    { name: "p", namespaces: ["jobs", "a", "b", "c", "d", "e"] },
                ],
            }),
        ).toEqual(
            expect.arrayContaining([
                expect.stringMatching(/^eks-platform:fargate\.profiles\[1\]\.namespaces: must list at most 5 namespaces/),
            ]),
        );
        expect(
            problems({
                profiles: [
                    {
                        name: "p",
                        namespaces: ["kube-system", "jobs"],
                        serviceAccounts: [{ namespace: "other", name: "a", managedPolicies: ["X"] }],
                    },
                    { name: "p", namespaces: ["jobs"] },
                ],
            }),
        ).toEqual([
            expect.stringMatching(/^eks-platform:fargate\.profiles\[0\]\.namespaces\[0\]: must not be kube-system: /),
            'eks-platform:fargate.profiles[0].serviceAccounts[0].namespace: must be one of the profile\'s namespaces (kube-system, jobs) (got "other")',
            'eks-platform:fargate.profiles[1].name: must be unique: another profile is named p (got "p")',
            'eks-platform:fargate.profiles[1].namespaces[0]: must be in one profile: jobs is already in profile p (got "jobs")',
        ]);
    });
});

describe("the placement check on Fargate namespaces", () => {
    const profile = (namespace: string, labels: Record<string, string> = {}): PlannedResource => ({
        urn: `urn:pulumi:t::eks-platform::aws:eks/fargateProfile:FargateProfile::fp-${namespace}`,
        type: "aws:eks/fargateProfile:FargateProfile",
        name: `fp-${namespace}`,
        custom: true,
        dependencies: [],
        inputs: { fargateProfileName: `fp-${namespace}`, selectors: [{ namespace, ...(Object.keys(labels).length ? { labels } : {}) }] },
        protect: false,
    });
    const certManager = release("cert-manager", CERT_MANAGER_CHART, certManagerValues(2, SYSTEM_PLACEMENT), "cert-manager");

    it("places the pods of a Fargate namespace on Fargate, never on the node groups", () => {
        const base = [...subnets(), ...managedGroup({ desired: 2, instanceTypes: ["t4g.large"] }), certManager];
        expect(checkPlacement(planOf(...base)).fargate).toEqual([]);
        const report = checkPlacement(planOf(...base, profile("cert-manager")));
        expect(report.fargate.map((f) => f.workload)).toEqual([
            "cert-manager/controller",
            "cert-manager/webhook",
            "cert-manager/cainjector",
            "cert-manager/startupapicheck",
        ]);
        expect(report.budgets[0]?.workloads).not.toContain("cert-manager/controller");
        expect(report.findings).toEqual([]);
        // A profile that selects by labels may take some pods only: the node groups still have to host them.
        expect(checkPlacement(planOf(...base, profile("cert-manager", { a: "b" }))).fargate).toEqual([]);
    });

    it("reports what Fargate cannot run: a DaemonSet, an EBS volume, a pod above its largest size", () => {
        const pod = (name: string, extra: Record<string, unknown>) => ({
            urn: `urn:pulumi:t::eks-platform::kubernetes:apps/v1:Deployment::${name}`,
            type: "kubernetes:apps/v1:Deployment",
            name,
            custom: true,
            dependencies: [],
            protect: false,
            inputs: {
                metadata: { name, namespace: "jobs" },
                spec: { replicas: 1, template: { spec: { containers: [{ name: "c" }], ...extra } } },
            },
        });
        const huge = pod("huge", { containers: [{ name: "c", resources: { requests: { cpu: "32", memory: "1Gi" } } }] });
        const ebs = pod("ebs", { volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }] });
        const ds = {
            ...pod("agent", {}),
            type: "kubernetes:apps/v1:DaemonSet",
            urn: "urn:pulumi:t::eks-platform::kubernetes:apps/v1:DaemonSet::agent",
        };
        const report = checkPlacement(planOf(...subnets(), ...managedGroup(), profile("jobs"), huge, ebs, ds));
        expect(report.findings.map((f) => `${f.kind} ${f.subject}`).sort()).toEqual([
            "fargate jobs/agent",
            "fargate jobs/ebs",
            "fargate jobs/huge",
        ]);
        expect(report.findings.find((f) => f.subject === "jobs/huge")?.message).toMatch(/whose largest pod has 16000m CPU \/ 122880Mi/);
    });
});
