// Upstream IAM documents the tests compare ours with, read from the pinned reference files.
import { parse as parseYaml } from "yaml";
import type { PolicyDocument } from "../../components/lib/iam";

export interface UpstreamControllerPolicies {
    policies: Record<string, { PolicyDocument: PolicyDocument }>;
    combined: PolicyDocument;
}

/**
 * The controller's managed policies of upstream's CloudFormation template (KarpenterController<Name>-${ClusterName},
 * each a `!Sub` JSON document), placeholders kept, and all their statements combined in template order.
 */
export function upstreamControllerPolicies(template: string): UpstreamControllerPolicies {
    const sub = { tag: "!Sub", resolve: (value: string) => value };
    const ref = { tag: "!Ref", resolve: (value: string) => `\${${value}}` };
    const getAtt = { tag: "!GetAtt", resolve: (value: string) => `\${${value}}` };
    const doc = parseYaml(template, { customTags: [sub, ref, getAtt] }) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const policies: Record<string, { PolicyDocument: PolicyDocument }> = {};
    for (const resource of Object.values(doc.Resources)) {
        const name = /^KarpenterController(\w+)-\$\{ClusterName\}$/.exec(String(resource.Properties.ManagedPolicyName ?? ""))?.[1];
        if (resource.Type === "AWS::IAM::ManagedPolicy" && name)
            policies[name] = { PolicyDocument: JSON.parse(String(resource.Properties.PolicyDocument)) as PolicyDocument };
    }
    const combined: PolicyDocument = {
        Version: "2012-10-17",
        Statement: Object.values(policies).flatMap((p) => p.PolicyDocument.Statement),
    };
    return { policies, combined };
}
