// eks-platform:teams: the environment defaults a team gets, and the one clear error each bad team gets (key path,
// value, rule), whatever else is wrong.
import { describe, expect, it } from "vitest";
import { platformConfigFor } from "../../plan";
import { teamsDefaults } from "../../stacks/schema/teams";
import { configProblems, problemLine } from "../helpers/config";

const problemsFor = (stack: string, overrides: Record<string, unknown>): string[] => configProblems({ stack, overrides }).map(problemLine);

const team = (over: Record<string, unknown> = {}) => ({
    name: "checkout",
    namespaces: ["checkout"],
    principals: ["arn:aws:iam::111111111111:role/checkout-developers"],
    access: "edit",
    ...over,
});
const withTeams = (...teams: Record<string, unknown>[]) => ({ "eks-platform:teams": { teams } });

describe("team defaults per environment", () => {
    it.each(["dev", "staging", "prod"] as const)("%s: a team that sets no quota or limit range gets the environment's", (stack) => {
        const config = platformConfigFor({ stack, overrides: withTeams(team()) });
        const checkout = config.teams.teams.find((t) => t.name === "checkout");
        expect(checkout?.quota).toEqual(teamsDefaults[stack].defaults.quota);
        expect(checkout?.limitRange).toEqual(teamsDefaults[stack].defaults.limitRange);
        expect(checkout).toMatchObject({ gateways: [], egress: [], repositories: [] });
    });

    it("the environments differ where they should: dev is small and audited, prod large and enforced", () => {
        const dev = platformConfigFor("dev").teams;
        const prod = platformConfigFor("prod").teams;
        expect(dev.defaults.quota).toMatchObject({ cpu: "8", memory: "16Gi", pods: 100 });
        expect(prod.defaults.quota).toMatchObject({ cpu: "32", memory: "64Gi", pods: 300 });
        expect([dev.podSecurity.enforce, platformConfigFor("staging").teams.podSecurity.enforce, prod.podSecurity.enforce]).toEqual([
            "baseline",
            "restricted",
            "restricted",
        ]);
        expect([dev.kyverno.validationFailureAction, prod.kyverno.validationFailureAction]).toEqual(["Audit", "Enforce"]);
        expect([dev.kyverno.admissionReplicas, prod.kyverno.admissionReplicas]).toEqual([1, 3]);
    });

    it("a team's own quota values sit over the defaults, key by key", () => {
        const prod = platformConfigFor("prod").teams;
        const payments = prod.teams.find((t) => t.name === "payments");
        expect(payments?.quota).toEqual({ ...teamsDefaults.prod.defaults.quota, cpu: "48", memory: "96Gi", memoryLimit: "192Gi" });
    });

    it("the shipped stacks: dev one team, staging two, prod three with payments on its own pool", () => {
        expect(platformConfigFor("dev").teams.teams.map((t) => t.name)).toEqual(["storefront"]);
        expect(platformConfigFor("staging").teams.teams.map((t) => t.name)).toEqual(["storefront", "payments"]);
        const prod = platformConfigFor("prod").teams;
        expect(prod.teams.map((t) => t.name)).toEqual(["payments", "storefront", "data"]);
        expect(prod.placements).toEqual({
            payments: {
                pool: "payments",
                nodeSelector: { "eks-platform/team": "payments" },
                tolerations: [{ key: "eks-platform/team", operator: "Equal", value: "payments", effect: "NoSchedule" }],
            },
        });
        expect(prod.guardedTaintKeys).toEqual(["eks-platform/team"]);
    });
});

describe("bad team config gets one clear error", () => {
    it("a principal that is not a role ARN (a user, a group) names the key, the value and the rule", () => {
        expect(problemsFor("dev", withTeams(team({ principals: ["arn:aws:iam::111111111111:user/alice"] })))).toEqual([
            'eks-platform:teams.teams[0].principals[0]: must be an IAM role ARN such as arn:aws:iam::123456789012:role/payments-developers (the role of the team\'s IAM group or Identity Center permission set; not a user, group or session) (got "arn:aws:iam::111111111111:user/alice")',
        ]);
        expect(problemsFor("dev", withTeams(team({ principals: ["arn:aws:iam::111111111111:group/checkout"] })))).toEqual([
            expect.stringMatching(/^eks-platform:teams\.teams\[0\]\.principals\[0\]: must be an IAM role ARN/),
        ]);
        // An Identity Center permission set's role lives under a path: accepted.
        expect(
            problemsFor(
                "dev",
                withTeams(
                    team({
                        principals: [
                            "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Checkout_0123456789abcdef",
                        ],
                    }),
                ),
            ),
        ).toEqual([]);
    });

    it("two teams on one namespace: the second one's namespace is refused, naming the owner", () => {
        expect(
            problemsFor(
                "dev",
                withTeams(
                    team(),
                    team({
                        name: "payments",
                        namespaces: ["payments", "checkout"],
                        principals: ["arn:aws:iam::111111111111:role/payments"],
                    }),
                ),
            ),
        ).toEqual([
            'eks-platform:teams.teams[1].namespaces[1]: must belong to one team: namespace checkout is already team checkout\'s (got "checkout")',
        ]);
    });

    it("a team may not take a platform namespace or another team's IAM role", () => {
        expect(problemsFor("dev", withTeams(team({ namespaces: ["kube-system"] })))).toEqual([
            expect.stringMatching(
                /^eks-platform:teams\.teams\[0\]\.namespaces\[0\]: must not be a namespace of the platform or of Kubernetes .*\(got "kube-system"\)$/,
            ),
        ]);
        expect(problemsFor("dev", withTeams(team(), team({ name: "other", namespaces: ["other"] })))).toEqual([
            expect.stringMatching(
                /^eks-platform:teams\.teams\[1\]\.principals\[0\]: must be one team's: EKS allows one access entry per principal/,
            ),
        ]);
    });

    it("a team role that also has a cluster access entry is refused (EKS: one entry per principal)", () => {
        expect(problemsFor("dev", withTeams(team({ principals: ["arn:aws:iam::111111111111:role/developers"] })))).toEqual([
            expect.stringMatching(
                /^eks-platform:teams\.teams\[0\]\.principals\[0\]: must not also be in eks-platform:cluster\.accessEntries/,
            ),
        ]);
    });

    it("a quota below the limit range's maximum names the quota key and the maximum", () => {
        expect(problemsFor("dev", withTeams(team({ quota: { cpu: "1" } })))).toEqual([
            'eks-platform:teams.teams[0].quota.cpu: must be at least limitRange.max.cpu (2): one container at the limit range\'s maximum would not fit in the quota (got "1")',
        ]);
        expect(problemsFor("dev", withTeams(team({ quota: { memoryLimit: "2048Mi" }, limitRange: { max: { memory: "4Gi" } } })))).toEqual([
            expect.stringMatching(
                /^eks-platform:teams\.teams\[0\]\.quota\.memoryLimit: must be at least limitRange\.max\.memory \(4Gi\).*\(got "2048Mi"\)$/,
            ),
        ]);
        // Units are compared, not strings: 4096Mi is 4Gi.
        expect(problemsFor("dev", withTeams(team({ quota: { memory: "4096Mi", memoryLimit: "4096Mi" } })))).toEqual([]);
    });

    it("a default request above the maximum, or a memory request above its default limit, is refused", () => {
        expect(
            problemsFor("dev", withTeams(team({ limitRange: { defaultRequest: { cpu: "3" }, defaultLimit: { memory: "64Mi" } } }))),
        ).toEqual([
            expect.stringMatching(
                /^eks-platform:teams\.teams\[0\]\.limitRange\.defaultRequest\.cpu: must be at most limitRange\.max\.cpu \(2\)/,
            ),
            expect.stringMatching(
                /^eks-platform:teams\.teams\[0\]\.limitRange\.defaultRequest\.memory: must be at most limitRange\.defaultLimit\.memory \(64Mi\)/,
            ),
        ]);
    });

    it("bad environment defaults are reported once, on the defaults, not again on every team inheriting them", () => {
        expect(problemsFor("dev", { "eks-platform:teams": { defaults: { quota: { cpu: "1" } }, teams: [team()] } })).toEqual([
            expect.stringMatching(/^eks-platform:teams\.defaults\.quota\.cpu: must be at least limitRange\.max\.cpu \(2\)/),
        ]);
    });

    it("a team pool that does not exist, or is not a team pool, names the pools there are", () => {
        expect(
            problemsFor("prod", {
                "eks-platform:teams": { teams: [team({ principals: ["arn:aws:iam::333333333333:role/x"], nodePool: "checkout" })] },
            }),
        ).toEqual([
            'eks-platform:teams.teams[0].nodePool: must name a Karpenter pool of preset team in eks-platform:karpenter.nodePools (payments) (got "checkout")',
        ]);
        expect(
            problemsFor("prod", {
                "eks-platform:teams": { teams: [team({ principals: ["arn:aws:iam::333333333333:role/x"], nodePool: "baseline" })] },
            }),
        ).toEqual([
            expect.stringMatching(
                /^eks-platform:teams\.teams\[0\]\.nodePool: must name a Karpenter pool of preset team .*\(got "baseline"\)$/,
            ),
        ]);
    });

    it("two teams on one pool: the second is refused", () => {
        const prod = platformConfigFor("prod").teams.teams;
        const payments = prod.find((t) => t.name === "payments");
        const others = prod.filter((t) => t.name !== "payments").map((t) => ({ ...t }));
        const thief = { ...others[0], nodePool: "payments" };
        expect(problemsFor("prod", { "eks-platform:teams": { teams: [payments, thief, others[1]] } })).toEqual([
            "eks-platform:teams.teams[1].nodePool: must be one team's pool: payments is already team payments's (got \"payments\")",
        ]);
    });

    it("repositories without a CI role, and a pool without Kyverno, are refused", () => {
        expect(problemsFor("dev", withTeams(team({ repositories: ["api"] })))).toEqual([
            "eks-platform:teams.teams[0].ciRoleArn: is required with repositories: only the team's CI role may push to them (got nothing)",
        ]);
        expect(
            problemsFor("prod", {
                "eks-platform:teams": {
                    kyverno: { enabled: false },
                    teams: [team({ principals: ["arn:aws:iam::333333333333:role/x"], nodePool: "payments" })],
                },
            }),
        ).toEqual([
            expect.stringMatching(/^eks-platform:teams\.kyverno\.enabled: must be true in prod/),
            expect.stringMatching(
                /^eks-platform:teams\.teams\[0\]\.nodePool: needs eks-platform:teams\.kyverno\.enabled: Kyverno adds the pool's toleration/,
            ),
        ]);
    });

    it("prod enforces: restricted, Kyverno in Enforce with 3 admission replicas", () => {
        expect(
            problemsFor("prod", {
                "eks-platform:teams": {
                    podSecurity: { enforce: "baseline" },
                    kyverno: { validationFailureAction: "Audit", admissionReplicas: 1 },
                },
            }),
        ).toEqual([
            expect.stringMatching(/^eks-platform:teams\.podSecurity\.enforce: must be restricted in prod/),
            expect.stringMatching(/^eks-platform:teams\.kyverno\.validationFailureAction: must be Enforce in prod/),
            expect.stringMatching(/^eks-platform:teams\.kyverno\.admissionReplicas: must be at least 3 in prod/),
        ]);
        expect(problemsFor("dev", { "eks-platform:teams": { kyverno: { admissionReplicas: 1 } } })).toEqual([]);
    });

    it("a privileged exception is not a thing; an exception needs its reason", () => {
        expect(
            problemsFor("dev", withTeams(team({ podSecurityException: { enforce: "privileged", reason: "the CNI needs it" } }))),
        ).toEqual([
            'eks-platform:teams.teams[0].podSecurityException.enforce: must be baseline (no team gets privileged) (got "privileged")',
        ]);
        expect(problemsFor("dev", withTeams(team({ podSecurityException: { enforce: "baseline", reason: "" } })))).toEqual([
            expect.stringMatching(/^eks-platform:teams\.teams\[0\]\.podSecurityException\.reason: must say why/),
        ]);
    });
});
