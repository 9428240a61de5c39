// cert-manager and external-dns (Helm, pinned): their values against the pinned charts' values.yaml and the
// values.schema.json Helm enforces, external-dns's Route 53 permissions against its tutorial and limited to the
// stack's zones, the ExternalDns component (Pod Identity before the release), and their config errors.
import * as fs from "node:fs";
import Ajv from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { certManagerValues, certManagerWorkloads } from "../../components/certificates/values";
import { EXTERNAL_DNS_SERVICE_ACCOUNT, ExternalDns, externalDnsPolicy, externalDnsValues } from "../../components/dns";
import { SYSTEM_PLACEMENT } from "../../components/lib/placement";
import { settle, setupMocks, type Recorder } from "../../plan";
import { configProblems, problemLine } from "../helpers/config";
import { chartDefaults, unknownValuePaths } from "../helpers/chart-values";
import { referencePath } from "../helpers/reference";
import { platformContextFor } from "../helpers/stand-ins";

// The charts' defaults and schemas (download-only reference files): the conformance cases skip, naming them, without.
const EDNS_VALUES = referencePath("chart-values/external-dns-1.21.1.yaml");
const EDNS_SCHEMA = referencePath("chart-values/external-dns-1.21.1.schema.json");
const CM_VALUES = referencePath("chart-values/cert-manager-v1.21.1.yaml");
const CM_SCHEMA = referencePath("chart-values/cert-manager-v1.21.1.schema.json");

const zones = [
    { id: "Z0123456789ABCDEFGHIJ", domain: "example.com" },
    { id: "Z9876543210ZYXWVUTSRQ", domain: "internal.example.com" },
];
const edns = externalDnsValues(
    { policy: "sync", sources: ["service", "gateway-httproute"], zones, clusterName: "eks-platform-prod", region: "eu-west-1" },
    SYSTEM_PLACEMENT,
);

/** Helm validates a chart's values against its values.schema.json (draft-07) before it renders anything. */
function schemaErrors(schemaFile: string, values: unknown): string[] {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")) as object);
    // Helm merges the chart's defaults under the release's values first: validate the merge, as Helm does.
    return validate(values) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const merge = (a: unknown, b: unknown): unknown =>
    isMap(a) && isMap(b)
        ? Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, merge(a[k], b[k])]))
        : (b ?? a);

describe("external-dns", () => {
    it("may change records only in the stack's zones; ListHostedZones is the only statement on *", () => {
        const policy = externalDnsPolicy(zones, "aws");
        expect(policy.Statement).toEqual([
            {
                Sid: "ChangeRecordsInTheStacksZones",
                Effect: "Allow",
                Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"],
                Resource: ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ", "arn:aws:route53:::hostedzone/Z9876543210ZYXWVUTSRQ"],
            },
            { Sid: "ListHostedZones", Effect: "Allow", Action: ["route53:ListHostedZones"], Resource: "*" },
        ]);
        // Exactly the actions of the tutorial's policy (docs/tutorials/aws.md at external-dns-helm-chart-1.21.1, "IAM Policy").
        const tutorial = [
            "route53:ChangeResourceRecordSets",
            "route53:ListResourceRecordSets",
            "route53:ListTagsForResources",
            "route53:ListHostedZones",
        ];
        expect(policy.Statement.flatMap((s) => s.Action).sort()).toEqual([...tutorial].sort());
    });

    it("watches only those zones, owns its records by the cluster's name, and is told its region", () => {
        expect(edns).toMatchObject({
            provider: { name: "aws" },
            policy: "sync",
            registry: "txt",
            txtOwnerId: "eks-platform-prod",
            domainFilters: ["example.com", "internal.example.com"],
            extraArgs: { "zone-id-filter": ["Z0123456789ABCDEFGHIJ", "Z9876543210ZYXWVUTSRQ"] },
            env: [{ name: "AWS_DEFAULT_REGION", value: "eu-west-1" }],
            serviceAccount: { create: true, name: EXTERNAL_DNS_SERVICE_ACCOUNT },
            nodeSelector: { "eks-platform/node-group": "system" },
        });
    });

    it.skipIf(!EDNS_VALUES || !EDNS_SCHEMA)("uses only keys of chart 1.21.1, and its values pass the chart's values.schema.json", () => {
        const values = EDNS_VALUES as string;
        const schema = EDNS_SCHEMA as string;
        expect(unknownValuePaths(edns, chartDefaults(values), { freeForm: new Set(["extraArgs"]) })).toEqual([]);
        expect(schemaErrors(schema, merge(chartDefaults(values), edns))).toEqual([]);
        expect(schemaErrors(schema, merge(chartDefaults(values), { ...edns, policy: "everything" }))).not.toEqual([]);
    });
});

describe("cert-manager", () => {
    const values = certManagerValues(2, SYSTEM_PLACEMENT);

    it("installs its CRDs (kept on uninstall), on the system nodes, with PDBs from two replicas", () => {
        expect(values.crds).toEqual({ enabled: true, keep: true });
        for (const part of [values, values.webhook, values.cainjector])
            expect(part).toMatchObject({
                replicaCount: 2,
                podDisruptionBudget: { enabled: true, minAvailable: 1 },
                nodeSelector: { "eks-platform/node-group": "system" },
            });
        expect(certManagerValues(1, SYSTEM_PLACEMENT).podDisruptionBudget).toEqual({ enabled: false });
        expect(certManagerWorkloads(values).map((w) => `${w.name} ${w.kind} ${w.replicas}`)).toEqual([
            "cert-manager/controller Deployment 2",
            "cert-manager/webhook Deployment 2",
            "cert-manager/cainjector Deployment 2",
            "cert-manager/startupapicheck Job 1",
        ]);
    });

    it("serves its webhook on the host network (port 10260, one per node) where pods are not routable from the VPC (calico-cni)", () => {
        const overlay = certManagerValues(2, SYSTEM_PLACEMENT, false);
        expect(overlay.webhook).toMatchObject({ hostNetwork: true, securePort: 10260 });
        expect(values.webhook.hostNetwork).toBeUndefined();
        const webhook = certManagerWorkloads(overlay).find((w) => w.name === "cert-manager/webhook");
        expect(webhook?.antiAffinity).toEqual(["kubernetes.io/hostname"]);
    });

    it.skipIf(!CM_VALUES || !CM_SCHEMA)("passes the chart's values.schema.json with the host-network webhook too", () => {
        const overlay = certManagerValues(2, SYSTEM_PLACEMENT, false);
        expect(schemaErrors(CM_SCHEMA as string, merge(chartDefaults(CM_VALUES as string), overlay))).toEqual([]);
    });

    it.skipIf(!CM_VALUES || !CM_SCHEMA)("uses only keys of chart v1.21.1, and its values pass the chart's values.schema.json", () => {
        const defaults = CM_VALUES as string;
        const schema = CM_SCHEMA as string;
        // podDisruptionBudget.minAvailable is documented in values.yaml but commented out (its schema lists it).
        const known = new Set([
            "podDisruptionBudget/minAvailable",
            "webhook/podDisruptionBudget/minAvailable",
            "cainjector/podDisruptionBudget/minAvailable",
        ]);
        expect(unknownValuePaths(values, chartDefaults(defaults), { known })).toEqual([]);
        expect(schemaErrors(schema, merge(chartDefaults(defaults), values))).toEqual([]);
        expect(
            schemaErrors(schema, merge(chartDefaults(defaults), { ...values, webhook: { ...values.webhook, replicas: 2 } })),
        ).not.toEqual([]);
    });
});

describe("the ExternalDns component", () => {
    let recorder: Recorder;
    beforeAll(async () => {
        const setup = setupMocks({ stack: "prod", overrides: { "eks-platform:dns": { externalDns: { enabled: true, zones } } } });
        recorder = setup.recorder;
        new ExternalDns("dns", { ctx: platformContextFor(setup.config), config: setup.config.dns.externalDns });
        await settle();
    });

    it("binds its role to external-dns/external-dns through Pod Identity, before the release", () => {
        const association = recorder.one("aws:eks/podIdentityAssociation:PodIdentityAssociation");
        expect(association.inputs).toMatchObject({ namespace: "external-dns", serviceAccount: "external-dns" });
        const release = recorder.one("kubernetes:helm.sh/v3:Release");
        expect(release.inputs).toMatchObject({
            chart: "external-dns",
            version: "1.21.1",
            namespace: "external-dns",
            repositoryOpts: { repo: "https://kubernetes-sigs.github.io/external-dns/" },
        });
        expect(recorder.dependsOn(release, association)).toBe(true);
        const policy = JSON.parse(recorder.one("aws:iam/rolePolicy:RolePolicy").inputs.policy as string) as {
            Statement: { Resource: unknown }[];
        };
        expect(policy.Statement[0]?.Resource).toEqual(zones.map((z) => `arn:aws:route53:::hostedzone/${z.id}`));
    });
});

describe("certificates and DNS settings", () => {
    const lines = (stack: string, overrides: Record<string, unknown>) => configProblems({ stack, overrides }).map(problemLine);

    it("refuses external-dns without zones, a malformed zone ID, and one cert-manager replica in prod", () => {
        expect(lines("dev", { "eks-platform:dns": { externalDns: { enabled: true } } })).toEqual([
            "eks-platform:dns.externalDns.zones: must list at least one Route 53 hosted zone while externalDns.enabled: its role may change records only in the zones listed (got [])",
        ]);
        expect(lines("dev", { "eks-platform:dns": { externalDns: { zones: [{ id: "hostedzone/Z1", domain: "example.com" }] } } })).toEqual([
            'eks-platform:dns.externalDns.zones[0].id: must be a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ (got "hostedzone/Z1")',
        ]);
        expect(lines("prod", { "eks-platform:certificates": { certManager: { replicas: 1 } } })).toEqual([
            expect.stringMatching(/^eks-platform:certificates\.certManager\.replicas: must be at least 2 in prod: .* \(got 1\)$/),
        ]);
        expect(lines("dev", { "eks-platform:certificates": { certManager: { replicas: 1 } } })).toEqual([]);
    });
});
