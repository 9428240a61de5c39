// Cases for the team policies (policy/rules/teams.ts): each has resource sets it rejects and sets it accepts; the
// pack's rules test (rules.test.ts) runs them with every other policy's.
import { res } from "./fixtures";

const teamNamespace = (name: string, labels: Record<string, string> = {}) =>
    res("kubernetes:core/v1:Namespace", {
        metadata: {
            name,
            labels: {
                "eks-platform/team": "payments",
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/audit": "restricted",
                ...labels,
            },
        },
    });
const quota = (namespace: string) =>
    res("kubernetes:core/v1:ResourceQuota", { metadata: { name: "team-quota", namespace }, spec: { hard: { pods: "10" } } });
const limits = (namespace: string) =>
    res("kubernetes:core/v1:LimitRange", { metadata: { name: "team-limits", namespace }, spec: { limits: [] } });
const repository = (inputs: Record<string, unknown>) =>
    res("aws:ecr/repository:Repository", {
        name: "eks-platform-prod/payments/api",
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        ...inputs,
    });
const ROLE = "arn:aws:iam::123456789012:role/payments-developers";
const entry = (inputs: Record<string, unknown> = {}) =>
    res("aws:eks/accessEntry:AccessEntry", {
        principalArn: ROLE,
        kubernetesGroups: ["eks-platform:team:payments"],
        tags: { "eks-platform/team": "payments" },
        ...inputs,
    });
const association = (accessScope: Record<string, unknown>, principalArn = ROLE) =>
    res("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", {
        principalArn,
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
        accessScope,
    });

export const TEAMS_CASES = {
    "team-namespace-guardrails": {
        bad: [
            {
                title: "a team namespace without a quota",
                resources: [teamNamespace("payments"), limits("payments")],
                message: /payments has no ResourceQuota/,
            },
            {
                title: "a team namespace without a limit range",
                resources: [teamNamespace("payments"), quota("payments")],
                message: /payments has no LimitRange/,
            },
            {
                title: "the quota is in another namespace",
                resources: [teamNamespace("payments"), quota("storefront"), limits("payments")],
                message: /has no ResourceQuota/,
            },
            {
                title: "a team namespace enforcing privileged, or without Pod Security labels",
                resources: [
                    teamNamespace("payments", { "pod-security.kubernetes.io/enforce": "privileged" }),
                    quota("payments"),
                    limits("payments"),
                ],
                message: /enforces "privileged"/,
            },
            {
                title: "warn below restricted",
                resources: [
                    teamNamespace("payments", { "pod-security.kubernetes.io/warn": "baseline" }),
                    quota("payments"),
                    limits("payments"),
                ],
                message: /warn "baseline"/,
            },
        ],
        good: [
            { title: "quota, limit range and labels", resources: [teamNamespace("payments"), quota("payments"), limits("payments")] },
            {
                title: "a baseline exception",
                resources: [
                    teamNamespace("payments", { "pod-security.kubernetes.io/enforce": "baseline" }),
                    quota("payments"),
                    limits("payments"),
                ],
            },
            {
                title: "a platform namespace (no team label) needs none",
                resources: [res("kubernetes:core/v1:Namespace", { metadata: { name: "monitoring" } })],
            },
        ],
    },
    "ecr-scan-on-push-immutable": {
        bad: [
            {
                title: "no scan on push",
                resources: [repository({ imageScanningConfiguration: { scanOnPush: false } })],
                message: /scanOnPush/,
            },
            { title: "mutable tags (the default)", resources: [repository({ imageTagMutability: undefined })], message: /MUTABLE/ },
        ],
        good: [{ title: "scan on push, immutable", resources: [repository({})] }],
    },
    "team-access-namespace-scoped": {
        bad: [
            {
                title: "a team principal with cluster scope",
                resources: [entry(), association({ type: "cluster" })],
                message: /"cluster" access scope/,
            },
            {
                title: "a namespace scope without namespaces",
                resources: [entry(), association({ type: "namespace", namespaces: [] })],
                message: /access scope/,
            },
            {
                title: "a team entry in system:masters",
                resources: [entry({ kubernetesGroups: ["system:masters"] })],
                message: /joins system:masters/,
            },
        ],
        good: [
            {
                title: "scoped to the team's namespaces",
                resources: [entry(), association({ type: "namespace", namespaces: ["payments"] })],
            },
            {
                title: "a platform admin (no team tag) may have cluster scope",
                resources: [
                    res("aws:eks/accessEntry:AccessEntry", { principalArn: "arn:aws:iam::123456789012:role/platform-admin" }),
                    association({ type: "cluster" }, "arn:aws:iam::123456789012:role/platform-admin"),
                ],
            },
        ],
    },
};
