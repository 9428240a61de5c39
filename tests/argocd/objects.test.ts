// The Argo CD objects the platform declares, validated against Argo CD v3.5.1's CRDs (unknown fields refused), and
// what they allow: a team's project deploys only to its namespaces from its repositories, nothing cluster-scoped, no
// quota, limit range or network policy of its own; the root project creates only Applications; the default project
// is emptied; the managed capability's destination is the cluster ARN.
import { describe, expect, it } from "vitest";
import {
    clusterArnOf,
    destinationServer,
    IN_CLUSTER_SERVER,
    localClusterSecret,
    lockedDefaultProject,
    ROOT_PROJECT,
    rootApplication,
    rootProject,
    teamProjects,
} from "../../components/argocd";
import { crdValidator, schemaErrors } from "../helpers/crd";
import { referencePath } from "../helpers/reference";

const crd = (file: string) => referencePath(`argo-cd-v3.5.1/crds/${file}`);
const projectCrd = crd("appproject-crd.yaml");
const applicationCrd = crd("application-crd.yaml");

const arn = clusterArnOf({ partition: "aws", region: "eu-west-1", accountId: "123456789012", clusterName: "eks-platform-dev" });
const teams = [
    { name: "payments", namespaces: ["payments", "payments-jobs"] },
    { name: "search", namespaces: ["search"] },
];
const settings = {
    mode: "self-managed" as const,
    namespace: "argocd",
    teamSourceRepos: { payments: ["https://github.com/example-org/payments-deploy.git"] },
};
const root = { repoURL: "https://github.com/example-org/eks-platform-apps.git", path: "dev", targetRevision: "main" };

describe("Argo CD objects", () => {
    const projects = teamProjects(teams, settings, arn);

    it.skipIf(!projectCrd)("the team, root and default projects validate against the AppProject CRD", () => {
        const validate = crdValidator(projectCrd ?? "", "v1alpha1", "AppProject");
        for (const p of [...projects, rootProject(root, "argocd", IN_CLUSTER_SERVER), lockedDefaultProject("argocd")])
            expect(schemaErrors(validate, p), p.metadata.name).toEqual([]);
        // The validator refuses what the API server would (a misspelt field).
        const typo = { ...projects[0], spec: { ...projects[0]?.spec, destination: [] } };
        expect(schemaErrors(validate, typo)).not.toEqual([]);
    });

    it.skipIf(!applicationCrd)("the root Application validates against the Application CRD", () => {
        const validate = crdValidator(applicationCrd ?? "", "v1alpha1", "Application");
        expect(schemaErrors(validate, rootApplication(root, "argocd", IN_CLUSTER_SERVER))).toEqual([]);
        const bad = rootApplication(root, "argocd", IN_CLUSTER_SERVER);
        expect(schemaErrors(validate, { ...bad, spec: { ...bad.spec, syncPolicy: { automatic: {} } } })).not.toEqual([]);
    });

    it("limit a team to its namespaces and repositories, with nothing cluster-scoped", () => {
        expect(projects.map((p) => p.metadata.name)).toEqual(["payments", "search"]);
        expect(projects[0]?.spec.destinations).toEqual([
            { server: IN_CLUSTER_SERVER, namespace: "payments" },
            { server: IN_CLUSTER_SERVER, namespace: "payments-jobs" },
        ]);
        expect(projects[0]?.spec.sourceRepos).toEqual(["https://github.com/example-org/payments-deploy.git"]);
        // A team the config gives no repository may deploy from none.
        expect(projects[1]?.spec.sourceRepos).toEqual([]);
        for (const p of projects) {
            expect(p.spec.clusterResourceWhitelist).toEqual([]);
            expect(p.spec.destinations.some((d) => d.namespace === "*" || d.namespace === "argocd")).toBe(false);
            expect(p.spec.namespaceResourceBlacklist.map((k) => k.kind)).toEqual(["ResourceQuota", "LimitRange", "NetworkPolicy"]);
        }
    });

    it("let the root repository create only Applications, in the Argo CD namespace, through its own project", () => {
        const project = rootProject(root, "argocd", IN_CLUSTER_SERVER);
        expect(project.spec.namespaceResourceWhitelist).toEqual([{ group: "argoproj.io", kind: "Application" }]);
        expect(project.spec.destinations).toEqual([{ server: IN_CLUSTER_SERVER, namespace: "argocd" }]);
        expect(project.spec.sourceRepos).toEqual([root.repoURL]);
        const app = rootApplication(root, "argocd", IN_CLUSTER_SERVER);
        expect(app.spec).toMatchObject({ project: ROOT_PROJECT, source: { repoURL: root.repoURL, path: "dev", targetRevision: "main" } });
        expect(lockedDefaultProject("argocd").spec).toEqual({
            sourceRepos: [],
            destinations: [],
            clusterResourceWhitelist: [],
            namespaceResourceWhitelist: [],
        });
    });

    it("address the local cluster by its ARN with the managed capability", () => {
        expect(arn).toBe("arn:aws:eks:eu-west-1:123456789012:cluster/eks-platform-dev");
        expect(destinationServer("managed", arn)).toBe(arn);
        expect(localClusterSecret(arn, "argocd")).toEqual({
            metadata: { name: "in-cluster", namespace: "argocd", labels: { "argocd.argoproj.io/secret-type": "cluster" } },
            stringData: { name: "in-cluster", server: arn },
        });
        expect(destinationServer("self-managed", arn)).toBe(IN_CLUSTER_SERVER);
        expect(teamProjects(teams, { ...settings, mode: "managed" }, arn)[1]?.spec.destinations).toEqual([
            { server: arn, namespace: "search" },
        ]);
    });
});
