// Pure functions of components/ingress: the controller's IAM policy against the published one of the pinned version,
// the Helm values of both charts (against the chart's values.yaml keys), the IngressClass and its params.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
    ingressClassObject,
    ingressClassParamsObject,
    LOAD_BALANCER_CONTROLLER_POLICY_VERSION,
    loadBalancerControllerPolicy,
    loadBalancerControllerValues,
    nginxServiceAnnotations,
    nginxValues,
} from "../../components/ingress";
import type { PolicyDocument, PolicyStatement } from "../../components/lib/iam";
import type { IngressConfig } from "../../stacks/config";
import { chartDefaults, unknownValuePaths } from "../helpers/chart-values";
import { referencePath } from "../helpers/reference";
import { platformConfigFor } from "../../plan";

const ingressFor = (stack = "dev", overrides: Record<string, unknown> = {}) =>
    platformConfigFor({ stack, overrides: { "eks-platform:ingress": overrides } }).ingress as IngressConfig;

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** A statement without its Sid, with actions and resources as sorted lists: comparable across spellings. */
function normalise(s: PolicyStatement) {
    return JSON.stringify({
        Effect: s.Effect,
        Action: asList(s.Action).sort(),
        Resource: asList(s.Resource).sort(),
        Condition: s.Condition ?? null,
    });
}
const actionsOf = (doc: PolicyDocument) => new Set(doc.Statement.flatMap((s) => asList(s.Action)));

describe("AWS Load Balancer Controller IAM policy", () => {
    const file = referencePath(`aws-load-balancer-controller-${LOAD_BALANCER_CONTROLLER_POLICY_VERSION}/iam_policy.json`);
    const published = file ? (JSON.parse(fs.readFileSync(file, "utf8")) as PolicyDocument) : undefined;
    const ours = loadBalancerControllerPolicy("aws");

    const values = referencePath("chart-values/aws-load-balancer-controller-3.5.0.yaml");
    it.skipIf(!values)("is pinned to the chart's app version", () => {
        if (!values) throw new Error("unreachable: skipped without the reference");
        const image = (parseYaml(fs.readFileSync(values, "utf8")) as { image: { tag: string } }).image;
        expect(image.tag).toBe(LOAD_BALANCER_CONTROLLER_POLICY_VERSION);
        expect(ingressFor().loadBalancerController.chartVersion).toBe("3.5.0");
    });

    it.skipIf(!published)("grants exactly the published actions: none missing, none added", () => {
        const theirs = actionsOf(published as PolicyDocument);
        const mine = actionsOf(ours);
        expect(
            [...theirs].filter((a) => !mine.has(a)),
            "missing",
        ).toEqual([]);
        expect(
            [...mine].filter((a) => !theirs.has(a)),
            "added",
        ).toEqual([]);
    });

    it.skipIf(!published)("has the published statements, conditions and resources, one for one", () => {
        expect(ours.Statement.map(normalise).sort()).toEqual((published as PolicyDocument).Statement.map(normalise).sort());
    });

    it("puts the partition in every ARN", () => {
        const china = JSON.stringify(loadBalancerControllerPolicy("aws-cn"));
        expect(china).toContain("arn:aws-cn:elasticloadbalancing:*:*:targetgroup/*/*");
        expect(china).not.toMatch(/arn:aws:/);
    });

    it("fits an inline role policy (10,240 characters without whitespace)", () => {
        expect(JSON.stringify(ours).length).toBeLessThan(10_240);
    });
});

describe("aws-load-balancer-controller values", () => {
    const base = {
        clusterName: "eks-platform-dev",
        region: "eu-west-1",
        vpcId: "vpc-123",
        config: ingressFor(),
        podsRoutableFromVpc: true,
    };

    it("set cluster, region and VPC (IMDS hop limit 1 blocks discovery), 2 replicas with a PDB, spread, on system nodes", () => {
        const v = loadBalancerControllerValues(base);
        expect(v).toMatchObject({
            clusterName: "eks-platform-dev",
            region: "eu-west-1",
            vpcId: "vpc-123",
            replicaCount: 2,
            podDisruptionBudget: { maxUnavailable: 1 },
            nodeSelector: { "eks-platform/node-group": "system" },
            tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
            serviceAccount: { create: true, name: "aws-load-balancer-controller" },
            createIngressClassResource: false,
            defaultTargetType: "ip",
        });
        const spread = v.topologySpreadConstraints as {
            topologyKey: string;
            whenUnsatisfiable: string;
            labelSelector: { matchLabels: Record<string, string> };
        }[];
        expect(spread.map((s) => [s.topologyKey, s.whenUnsatisfiable])).toEqual([
            ["topology.kubernetes.io/zone", "ScheduleAnyway"],
            ["kubernetes.io/hostname", "DoNotSchedule"],
        ]);
        // The chart's selector labels: app.kubernetes.io/name and instance (the release name).
        expect(spread[0]?.labelSelector.matchLabels).toEqual({
            "app.kubernetes.io/name": "aws-load-balancer-controller",
            "app.kubernetes.io/instance": "aws-load-balancer-controller",
        });
        expect(v.hostNetwork).toBeUndefined();
    });

    it("calico-cni: instance targets and the webhook on the host network", () => {
        const v = loadBalancerControllerValues({ ...base, podsRoutableFromVpc: false });
        expect(v).toMatchObject({ defaultTargetType: "instance", hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" });
    });

    const valuesFile = referencePath("chart-values/aws-load-balancer-controller-3.5.0.yaml");
    it.skipIf(!valuesFile)("use only keys the chart's values.yaml (3.5.0) has", () => {
        const defaults = chartDefaults(valuesFile as string);
        expect(unknownValuePaths(loadBalancerControllerValues({ ...base, podsRoutableFromVpc: false }), defaults)).toEqual([]);
        expect(unknownValuePaths(loadBalancerControllerValues({ ...base, podsRoutableFromVpc: true }), defaults)).toEqual([]);
    });
});

describe("ingress-nginx values", () => {
    it("put the controller behind an NLB made by the LB controller (external, ip targets, the configured scheme)", () => {
        const config = ingressFor("prod", { nginx: { enabled: true, acknowledgeRetired: true, replicas: 3 } });
        const v = nginxValues({ config, podsRoutableFromVpc: true }) as { controller: Record<string, unknown> };
        expect(v.controller).toMatchObject({
            replicaCount: 3,
            service: {
                type: "LoadBalancer",
                loadBalancerClass: "service.k8s.aws/nlb",
                annotations: {
                    "service.beta.kubernetes.io/aws-load-balancer-type": "external",
                    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
                    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
                },
            },
            ingressClassResource: { name: "nginx", default: false },
            nodeSelector: { "eks-platform/node-group": "system" },
            admissionWebhooks: { enabled: true },
        });
    });
    it("calico-cni: instance targets, no admission webhook the control plane could not reach", () => {
        expect(nginxServiceAnnotations("internal", false)).toMatchObject({
            "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "instance",
            "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
        });
        const v = nginxValues({ config: ingressFor(), podsRoutableFromVpc: false }) as {
            controller: { admissionWebhooks: { enabled: boolean } };
        };
        expect(v.controller.admissionWebhooks.enabled).toBe(false);
    });
});

describe("IngressClass", () => {
    it("is the default class, served by the LB controller, with params carrying the scheme", () => {
        const config = ingressFor("dev", { ingressClass: { scheme: "internal" } });
        expect(ingressClassObject(config)).toEqual({
            apiVersion: "networking.k8s.io/v1",
            kind: "IngressClass",
            metadata: { name: "alb", annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } },
            spec: { controller: "ingress.k8s.aws/alb", parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "alb" } },
        });
        expect(ingressClassParamsObject(config)).toEqual({
            apiVersion: "elbv2.k8s.aws/v1beta1",
            kind: "IngressClassParams",
            metadata: { name: "alb" },
            spec: { scheme: "internal", ipAddressType: "ipv4" },
        });
    });
    it("is not marked default when ingressClass.default is false", () => {
        expect(ingressClassObject(ingressFor("dev", { ingressClass: { default: false } })).metadata.annotations).toEqual({});
    });
});
