// Pure functions of components/cni: the vpc-cni add-on values per mode, max pods, the Calico Installation (checked
// against the operator's CRD of the pinned version), the chart values, ENIConfigs and the baseline policies.
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import {
    baselinePolicies,
    calicoBaselinePolicies,
    calicoInstallation,
    eniConfigObject,
    kubernetesBaselinePolicies,
    maxPodsFor,
    type NamespaceTraffic,
    tigeraOperatorValues,
    vpcCniAddonSettings,
} from "../../components/cni";
import type { CniConfig } from "../../stacks/config";
import { platformConfigFor } from "../../plan";
import { crdValidator } from "../helpers/crd";
import { chartDefaults, unknownValuePaths } from "../helpers/chart-values";
import { referencePath } from "../helpers/reference";

const cniFor = (overrides: Record<string, unknown> = {}, network: Record<string, unknown> = {}): CniConfig =>
    platformConfigFor({ stack: "dev", overrides: { "eks-platform:cni": overrides, "eks-platform:network": network } }).cni as CniConfig;
const calicoCni = () => cniFor({ mode: "calico-cni", vpcCni: { prefixDelegation: false } });

/**
 * The vpc-cni add-on's configuration schema as `aws eks describe-addon-configuration --addon-name vpc-cni` publishes
 * it (the AWS CLI reference's example, v1.15.1-eksbuild.1; later versions only add keys): restated here for the keys
 * the program emits, with the published rules: no unknown keys, env values are strings of format boolean/integer.
 */
const ENV_FORMATS: Record<string, "boolean" | "integer" | "string"> = {
    ANNOTATE_POD_IP: "boolean",
    AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "boolean",
    AWS_VPC_K8S_CNI_EXTERNALSNAT: "boolean",
    ENABLE_PREFIX_DELEGATION: "boolean",
    ENI_CONFIG_LABEL_DEF: "string",
    MINIMUM_IP_TARGET: "integer",
    WARM_ENI_TARGET: "integer",
    WARM_IP_TARGET: "integer",
    WARM_PREFIX_TARGET: "integer",
};
const publishedVpcCniSchema = {
    type: "object",
    additionalProperties: false,
    properties: {
        enableNetworkPolicy: { type: "string", format: "boolean" },
        env: {
            type: "object",
            additionalProperties: false,
            properties: Object.fromEntries(
                Object.entries(ENV_FORMATS).map(([k, f]) => [k, f === "string" ? { type: "string" } : { type: "string", format: f }]),
            ),
        },
        eniConfig: {
            type: "object",
            additionalProperties: false,
            required: ["create", "region", "subnets"],
            properties: {
                create: { type: "boolean" },
                region: { type: "string" },
                subnets: {
                    type: "object",
                    minProperties: 1,
                    additionalProperties: {
                        type: "object",
                        additionalProperties: false,
                        required: ["id"],
                        properties: { id: { type: "string" }, securityGroups: { type: "array", items: { type: "string" } } },
                    },
                },
            },
        },
    },
};
const ajv = new Ajv({ strict: true, allErrors: true });
ajv.addFormat("boolean", /^(true|false)$/);
ajv.addFormat("integer", /^\d+$/);
const validateAddonValues = ajv.compile(publishedVpcCniSchema);

describe("vpcCniAddonSettings", () => {
    it("calico-policy: VPC CNI installed, its network policy off, pod IP annotation for Calico, dev's prefix delegation", () => {
        const s = vpcCniAddonSettings(cniFor());
        expect(s.install).toBe(true);
        expect(s.configurationValues).toEqual({
            enableNetworkPolicy: "false",
            env: {
                ENABLE_PREFIX_DELEGATION: "true",
                WARM_PREFIX_TARGET: "1",
                AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "false",
                AWS_VPC_K8S_CNI_EXTERNALSNAT: "false",
                ANNOTATE_POD_IP: "true",
            },
        });
    });

    it("vpc-cni-policy: the VPC CNI's network policy agent on, no Calico annotation", () => {
        const s = vpcCniAddonSettings(cniFor({ mode: "vpc-cni-policy" }));
        expect(s.install).toBe(true);
        expect(s.configurationValues.enableNetworkPolicy).toBe("true");
        expect(s.configurationValues.env.ANNOTATE_POD_IP).toBeUndefined();
    });

    it("calico-cni: no vpc-cni add-on at all", () => {
        expect(vpcCniAddonSettings(calicoCni()).install).toBe(false);
    });

    it("prod's minimum IP target, warm IP target and external SNAT reach the env", () => {
        const prod = platformConfigFor({
            stack: "prod",
            overrides: { "eks-platform:cni": { vpcCni: { warmIpTarget: 5, externalSnat: true } } },
        }).cni as CniConfig;
        const env = vpcCniAddonSettings(prod).configurationValues.env;
        expect(env).toMatchObject({ MINIMUM_IP_TARGET: "16", WARM_IP_TARGET: "5", AWS_VPC_K8S_CNI_EXTERNALSNAT: "true" });
    });

    it("drops WARM_PREFIX_TARGET without prefix delegation (it would mean nothing)", () => {
        const env = vpcCniAddonSettings(cniFor({ vpcCni: { prefixDelegation: false } })).configurationValues.env;
        expect(env.ENABLE_PREFIX_DELEGATION).toBe("false");
        expect(env.WARM_PREFIX_TARGET).toBeUndefined();
    });

    it("custom networking: ENIConfig per zone label, and add-on-made ENIConfigs on request", () => {
        const cni = cniFor({ vpcCni: { customNetworking: true } }, { podCidr: "100.64.0.0/16" });
        const plain = vpcCniAddonSettings(cni).configurationValues;
        expect(plain.env).toMatchObject({
            AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
            ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone",
        });
        expect(plain.eniConfig).toBeUndefined();
        const withEni = vpcCniAddonSettings(cni, {
            eniConfigs: {
                region: "eu-west-1",
                subnets: [
                    { availabilityZone: "eu-west-1a", subnetId: "subnet-1", securityGroupIds: ["sg-1"] },
                    { availabilityZone: "eu-west-1b", subnetId: "subnet-2" },
                ],
            },
        }).configurationValues;
        expect(withEni.eniConfig).toEqual({
            create: true,
            region: "eu-west-1",
            subnets: { "eu-west-1a": { id: "subnet-1", securityGroups: ["sg-1"] }, "eu-west-1b": { id: "subnet-2" } },
        });
        expect(validateAddonValues(withEni), JSON.stringify(validateAddonValues.errors)).toBe(true);
    });

    it.each(["dev", "staging", "prod"])("%s: every mode's values validate against the add-on's published configuration schema", (stack) => {
        for (const cni of [
            { mode: "calico-policy" },
            { mode: "vpc-cni-policy" },
            { mode: "calico-cni", vpcCni: { prefixDelegation: false } },
            { vpcCni: { customNetworking: true, warmIpTarget: 3 } },
        ]) {
            const config = platformConfigFor({
                stack,
                overrides: { "eks-platform:cni": cni, "eks-platform:network": { podCidr: "100.64.0.0/16" } },
            }).cni as CniConfig;
            const values = vpcCniAddonSettings(config).configurationValues;
            expect(validateAddonValues(values), `${stack} ${JSON.stringify(cni)}: ${JSON.stringify(validateAddonValues.errors)}`).toBe(
                true,
            );
        }
    });

    it("the schema check has teeth: a misspelt key or a non-boolean string fails", () => {
        expect(validateAddonValues({ env: { ENABLE_PREFIX_DELEGATON: "true" }, enableNetworkPolicy: "false" })).toBe(false);
        expect(validateAddonValues({ env: {}, enableNetworkPolicy: "yes" })).toBe(false);
        expect(validateAddonValues({ env: { WARM_IP_TARGET: 5 }, enableNetworkPolicy: "false" })).toBe(false);
    });
});

describe("maxPodsFor", () => {
    it("110 with prefix delegation, Calico's maximum in calico-cni, nodeadm's ENI-derived value otherwise", () => {
        expect(maxPodsFor(cniFor())).toBe(110);
        expect(maxPodsFor(calicoCni())).toBe(110);
        expect(maxPodsFor(cniFor({ mode: "calico-cni", vpcCni: { prefixDelegation: false }, calico: { maxPods: 200 } }))).toBe(200);
        expect(maxPodsFor(cniFor({ vpcCni: { prefixDelegation: false } }))).toBeUndefined();
    });
    it("an explicit value wins", () => {
        expect(maxPodsFor(cniFor(), 250)).toBe(250);
        expect(maxPodsFor(cniFor({ vpcCni: { prefixDelegation: false } }), 58)).toBe(58);
    });
});

describe("Calico Installation", () => {
    const crd = referencePath("calico-v3.32.1/operator.tigera.io_installations.yaml");
    const validate = crd ? crdValidator(crd, "v1") : undefined;

    it("calico-policy: EKS provider, AmazonVPC CNI and IPAM, BGP off, control plane on the system nodes", () => {
        const inst = calicoInstallation(cniFor());
        expect(inst.metadata.name).toBe("default");
        expect(inst.spec).toMatchObject({
            kubernetesProvider: "EKS",
            cni: { type: "AmazonVPC", ipam: { type: "AmazonVPC" } },
            calicoNetwork: { bgp: "Disabled" },
            controlPlaneNodeSelector: { "eks-platform/node-group": "system" },
            controlPlaneTolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
        });
        expect((inst.spec.calicoNetwork as Record<string, unknown>).ipPools).toBeUndefined();
    });

    it("calico-cni: Calico CNI and IPAM with one VXLAN pool from config, BGP off", () => {
        const inst = calicoInstallation(
            cniFor({ mode: "calico-cni", vpcCni: { prefixDelegation: false }, calico: { ipPoolCidr: "172.18.0.0/16", blockSize: 27 } }),
        );
        expect(inst.spec.cni).toEqual({ type: "Calico", ipam: { type: "Calico" } });
        expect(inst.spec.calicoNetwork).toEqual({
            bgp: "Disabled",
            ipPools: [
                {
                    name: "default-ipv4-ippool",
                    cidr: "172.18.0.0/16",
                    encapsulation: "VXLAN",
                    natOutgoing: "Enabled",
                    nodeSelector: "all()",
                    blockSize: 27,
                },
            ],
        });
    });

    it("vpc-cni-policy has no Installation", () => {
        expect(() => calicoInstallation(cniFor({ mode: "vpc-cni-policy" }))).toThrow(/no Calico/);
    });

    it.skipIf(!validate)("validates against the operator's Installation CRD (v3.32.1) in both Calico modes", () => {
        for (const cni of [cniFor(), calicoCni()]) {
            const inst = calicoInstallation(cni);
            expect(validate?.(inst), JSON.stringify(validate?.errors)).toBe(true);
        }
    });

    it.skipIf(!validate)("the CRD check has teeth: a wrong enum or an unknown field fails", () => {
        const inst = calicoInstallation(cniFor());
        expect(validate?.({ ...inst, spec: { ...inst.spec, calicoNetwork: { bgp: "Off" } } })).toBe(false);
        expect(validate?.({ ...inst, spec: { ...inst.spec, cniType: "AmazonVPC" } })).toBe(false);
    });
});

describe("tigera-operator chart values", () => {
    it("turn off the chart's own Installation and APIServer (the component makes them) and pin the operator to system nodes", () => {
        const v = tigeraOperatorValues();
        expect(v).toMatchObject({
            installation: { enabled: false },
            apiServer: { enabled: false },
            manageCRDs: true,
            nodeSelector: { "eks-platform/node-group": "system" },
        });
    });
    const valuesFile = referencePath("chart-values/tigera-operator-v3.32.1.yaml");
    it.skipIf(!valuesFile)("every key path is one the chart's values.yaml (v3.32.1) has", () => {
        expect(unknownValuePaths(tigeraOperatorValues(), chartDefaults(valuesFile as string))).toEqual([]);
    });
});

describe("ENIConfig", () => {
    it("is named after its zone (ENI_CONFIG_LABEL_DEF) and names the pod subnet and security groups", () => {
        expect(eniConfigObject("eu-west-1a", "subnet-1", ["sg-1"])).toEqual({
            apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
            kind: "ENIConfig",
            metadata: { name: "eu-west-1a" },
            spec: { subnet: "subnet-1", securityGroups: ["sg-1"] },
        });
    });
});

describe("baseline policies", () => {
    const monitoring: NamespaceTraffic = {
        namespace: "monitoring",
        withinNamespace: true,
        kubeApi: true,
        podIdentity: false,
        ingress: [{ name: "grafana", namespaces: ["ingress-nginx"], ports: [{ port: 3000 }] }],
        egress: [
            { name: "scrape", namespaces: ["*"] },
            { name: "aws-apis", cidrs: ["0.0.0.0/0"], ports: [{ port: 443 }] },
        ],
    };

    it("Kubernetes form: default deny both ways, DNS to CoreDNS, API server by CIDR, then each declared flow", () => {
        const policies = kubernetesBaselinePolicies(monitoring, ["10.10.0.0/16"]);
        const byName = Object.fromEntries(policies.map((p) => [p.metadata.name, p]));
        expect(Object.keys(byName)).toEqual([
            "baseline-default-deny",
            "baseline-allow-dns",
            "baseline-allow-within-namespace",
            "baseline-allow-kube-api",
            "baseline-ingress-grafana",
            "baseline-egress-scrape",
            "baseline-egress-aws-apis",
        ]);
        for (const p of policies)
            expect(p).toMatchObject({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { namespace: "monitoring" } });
        expect(byName["baseline-default-deny"]?.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        expect(byName["baseline-allow-dns"]?.spec.egress).toEqual([
            {
                to: [
                    {
                        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                    },
                ],
                ports: [
                    { protocol: "UDP", port: 53 },
                    { protocol: "TCP", port: 53 },
                ],
            },
        ]);
        expect(byName["baseline-allow-kube-api"]?.spec.egress).toEqual([
            { to: [{ ipBlock: { cidr: "10.10.0.0/16" } }], ports: [{ protocol: "TCP", port: 443 }] },
        ]);
        expect(byName["baseline-ingress-grafana"]?.spec.ingress).toEqual([
            {
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
                ports: [{ protocol: "TCP", port: 3000 }],
            },
        ]);
        expect(byName["baseline-egress-scrape"]?.spec.egress).toEqual([{ to: [{ namespaceSelector: {} }] }]);
    });

    it("Calico form: one ordered allow policy before a default deny, API server matched by its Service", () => {
        const [allow, deny] = calicoBaselinePolicies(monitoring);
        expect(allow).toMatchObject({
            apiVersion: "projectcalico.org/v3",
            kind: "NetworkPolicy",
            metadata: { name: "baseline-allow", namespace: "monitoring" },
            spec: { order: 900, selector: "all()" },
        });
        expect(deny).toMatchObject({
            metadata: { name: "baseline-default-deny" },
            spec: { order: 2000, selector: "all()", types: ["Ingress", "Egress"] },
        });
        expect(deny?.spec.ingress).toBeUndefined();
        const egress = allow?.spec.egress as Record<string, unknown>[];
        expect(egress).toContainEqual({
            action: "Allow",
            protocol: "UDP",
            destination: { namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] },
        });
        expect(egress).toContainEqual({ action: "Allow", destination: { services: { name: "kubernetes", namespace: "default" } } });
        expect(egress).toContainEqual({ action: "Allow", destination: { namespaceSelector: "all()" } });
        expect(egress).toContainEqual({ action: "Allow", protocol: "TCP", destination: { nets: ["0.0.0.0/0"], ports: [443] } });
        expect(allow?.spec.ingress).toContainEqual({
            action: "Allow",
            protocol: "TCP",
            source: { namespaceSelector: "projectcalico.org/name in { 'ingress-nginx' }" },
            destination: { ports: [3000] },
        });
        // Calico requires a protocol wherever ports are given.
        for (const rule of [...egress, ...(allow?.spec.ingress as Record<string, unknown>[])]) {
            const ports = (rule.destination as { ports?: unknown } | undefined)?.ports;
            if (ports) expect(rule.protocol, JSON.stringify(rule)).toBeDefined();
        }
    });

    it("a rule without peers is refused (it would allow everything)", () => {
        expect(() => baselinePolicies("kubernetes", { ...monitoring, egress: [{ name: "oops", ports: [{ port: 443 }] }] }, [])).toThrow(
            /at least one peer/,
        );
        expect(() => baselinePolicies("calico", { ...monitoring, ingress: [{ name: "oops" }] }, [])).toThrow(/at least one peer/);
    });
});
