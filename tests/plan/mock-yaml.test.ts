// The Gateway API install (a remote yaml/v2 ConfigFile) shows the objects its release manifest holds, as children:
// the list the mock keeps equals the upstream standard channel's files, and the children carry the component's
// parent, provider and protect.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { GATEWAY_API_STANDARD_INSTALL, modeledManifest } from "../../plan/mock-yaml";
import { referencePath } from "../helpers/reference";
import { sharedPlan } from "../helpers/shared-plan";

const standard = referencePath("gateway-api-v1.6.1");

describe("the Gateway API standard install (kubernetes:yaml/v2:ConfigFile)", () => {
    it.skipIf(!standard)("lists every object of the v1.6.1 standard channel", () => {
        const upstream = fs
            .readdirSync(standard as string)
            .filter((f) => f.endsWith(".yaml"))
            .flatMap((f) =>
                parseAllDocuments(fs.readFileSync(path.join(standard as string, f), "utf8"))
                    .map((d) => d.toJS() as { apiVersion: string; kind: string; metadata: { name: string } } | null)
                    .filter((o): o is { apiVersion: string; kind: string; metadata: { name: string } } => o !== null)
                    .map((o) => `${o.kind} ${o.metadata.name}`),
            );
        expect((GATEWAY_API_STANDARD_INSTALL["1.6"] ?? []).map((o) => `${o.kind} ${o.name}`).sort()).toEqual(upstream.sort());
    });

    it("is known only for the release URL of a modeled minor", () => {
        const url = (v: string) => `https://github.com/kubernetes-sigs/gateway-api/releases/download/${v}/standard-install.yaml`;
        expect(modeledManifest(url("v1.6.1"))?.length).toBe(12);
        expect(modeledManifest(url("v1.5.0"))).toBeUndefined();
        expect(modeledManifest("https://example.com/standard-install.yaml")).toBeUndefined();
    });

    it.each(["dev", "prod"])("%s: the CRDs appear under the ConfigFile, on its Kubernetes provider, before the controller", (stack) => {
        const plan = sharedPlan(stack);
        const configFile = plan.resources.find((r) => r.type === "kubernetes:yaml/v2:ConfigFile");
        if (!configFile) throw new Error("no Gateway API install in the plan");
        const children = plan.resources.filter((r) => r.parent === configFile.urn);
        expect(children.map((c) => c.name)).toContain("ingress-gateway-api-crds:httproutes.gateway.networking.k8s.io");
        expect(children.every((c) => c.standIn === true && c.provider?.includes("cluster-k8s"))).toBe(true);
        const controller = plan.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "ingress-lbc");
        expect(controller?.dependencies).toContain(configFile.urn);
    });
});
