// The eks-platform:delivery section: how changes reach the stack and the applications reach the cluster. The pipeline
// roles the bootstrap project made (their access entries), where the workflows' jobs that talk to Kubernetes run (an
// in-VPC CodeBuild runner, GitHub-hosted runners or a self-hosted label), and Argo CD for applications (self-managed
// through Helm, or the EKS managed capability) with its root Application and one AppProject per team.
import { z } from "zod";
import { iamPrincipalArn } from "./catalog";
import { chartVersion, dnsLabel, logRetentionDays, type Environment } from "./common";
import { defineRule, problems, type Rule } from "./rule";

export const RUNNER_KINDS = ["codebuild", "github-hosted", "self-hosted-label"] as const;
export type RunnerKind = (typeof RUNNER_KINDS)[number];
export const ARGOCD_MODES = ["none", "self-managed", "managed"] as const;
export type ArgoCdMode = (typeof ARGOCD_MODES)[number];
/** What the preview role may read in the cluster: the EKS access policy behind each name (components/delivery/access.ts). */
export const PREVIEW_ACCESS = ["view", "admin-view"] as const;

/** CodeBuild's Linux compute types for container builds (the runner needs no GPU). */
export const CODEBUILD_COMPUTE_TYPES = [
    "BUILD_GENERAL1_SMALL",
    "BUILD_GENERAL1_MEDIUM",
    "BUILD_GENERAL1_LARGE",
    "BUILD_GENERAL1_XLARGE",
    "BUILD_GENERAL1_2XLARGE",
] as const;

const enumOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(", ")}` });

const roleArn = iamPrincipalArn.refine((v) => /:role\//.test(v), { message: "must be an IAM role ARN (the bootstrap's outputs)" });

/** owner/name as GitHub spells them. */
const githubRepository = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, "must be a GitHub repository as owner/name, e.g. acme/eks-platform");

const connectionArn = z
    .string()
    .regex(
        /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/,
        "must be an AWS CodeConnections connection ARN such as arn:aws:codeconnections:eu-west-1:123456789012:connection/<uuid>",
    );

/** A git repository Argo CD reads: https or ssh URL (the AppProjects list them verbatim). */
const gitRepositoryUrl = z
    .string()
    .regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, "must be a git repository URL (https://..., ssh://... or git@host:path)");

const hostName = z
    .string()
    .regex(
        /^(?=.{4,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        "must be a DNS name such as argocd.example.com (no scheme, port or path)",
    );

const identityCenterGroupIds = (what: string) =>
    z.array(z.string().regex(/^[0-9a-f-]{10,64}$/, "must be an IAM Identity Center group ID")).describe(what);

export const deliverySchema = z
    .strictObject({
        deployRoleArn: roleArn
            .optional()
            .describe(
                "The stack's deploy role (bootstrap output stacks.<stack>.deployRoleArn): pulumi up from its GitHub environment; gets cluster admin through an access entry.",
            ),
        previewRoleArn: roleArn
            .optional()
            .describe(
                "The stack's preview role (bootstrap output stacks.<stack>.previewRoleArn): pulumi preview and the drift check; gets read access through an access entry.",
            ),
        previewAccess: enumOf(PREVIEW_ACCESS).describe(
            "The preview role's access policy: admin-view (AmazonEKSAdminViewPolicy: reads everything, Secrets included, which `pulumi preview --refresh` needs for Helm releases and Secrets) or view (AmazonEKSViewPolicy: no Secrets; a refresh then fails on them).",
        ),
        githubEnvironment: z
            .string()
            .regex(/^[\w.-]{1,255}$/, "must be a GitHub environment name")
            .optional()
            .describe(
                "The GitHub environment whose jobs assume the deploy role (bootstrap:stacks[].environment); the stack name when unset.",
            ),
        workflows: z
            .boolean()
            .describe(
                "Whether the workflows preview, deploy and drift-check this stack. false for a new stack until its first up has made its runner (README, Delivery).",
            ),
        repository: githubRepository
            .optional()
            .describe("This repository (owner/name): the CodeBuild runner's source; the webhook that starts it listens on it."),
        runner: enumOf(RUNNER_KINDS).describe(
            "Where the jobs that talk to the cluster run: codebuild (a CodeBuild-hosted GitHub Actions runner in the private subnets, made here), github-hosted (only with a public endpoint open to the runners) or self-hosted-label (runners you operate, e.g. actions-runner-controller).",
        ),
        runnerLabel: z
            .string()
            .regex(/^[\w.:-]{1,100}$/, "must be a runner label such as ubuntu-24.04")
            .optional()
            .describe("The runs-on label for github-hosted (default ubuntu-24.04) and self-hosted-label (required) runners."),
        codebuild: z
            .strictObject({
                connectionArn: connectionArn
                    .optional()
                    .describe(
                        "The account's CodeConnections GitHub connection (made once in the console, where GitHub's side is authorized): the runner's credential.",
                    ),
                computeType: enumOf(CODEBUILD_COMPUTE_TYPES).describe("The runner's compute type."),
                image: z
                    .string()
                    .regex(
                        /^aws\/codebuild\/[\w.-]+:[\w.-]+$/,
                        "must be a CodeBuild-managed image such as aws/codebuild/amazonlinux-x86_64-standard:5.0",
                    )
                    .describe("The runner's CodeBuild image (Node, git and the AWS CLI, which the kubeconfig's aws eks get-token needs)."),
                timeoutMinutes: z
                    .number()
                    .int()
                    .min(5, "must be between 5 and 480")
                    .max(480, "must be between 5 and 480")
                    .describe("How long one job may run (CodeBuild's build timeout); prod's deploy may take 90 minutes."),
                logRetentionDays: logRetentionDays.describe("Retention of the runner's CloudWatch log group."),
            })
            .describe("The CodeBuild-hosted runner (runner: codebuild)."),
        argocd: z
            .strictObject({
                mode: enumOf(ARGOCD_MODES).describe(
                    "none, self-managed (the argo-cd Helm chart on the system nodes) or managed (the EKS Argo CD capability, which needs IAM Identity Center).",
                ),
                namespace: dnsLabel.describe("Where Argo CD, its Applications and AppProjects live."),
                chartVersion: chartVersion.describe(
                    "The argo-cd chart version (self-managed); 10.4.0 runs Argo CD v3.5.1 (not verified offline: see docs/delivery.md).",
                ),
                ha: z
                    .boolean()
                    .describe(
                        "Self-managed: redis-ha and two replicas of the server, repo server and ApplicationSet controller (redis-ha needs three system nodes).",
                    ),
                host: hostName.optional().describe("Argo CD's external host name (its URL, and the SSO redirect)."),
                sso: z
                    .strictObject({
                        issuer: z
                            .string()
                            .regex(/^https:\/\/[^\s]+$/, "must be an https URL")
                            .describe("The OIDC issuer URL."),
                        clientId: z.string().min(1, "must not be empty").describe("The OIDC client ID."),
                        adminGroups: z.array(z.string().min(1)).describe("Groups (the groups claim) that get role:admin."),
                        readonlyGroups: z.array(z.string().min(1)).describe("Groups that get role:readonly."),
                    })
                    .optional()
                    .describe(
                        "Self-managed: OIDC sign-in (the client secret is the Pulumi secret eks-platform:argocdSsoClientSecret). With it the local admin user is disabled.",
                    ),
                identityCenter: z
                    .strictObject({
                        instanceArn: z
                            .string()
                            .regex(/^arn:aws[a-z-]*:sso:::instance\/ssoins-[0-9a-f]{16}$/, "must be an IAM Identity Center instance ARN")
                            .describe("The IAM Identity Center instance (aws sso-admin list-instances)."),
                        region: z
                            .string()
                            .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region")
                            .optional()
                            .describe("The Identity Center instance's region, when it is not the stack's."),
                        adminGroupIds: identityCenterGroupIds("Identity Center groups that get the ADMIN role."),
                        viewerGroupIds: identityCenterGroupIds("Identity Center groups that get the VIEWER role."),
                    })
                    .optional()
                    .describe("Managed: the IAM Identity Center sign-in the capability requires."),
                root: z
                    .strictObject({
                        repoURL: gitRepositoryUrl.describe("The repository of the root Application (app of apps)."),
                        path: z.string().min(1, "must not be empty").describe("The folder holding the Applications."),
                        targetRevision: z.string().min(1, "must not be empty").describe("The branch, tag or commit."),
                    })
                    .optional()
                    .describe("The root Application: it may create only Applications, in the Argo CD namespace."),
                teamSourceRepos: z
                    .record(dnsLabel, z.array(gitRepositoryUrl))
                    .describe("Per team (by name): the repositories its AppProject may deploy from (none when absent)."),
            })
            .describe("Argo CD for applications."),
    })
    .describe("Delivery: the pipeline roles' cluster access, the workflows' runner, Argo CD for applications.");
export type DeliveryConfig = z.infer<typeof deliverySchema>;

interface ClusterView {
    endpoint: { publicAccess: boolean; publicAccessCidrs: readonly string[] };
    systemNodeGroup: { minSize: number };
    accessEntries: readonly { principalArn: string }[];
}
type View = { environment: Environment; delivery: DeliveryConfig; cluster: ClusterView; argocdSsoClientSecret?: string };

const at = (...path: (string | number)[]) => ["eks-platform:delivery", ...path];

export const deliveryRules: readonly Rule<View>[] = [
    defineRule({
        needs: ["environment", "delivery.deployRoleArn"],
        summary: "prod names its deploy role (the plan refuses a prod stack whose deploy role has no access entry)",
        reports: ["eks-platform:delivery.deployRoleArn"],
        check: ({ environment, delivery }) => {
            const p = problems();
            if (environment === "prod" && !delivery.deployRoleArn)
                p.add(
                    at("deployRoleArn"),
                    "is required in prod: the pipeline deploys prod, and without an access entry its Kubernetes resources fail after the AWS ones are made",
                );
            return p.list;
        },
    }),
    defineRule({
        needs: ["delivery.deployRoleArn", "delivery.previewRoleArn"],
        summary: "the deploy and preview roles differ",
        reports: ["eks-platform:delivery.previewRoleArn"],
        check: ({ delivery }) => {
            const p = problems();
            if (delivery.previewRoleArn && delivery.previewRoleArn === delivery.deployRoleArn)
                p.add(at("previewRoleArn"), "must differ from deployRoleArn: one principal has one access entry");
            return p.list;
        },
    }),
    defineRule({
        needs: ["delivery.deployRoleArn", "delivery.previewRoleArn", "cluster.accessEntries"],
        summary: "the pipeline roles are not also in cluster.accessEntries (EKS allows one access entry per principal)",
        reports: ["eks-platform:delivery.deployRoleArn", "eks-platform:delivery.previewRoleArn"],
        check: ({ delivery, cluster }) => {
            const p = problems();
            for (const key of ["deployRoleArn", "previewRoleArn"] as const) {
                const arn = delivery[key];
                if (arn && cluster.accessEntries.some((e) => e.principalArn === arn))
                    p.add(
                        at(key),
                        "is also listed in eks-platform:cluster.accessEntries: EKS allows one access entry per principal (the second fails with ResourceInUseException); keep it here only",
                    );
            }
            return p.list;
        },
    }),
    defineRule({
        needs: ["delivery.runner", "delivery.runnerLabel", "delivery.repository", "delivery.codebuild"],
        summary: "codebuild needs the repository and the connection; self-hosted-label needs its label",
        reports: ["eks-platform:delivery.repository", "eks-platform:delivery.codebuild.connectionArn", "eks-platform:delivery.runnerLabel"],
        check: ({ delivery }) => {
            const p = problems();
            if (delivery.runner === "codebuild") {
                if (!delivery.repository) p.add(at("repository"), "is required with runner codebuild: the runner's webhook listens on it");
                if (!delivery.codebuild.connectionArn)
                    p.add(at("codebuild", "connectionArn"), "is required with runner codebuild: CodeBuild registers the runner with it");
            }
            if (delivery.runner === "self-hosted-label" && !delivery.runnerLabel)
                p.add(at("runnerLabel"), "is required with runner self-hosted-label: the jobs' runs-on");
            if (delivery.runner === "codebuild" && delivery.runnerLabel)
                p.add(at("runnerLabel"), "must be unset with runner codebuild: the label is codebuild-<project>-<run id>-<attempt>");
            return p.list;
        },
    }),
    defineRule({
        needs: ["delivery.runner", "cluster.endpoint"],
        summary: "github-hosted runners need a public endpoint (they are outside the VPC); warned that their addresses must be listed",
        reports: ["eks-platform:delivery.runner"],
        check: ({ delivery, cluster }) => {
            const p = problems();
            if (delivery.runner !== "github-hosted") return p.list;
            if (!cluster.endpoint.publicAccess)
                p.add(
                    at("runner"),
                    "cannot be github-hosted with a private-only endpoint: the runners are outside the VPC (use codebuild or self-hosted-label)",
                );
            else if (!cluster.endpoint.publicAccessCidrs.includes("0.0.0.0/0"))
                p.warn(
                    at("runner"),
                    "github-hosted runners reach the endpoint only from an address in eks-platform:cluster.endpoint.publicAccessCidrs (larger runners with static IPs, or a proxy)",
                );
            return p.list;
        },
    }),
    defineRule({
        needs: ["environment", "delivery.argocd", "argocdSsoClientSecret"],
        summary:
            "self-managed Argo CD: SSO needs host and the client secret; prod needs SSO (no local admin); managed needs IAM Identity Center",
        reports: ["eks-platform:delivery.argocd.sso", "eks-platform:delivery.argocd.identityCenter", "eks-platform:argocdSsoClientSecret"],
        check: ({ environment, delivery, argocdSsoClientSecret }) => {
            const p = problems();
            const a = delivery.argocd;
            if (a.mode === "self-managed") {
                if (a.sso && !a.host)
                    p.add(at("argocd", "host"), "is required with sso: the OIDC redirect URL is https://<host>/auth/callback");
                if (a.sso && !argocdSsoClientSecret)
                    p.add(
                        ["eks-platform:argocdSsoClientSecret"],
                        "is required with eks-platform:delivery.argocd.sso: pulumi config set --secret eks-platform:argocdSsoClientSecret <secret>",
                    );
                if (environment === "prod" && !a.sso)
                    p.add(at("argocd", "sso"), "is required in prod: without SSO the local admin user signs in with a shared password");
                if (a.identityCenter) p.add(at("argocd", "identityCenter"), "applies to mode managed only");
            }
            if (a.mode === "managed") {
                if (!a.identityCenter)
                    p.add(
                        at("argocd", "identityCenter"),
                        "is required with mode managed: the EKS Argo CD capability signs in through IAM Identity Center only",
                    );
                if (a.sso) p.add(at("argocd", "sso"), "applies to mode self-managed only (the capability uses IAM Identity Center)");
            }
            return p.list;
        },
    }),
    defineRule({
        needs: ["delivery.argocd", "cluster.systemNodeGroup"],
        summary: "self-managed HA Argo CD needs at least three system nodes (redis-ha's hard anti-affinity)",
        reports: ["eks-platform:delivery.argocd.ha"],
        check: ({ delivery, cluster }) => {
            const p = problems();
            if (delivery.argocd.mode === "self-managed" && delivery.argocd.ha && cluster.systemNodeGroup.minSize < 3)
                p.add(
                    at("argocd", "ha"),
                    `needs eks-platform:cluster.systemNodeGroup.minSize of at least 3 (it is ${cluster.systemNodeGroup.minSize}): redis-ha puts its three replicas on different nodes`,
                );
            return p.list;
        },
    }),
];

const common: DeliveryConfig = {
    previewAccess: "admin-view",
    workflows: true,
    runner: "codebuild",
    codebuild: {
        computeType: "BUILD_GENERAL1_MEDIUM",
        // Amazon Linux 2023 with Node, git and AWS CLI v2 (CodeBuild's "Compute images supported with the
        // CodeBuild-hosted GitHub Actions runner": linux 5.0).
        image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        timeoutMinutes: 120,
        logRetentionDays: 30,
    },
    argocd: {
        mode: "self-managed",
        namespace: "argocd",
        // argo-helm argo-cd 10.4.0 is the chart release whose appVersion is v3.5.1 (docs/delivery.md, "Not verified offline": the source).
        chartVersion: "10.4.0",
        ha: false,
        teamSourceRepos: {},
    },
};

export const deliveryDefaults: Record<Environment, DeliveryConfig> = {
    dev: common,
    staging: common,
    prod: { ...common, codebuild: { ...common.codebuild, logRetentionDays: 365 }, argocd: { ...common.argocd, ha: true } },
};

export const argocdSsoClientSecretSchema = z
    .string()
    .min(1, "must not be empty")
    .optional()
    .describe(
        "The OIDC client secret of self-managed Argo CD's SSO (a Pulumi secret: pulumi config set --secret). It goes into a Kubernetes Secret, never into the chart values or the plan.",
    );
