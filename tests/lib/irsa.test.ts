// The IRSA helper: the trust admits one service account of one cluster's OIDC provider (the IAM simulator decides),
// and the pack's workload-trust rule accepts the role it declares.
import { beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { irsaRole, irsaTrustPolicy, IRSA_AUDIENCE } from "../../components/lib/irsa";
import { setupMocks, settle } from "../../plan";
import { runPolicyPack } from "../../policy/offline";
import { workloadTrustScoped } from "../../policy/rules/iam";
import { ACCOUNT, assumeWithWebIdentity } from "../bootstrap/simulate";

const ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789";
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/fargate-app`;
const trust = irsaTrustPolicy({ oidcProviderArn: PROVIDER, oidcIssuer: ISSUER, namespace: "payments", serviceAccount: "ledger" });
const claims = (sub: string, aud = IRSA_AUDIENCE) => ({
    "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789:sub": sub,
    "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789:aud": aud,
});

describe("IRSA trust", () => {
    it("pins sub and aud with StringEquals under the issuer's host (no scheme)", () => {
        expect(trust.Statement).toEqual([
            {
                Sid: "AllowServiceAccountWebIdentity",
                Effect: "Allow",
                Principal: { Federated: PROVIDER },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: claims("system:serviceaccount:payments:ledger") },
            },
        ]);
    });

    it.each([
        ["the service account itself", "system:serviceaccount:payments:ledger", IRSA_AUDIENCE, PROVIDER, "Allowed"],
        ["another service account of the namespace", "system:serviceaccount:payments:default", IRSA_AUDIENCE, PROVIDER, "ImplicitlyDenied"],
        ["the same name in another namespace", "system:serviceaccount:storefront:ledger", IRSA_AUDIENCE, PROVIDER, "ImplicitlyDenied"],
        ["a token for another audience", "system:serviceaccount:payments:ledger", "other", PROVIDER, "ImplicitlyDenied"],
        ["another cluster's provider", "system:serviceaccount:payments:ledger", IRSA_AUDIENCE, `${PROVIDER}X`, "ImplicitlyDenied"],
    ])("%s: %s", async (_title, sub, aud, provider, decision) => {
        expect(await assumeWithWebIdentity(trust, ROLE, claims(sub, aud), provider)).toBe(decision);
    });
});

describe("irsaRole under the mock runtime", () => {
    const { recorder } = setupMocks("dev");
    const parent = new pulumi.ComponentResource("test:irsa:Parent", "irsa-parent");
    const role = irsaRole(
        "fargate-app",
        { oidcProviderArn: pulumi.output(PROVIDER), oidcIssuer: pulumi.output(ISSUER), partition: "aws" },
        { namespace: "payments", serviceAccount: "ledger", description: "test", managedPolicies: ["AmazonS3ReadOnlyAccess"] },
        parent,
    );
    let annotations: Record<string, string> | undefined;
    beforeAll(async () => {
        role.serviceAccountAnnotations.apply((a) => (annotations = a));
        await settle();
    });

    it("declares the role with the trust, the managed policy, and the service account annotation", async () => {
        const declared = recorder.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "fargate-app-role");
        expect(JSON.parse(declared?.inputs.assumeRolePolicy as string)).toEqual(trust);
        expect(recorder.resources.find((r) => r.name === "fargate-app-AmazonS3ReadOnlyAccess")?.inputs.policyArn).toBe(
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        );
        expect(Object.keys(annotations ?? {})).toEqual(["eks.amazonaws.com/role-arn"]);
        const violations = await runPolicyPack(
            { project: "eks-platform", stack: "dev", resources: recorder.resources, outputs: {} },
            { policies: [workloadTrustScoped("mandatory")] },
        );
        expect(violations).toEqual([]);
    });
});
