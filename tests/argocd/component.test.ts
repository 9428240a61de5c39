// The ArgoCd component under the mock runtime, per mode. Self-managed: the pinned chart on the system nodes, HA, SSO
// with the client secret in a Kubernetes Secret ("[secret]" in the plan) and referenced from argocd-cm, no admin
// password anywhere; the team projects and the root Application after the release; the default project emptied.
// Managed: the ARGOCD capability with Identity Center, its role's trust and access (read cluster-wide, admin in the
// teams' namespaces), the local cluster registered by ARN; the projects after the capability.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { ArgoCd, SSO_SECRET } from "../../components/argocd";
import { SYSTEM_PLACEMENT } from "../../components/lib/placement";
import { platformConfigFor, type PlannedResource, setupMocks, settle } from "../../plan";
import { platformContextFor } from "../helpers/stand-ins";

const sso = { issuer: "https://idp.example.com", clientId: "argocd", adminGroups: ["platform"], readonlyGroups: ["developers"] };
// dev with HA (three system nodes) and SSO.
const devHa = {
    "eks-platform:cluster": { systemNodeGroup: { minSize: 3, desiredSize: 3 } },
    "eks-platform:delivery": {
        argocd: {
            ha: true,
            sso,
            host: "argocd.example.com",
            teamSourceRepos: { payments: ["https://github.com/example-org/payments.git"] },
        },
    },
    "eks-platform:argocdSsoClientSecret": "client-s3cret",
};
const { recorder } = setupMocks({ stack: "dev", overrides: devHa });
const selfConfig = platformConfigFor({ stack: "dev", overrides: devHa });
const prodConfig = platformConfigFor("prod");
const teams = [
    { name: "payments", namespaces: ["payments"] },
    { name: "search", namespaces: ["search", "search-batch"] },
];
new ArgoCd("self", {
    ctx: platformContextFor(selfConfig, "s-"),
    config: selfConfig.delivery.argocd,
    teams,
    ssoClientSecret: pulumi.secret("client-s3cret"),
});
new ArgoCd("managed", { ctx: platformContextFor(prodConfig, "m-"), config: prodConfig.delivery.argocd, teams });

function of(component: string): PlannedResource[] {
    const root = recorder.resources.find((r) => r.name === component && r.type === "eks-platform:argocd:ArgoCd");
    const inside = new Set(root ? [root.urn] : []);
    for (const r of recorder.resources) if (r.parent && inside.has(r.parent)) inside.add(r.urn);
    return recorder.resources.filter((r) => inside.has(r.urn) && r.urn !== root?.urn);
}
const kinds = (rs: PlannedResource[], kind: string) => rs.filter((r) => r.inputs.kind === kind);

beforeAll(async () => {
    await settle();
});

describe("self-managed Argo CD", () => {
    let resources: PlannedResource[] = [];
    let release: PlannedResource | undefined;
    let values: Record<string, Record<string, unknown>> = {};
    beforeAll(() => {
        resources = of("self");
        release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release");
        values = release?.inputs.values as Record<string, Record<string, unknown>>;
    });

    it("installs the pinned chart on the system nodes, highly available when configured", () => {
        expect(release?.inputs).toMatchObject({
            chart: "argo-cd",
            version: "10.4.0",
            namespace: "argocd",
            repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" },
        });
        expect(values.global).toMatchObject({
            domain: "argocd.example.com",
            nodeSelector: SYSTEM_PLACEMENT.nodeSelector,
            tolerations: SYSTEM_PLACEMENT.tolerations,
        });
        expect(values["redis-ha"]).toMatchObject({ enabled: true, nodeSelector: SYSTEM_PLACEMENT.nodeSelector });
        for (const part of ["server", "repoServer", "applicationSet"])
            expect(values[part]).toMatchObject({ replicas: 2, pdb: { enabled: true } });
    });

    it("signs in through OIDC with the client secret in a Secret, never in the values; no local admin, no admin password", () => {
        const secret = resources.find((r) => r.type === "kubernetes:core/v1:Secret");
        expect(secret?.inputs).toMatchObject({ metadata: { name: SSO_SECRET.name, labels: { "app.kubernetes.io/part-of": "argocd" } } });
        expect(secret?.inputs.stringData).toBe("[secret]");
        const cm = (values.configs as Record<string, Record<string, unknown>>).cm as Record<string, unknown>;
        expect(cm["admin.enabled"]).toBe(false);
        expect(JSON.parse(String(cm["oidc.config"]))).toMatchObject({
            issuer: sso.issuer,
            clientID: "argocd",
            clientSecret: "$argocd-sso:clientSecret",
        });
        const everything = JSON.stringify(recorder.resources.map((r) => r.inputs));
        expect(everything).not.toContain("client-s3cret");
        expect(everything).not.toContain("argocdServerAdminPassword");
        expect(release?.dependencies).toContain(secret?.urn);
    });

    it("makes one project per team and the root Application after the release, and empties the default project", () => {
        const projects = kinds(resources, "AppProject").filter((r) => r.type === "kubernetes:argoproj.io/v1alpha1:AppProject");
        expect(projects.map((p) => (p.inputs.metadata as { name: string }).name).sort()).toEqual(["payments", "platform-root", "search"]);
        for (const p of projects) expect(p.dependencies).toContain(release?.urn);
        const root = kinds(resources, "Application")[0];
        expect(root?.dependencies).toEqual(expect.arrayContaining(projects.map((p) => p.urn)));
        const patch = resources.find((r) => r.type === "kubernetes:argoproj.io/v1alpha1:AppProjectPatch");
        expect(patch?.inputs).toMatchObject({ metadata: { name: "default" }, spec: { sourceRepos: [], destinations: [] } });
        expect(patch?.dependencies).toContain(release?.urn);
    });
});

describe("the managed Argo CD capability", () => {
    let resources: PlannedResource[] = [];
    let capability: PlannedResource | undefined;
    beforeAll(() => {
        resources = of("managed");
        capability = resources.find((r) => r.type === "aws:eks/capability:Capability");
    });

    it("is the ARGOCD capability with IAM Identity Center and the configured group mappings", () => {
        const idc = prodConfig.delivery.argocd.identityCenter;
        expect(capability?.inputs).toMatchObject({
            type: "ARGOCD",
            capabilityName: "argocd",
            deletePropagationPolicy: "RETAIN",
            configuration: {
                argoCd: {
                    namespace: "argocd",
                    awsIdc: { idcInstanceArn: idc?.instanceArn },
                    rbacRoleMappings: [
                        { role: "ADMIN", identities: idc?.adminGroupIds.map((id) => ({ id, type: "SSO_GROUP" })) },
                        { role: "VIEWER", identities: idc?.viewerGroupIds.map((id) => ({ id, type: "SSO_GROUP" })) },
                    ],
                },
            },
        });
        const role = resources.find((r) => r.type === "aws:iam/role:Role");
        expect(JSON.parse(String(role?.inputs.assumeRolePolicy)).Statement[0]).toMatchObject({
            Principal: { Service: "capabilities.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
        });
        expect(resources.some((r) => r.type === "kubernetes:helm.sh/v3:Release")).toBe(false);
    });

    it("reads the cluster and administers only the teams' namespaces", () => {
        const associations = resources.filter((r) => r.type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
        expect(associations.map((a) => a.inputs.accessScope)).toEqual([
            { type: "cluster" },
            { type: "namespace", namespaces: ["payments", "search", "search-batch"] },
        ]);
        expect(associations.map((a) => a.inputs.policyArn)).toEqual([
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy",
        ]);
        for (const a of associations) expect(a.dependencies).toContain(capability?.urn);
    });

    it("registers the local cluster by ARN and deploys the teams' projects there, after the capability", () => {
        const secret = resources.find((r) => r.type === "kubernetes:core/v1:Secret");
        expect(secret?.inputs).toMatchObject({
            metadata: { name: "in-cluster", namespace: "argocd", labels: { "argocd.argoproj.io/secret-type": "cluster" } },
        });
        // A Secret's data is secret in the plan; what goes in it: tests/argocd/objects.test.ts.
        expect(secret?.dependencies).toContain(capability?.urn);
        const search = resources.find((r) => r.name === "managed-project-search");
        expect((search?.inputs.spec as { destinations: unknown[] }).destinations).toEqual([
            { server: "arn:aws:eks:eu-west-1:123456789012:cluster/eks-platform-prod", namespace: "search" },
            { server: "arn:aws:eks:eu-west-1:123456789012:cluster/eks-platform-prod", namespace: "search-batch" },
        ]);
        expect(search?.dependencies).toContain(capability?.urn);
    });
});
