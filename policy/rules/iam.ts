// IAM rules over the documents the program renders as JSON (policies, inline role policies, trust policies).
import { ALLOWED_UNSCOPED_STATEMENTS, type AllowedUnscopedStatement } from "./iam-allowlist";
import {
    asArray,
    at,
    describe,
    isRecord,
    isUnknown,
    jsonDoc,
    resourceRule,
    type EnforcementLevel,
    type Props,
    type ResourceValidationPolicy,
} from "./lib";

const POLICY_TYPES = [
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:iam/role:Role",
] as const;
const ROLE = "aws:iam/role:Role";
const ATTACHMENT_TYPES = [
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
];
/** AWS managed policies that grant everything or nearly everything. */
const ADMIN_POLICIES = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

export interface Statement {
    Sid?: unknown;
    Effect?: unknown;
    Action?: unknown;
    NotAction?: unknown;
    Resource?: unknown;
    NotResource?: unknown;
    Principal?: unknown;
    Condition?: unknown;
}

/** Every permissions document on a resource (a role's inline policies included), by label; unknown ones skipped. */
function permissionDocuments(type: string, props: Props): { label: string; statements: Statement[] }[] {
    const docs: { label: string; raw: unknown }[] = [];
    if (type === ROLE) {
        asArray(props.inlinePolicies).forEach((p, i) => docs.push({ label: `inlinePolicies[${i}]`, raw: at(p, "policy") }));
    } else {
        docs.push({ label: "policy", raw: props.policy });
    }
    const out: { label: string; statements: Statement[] }[] = [];
    for (const { label, raw } of docs) {
        const doc = jsonDoc(raw);
        if (doc === "unknown" || doc === undefined) continue;
        out.push({ label, statements: statementsOf(doc) });
    }
    return out;
}

export function statementsOf(doc: unknown): Statement[] {
    const s = isRecord(doc) ? doc.Statement : undefined;
    return asArray(s).filter(isRecord) as Statement[];
}

const strings = (v: unknown): string[] => asArray(v).filter((x): x is string => typeof x === "string");
const sameSet = (a: readonly string[], b: readonly string[]) => {
    const x = new Set(a.map((s) => s.toLowerCase()));
    const y = new Set(b.map((s) => s.toLowerCase()));
    return x.size === y.size && [...x].every((s) => y.has(s));
};

function conditionKeys(condition: unknown): string[] {
    if (!isRecord(condition)) return [];
    const out: string[] = [];
    for (const [op, block] of Object.entries(condition))
        if (isRecord(block)) for (const key of Object.keys(block)) out.push(`${op}:${key}`);
    return out;
}

/** The allow-list entry a statement is, exactly (Sid, action set, and upstream's narrowing conditions), if any. */
export function allowListed(statement: Statement): AllowedUnscopedStatement | undefined {
    const actions = strings(statement.Action);
    const keys = conditionKeys(statement.Condition);
    return ALLOWED_UNSCOPED_STATEMENTS.find(
        (entry) =>
            (entry.sid === undefined || entry.sid === statement.Sid) &&
            sameSet(entry.actions, actions) &&
            (entry.conditions ?? []).every((c) => keys.includes(c)),
    );
}

const onAllResources = (s: Statement) => s.NotResource !== undefined || strings(s.Resource).includes("*");
const label = (s: Statement, i: number) => (typeof s.Sid === "string" ? `statement ${s.Sid}` : `statement ${i}`);

export const noWildcardOnAllResources = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "iam-no-wildcard-on-all-resources",
            description: describe(
                'No IAM policy grants a wildcard action ("*", "svc:*", "svc:Get*") on all resources, nor an Allow with NotAction, nor an administrator managed policy; any statement on Resource "*" must be exactly one of the published controller statements (Karpenter v1.14.1, AWS Load Balancer Controller v3.5.0).',
                "EKS Best Practices Guide, Security (IAM): least-privileged access for controllers; CIS AWS Foundations Benchmark (no policies allowing full *:* administrative privileges)",
            ),
            types: [...POLICY_TYPES, ...ATTACHMENT_TYPES],
            validate: (props, args, report) => {
                if (ATTACHMENT_TYPES.includes(args.type)) {
                    const arn = props.policyArn;
                    if (typeof arn === "string" && ADMIN_POLICIES.test(arn)) report(`attaches ${arn}`);
                    return;
                }
                if (args.type === ROLE) {
                    for (const arn of strings(props.managedPolicyArns))
                        if (ADMIN_POLICIES.test(arn)) report(`managedPolicyArns includes ${arn}`);
                }
                for (const doc of permissionDocuments(args.type, props)) {
                    doc.statements.forEach((s, i) => {
                        if (s.Effect !== "Allow") return;
                        if (s.NotAction !== undefined)
                            return report(`${doc.label} ${label(s, i)}: Allow with NotAction grants every other action`);
                        if (!onAllResources(s)) return;
                        const wild = strings(s.Action).filter((a) => a.includes("*"));
                        if (wild.length > 0)
                            return report(`${doc.label} ${label(s, i)}: wildcard action ${wild.join(", ")} on all resources`);
                        if (!allowListed(s)) {
                            report(
                                `${doc.label} ${label(s, i)}: ${strings(s.Action).join(", ")} on Resource "*" is not a published controller statement; scope the Resource`,
                            );
                        }
                    });
                }
            },
        },
        level,
    );

export const passRoleScoped = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "iam-passrole-scoped",
            description: describe(
                "iam:PassRole names the exact roles it passes (no wildcard in the Resource), as Karpenter's AllowPassingInstanceRole does.",
                "EKS Best Practices Guide, Security (IAM): least privilege; Karpenter controller policy (AllowPassingInstanceRole scoped to the node role)",
            ),
            types: POLICY_TYPES,
            validate: (props, args, report) => {
                for (const doc of permissionDocuments(args.type, props)) {
                    doc.statements.forEach((s, i) => {
                        if (s.Effect !== "Allow" || !strings(s.Action).some((a) => a.toLowerCase() === "iam:passrole")) return;
                        const wild = strings(s.Resource).filter((r) => r.includes("*") && !isUnknown(r));
                        if (s.NotResource !== undefined || wild.length > 0)
                            report(`${doc.label} ${label(s, i)}: iam:PassRole on ${wild.join(", ") || "NotResource"}`);
                    });
                }
            },
        },
        level,
    );

const POD_IDENTITY = "pods.eks.amazonaws.com";

function exactValue(condition: unknown, key: string): boolean {
    const block = at(condition, "StringEquals");
    if (!isRecord(block)) return false;
    const entry = Object.entries(block).find(([k]) => k.toLowerCase() === key.toLowerCase() || k.toLowerCase().endsWith(key.toLowerCase()));
    if (!entry) return false;
    const value = entry[1];
    return (
        (typeof value === "string" && value !== "" && !value.includes("*")) ||
        (Array.isArray(value) && value.length === 1 && typeof value[0] === "string" && !value[0].includes("*"))
    );
}

function trustStatements(props: Props): Statement[] | undefined {
    const doc = jsonDoc(props.assumeRolePolicy);
    if (doc === "unknown" || doc === undefined) return undefined;
    return statementsOf(doc).filter((s) => s.Effect === "Allow");
}

export const workloadTrustScoped = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "iam-workload-trust-scoped",
            description: describe(
                "A role assumable by pods is scoped to one service account: Pod Identity trust pins the kubernetes-namespace and kubernetes-service-account session tags, IRSA trust pins the OIDC sub (system:serviceaccount:NS:SA) and aud with StringEquals, no wildcards.",
                "EKS Best Practices Guide, Security (IAM): scope the IAM role trust policy for IRSA/Pod Identity roles to the service account; CIS Amazon EKS Benchmark 5.2.1 (dedicated service accounts)",
            ),
            types: [ROLE],
            validate: (props, _args, report) => {
                const statements = trustStatements(props);
                if (!statements) return;
                statements.forEach((s, i) => {
                    const services = strings(at(s.Principal, "Service"));
                    const federated = strings(at(s.Principal, "Federated"));
                    if (services.includes(POD_IDENTITY)) {
                        for (const key of ["aws:RequestTag/kubernetes-namespace", "aws:RequestTag/kubernetes-service-account"]) {
                            if (!exactValue(s.Condition, key))
                                report(`trust ${label(s, i)}: Pod Identity trust does not pin ${key} with StringEquals`);
                        }
                    }
                    if (
                        federated.some((f) => f.includes(":oidc-provider/")) &&
                        strings(s.Action).includes("sts:AssumeRoleWithWebIdentity")
                    ) {
                        if (!exactValue(s.Condition, ":sub"))
                            report(`trust ${label(s, i)}: IRSA trust does not pin the OIDC sub to one service account with StringEquals`);
                        if (!exactValue(s.Condition, ":aud"))
                            report(`trust ${label(s, i)}: IRSA trust does not pin the OIDC aud (sts.amazonaws.com)`);
                    }
                });
            },
        },
        level,
    );

export const trustNoPublicPrincipal = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "iam-trust-no-public-principal",
            description: describe(
                'No role trusts the "*" principal (anyone) without a condition.',
                "EKS Best Practices Guide, Security (IAM): least privilege; AWS IAM User Guide, security best practices (no public role trust)",
            ),
            types: [ROLE],
            validate: (props, _args, report) => {
                const statements = trustStatements(props);
                if (!statements) return;
                statements.forEach((s, i) => {
                    const anyone = s.Principal === "*" || strings(at(s.Principal, "AWS")).includes("*");
                    if (anyone && !isRecord(s.Condition))
                        report(`trust ${label(s, i)}: trusts every AWS principal ("*") without a condition`);
                });
            },
        },
        level,
    );
