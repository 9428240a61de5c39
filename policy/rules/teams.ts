// Team guardrails on the IaC side, the twin of the admission policies: every team namespace has a quota, a limit range
// and Pod Security labels; every ECR repository scans on push and keeps its tags immutable; no team principal gets
// cluster scope. Team objects are recognised by the team label (namespaces) and the team tag (access entries).
import { TEAM_NAMESPACE_LABEL, TEAM_TAG } from "../../lib/teams";
import {
    asArray,
    at,
    describe,
    isRecord,
    isUnknown,
    ofTypes,
    resourceRule,
    stackRule,
    type EnforcementLevel,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
} from "./lib";

export const NAMESPACE = "kubernetes:core/v1:Namespace";
export const RESOURCE_QUOTA = "kubernetes:core/v1:ResourceQuota";
export const LIMIT_RANGE = "kubernetes:core/v1:LimitRange";
export const ECR_REPOSITORY = "aws:ecr/repository:Repository";
export const ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry";
export const ACCESS_POLICY_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";

const PSS = "pod-security.kubernetes.io";
const PSS_LEVELS = ["privileged", "baseline", "restricted"];

export const teamNamespaceGuardrails = (level: EnforcementLevel): StackValidationPolicy =>
    stackRule(
        {
            name: "team-namespace-guardrails",
            description: describe(
                "Every team namespace (label eks-platform/team) has a ResourceQuota, a LimitRange and the Pod Security labels: enforce baseline or restricted, warn and audit restricted.",
                "EKS Best Practices Guide, Multi-tenancy: resource quotas and limit ranges per tenant namespace; Kubernetes docs, Pod Security Admission (namespace labels)",
            ),
            validate: (resources, _args, report) => {
                const inNamespace = (type: string) =>
                    new Set(
                        ofTypes(resources, [type])
                            .map(({ props }) => at(props, "metadata.namespace"))
                            .filter((ns): ns is string => typeof ns === "string"),
                    );
                const quotas = inNamespace(RESOURCE_QUOTA);
                const limits = inNamespace(LIMIT_RANGE);
                for (const { resource, props } of ofTypes(resources, [NAMESPACE])) {
                    const labels = at(props, "metadata.labels");
                    const name = at(props, "metadata.name");
                    if (!isRecord(labels) || typeof labels[TEAM_NAMESPACE_LABEL] !== "string" || typeof name !== "string") continue;
                    const where = `team namespace ${name}`;
                    if (!quotas.has(name)) report(`${where} has no ResourceQuota`, resource.urn);
                    if (!limits.has(name)) report(`${where} has no LimitRange`, resource.urn);
                    const enforce = labels[`${PSS}/enforce`];
                    if (isUnknown(enforce)) continue;
                    if (enforce !== "baseline" && enforce !== "restricted")
                        report(
                            `${where} enforces ${JSON.stringify(enforce ?? null)}: a team namespace enforces baseline or restricted`,
                            resource.urn,
                        );
                    for (const mode of ["warn", "audit"]) {
                        const value = labels[`${PSS}/${mode}`];
                        if (!isUnknown(value) && value !== "restricted")
                            report(`${where} has ${PSS}/${mode} ${JSON.stringify(value ?? null)}: warn and audit restricted`, resource.urn);
                    }
                    for (const mode of ["enforce", "warn", "audit"]) {
                        const value = labels[`${PSS}/${mode}`];
                        if (typeof value === "string" && !PSS_LEVELS.includes(value))
                            report(`${where}: ${PSS}/${mode} is not a level`, resource.urn);
                    }
                }
            },
        },
        level,
    );

export const ecrScanAndImmutable = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "ecr-scan-on-push-immutable",
            description: describe(
                "Every ECR repository scans images on push and keeps tags immutable (a pushed tag can never point to other content).",
                "EKS Best Practices Guide, Image security: scan images for vulnerabilities, use immutable tags; CIS Amazon EKS Benchmark 5.1.1 (image vulnerability scanning)",
            ),
            types: [ECR_REPOSITORY],
            validate: (props, _args, report) => {
                const scan = at(props, "imageScanningConfiguration.scanOnPush");
                if (!isUnknown(scan) && scan !== true && scan !== "true") report("imageScanningConfiguration.scanOnPush is not true");
                const mutability = at(props, "imageTagMutability");
                if (!isUnknown(mutability) && mutability !== "IMMUTABLE")
                    report(`imageTagMutability is ${JSON.stringify(mutability ?? "MUTABLE")}: tags must be IMMUTABLE`);
            },
        },
        level,
    );

export const teamAccessNamespaced = (level: EnforcementLevel): StackValidationPolicy =>
    stackRule(
        {
            name: "team-access-namespace-scoped",
            description: describe(
                "No team principal (an access entry tagged eks-platform/team) gets cluster scope: each of its access policies is scoped to namespaces, and it joins no system: group.",
                "EKS Best Practices Guide, Multi-tenancy and Security (IAM): least privilege, namespace-scoped access entries; EKS user guide, access policies (access scope)",
            ),
            validate: (resources, _args, report) => {
                const teamPrincipals = new Map<string, string>();
                for (const { resource, props } of ofTypes(resources, [ACCESS_ENTRY])) {
                    const team = at(props, `tags.${TEAM_TAG}`);
                    const principal = at(props, "principalArn");
                    if (typeof team !== "string" || typeof principal !== "string") continue;
                    teamPrincipals.set(principal, team);
                    for (const group of asArray(at(props, "kubernetesGroups")))
                        if (typeof group === "string" && group.startsWith("system:"))
                            report(`team ${team}'s access entry joins ${group}: a system group is cluster-wide`, resource.urn);
                }
                for (const { resource, props } of ofTypes(resources, [ACCESS_POLICY_ASSOCIATION])) {
                    const principal = at(props, "principalArn");
                    const team = typeof principal === "string" ? teamPrincipals.get(principal) : undefined;
                    if (team === undefined) continue;
                    const scope = at(props, "accessScope.type");
                    if (isUnknown(scope)) continue;
                    const namespaces = asArray(at(props, "accessScope.namespaces"));
                    if (scope !== "namespace" || namespaces.length === 0)
                        report(
                            `team ${team}'s principal ${principal} has ${JSON.stringify(scope ?? "no")} access scope: team access is scoped to its namespaces`,
                            resource.urn,
                        );
                }
            },
        },
        level,
    );
