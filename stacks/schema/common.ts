// Building blocks shared by the per-section schemas. Every refinement message states the rule; the loader in
// stacks/config.ts prefixes it with the key path and the value given.
import { Address4 } from "ip-address";
import { z } from "zod";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Parses an IPv4 CIDR; returns undefined when it is not one (host bits set count as not one). */
export function parseCidr(value: string): { address: Address4; prefix: number } | undefined {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(value) || !Address4.isValid(value)) return undefined;
    const address = new Address4(value);
    // "10.0.0.1/16" is a host address, not a network: AWS rejects it for VPCs and subnets.
    if (address.startAddress().correctForm() !== address.addressMinusSuffix) return undefined;
    return { address, prefix: address.subnetMask };
}

export const cidr = (rule = "must be an IPv4 network in CIDR notation, e.g. 10.0.0.0/16") =>
    z.string().refine((v) => parseCidr(v) !== undefined, { message: rule });

/** A CIDR whose prefix length lies in [min, max]. */
export const cidrWithPrefix = (min: number, max: number) =>
    z.string().superRefine((v, ctx) => {
        const parsed = parseCidr(v);
        if (!parsed) {
            ctx.addIssue({ code: "custom", message: "must be an IPv4 network in CIDR notation, e.g. 10.0.0.0/16" });
        } else if (parsed.prefix < min || parsed.prefix > max) {
            ctx.addIssue({ code: "custom", message: `prefix must be between /${min} and /${max}` });
        }
    });

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export const logRetentionDays = z.number().refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
    message: `must be one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
});

/** A Helm chart version: exact semver, never a range, so every release is pinned. */
export const chartVersion = z
    .string()
    .regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, "must be an exact chart version such as 1.14.1 (no ranges)");

/** An EKS add-on version as `aws eks describe-addon-versions` lists it. */
export const addonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, "must be an EKS add-on version such as v1.19.2-eksbuild.1");

/** A Kubernetes resource quantity (cpu "1000", "500m"; memory "1000Gi"). */
export const quantity = z
    .string()
    .regex(/^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/, "must be a Kubernetes quantity such as 500m, 4 or 16Gi");

/** A Go duration as Karpenter accepts it (e.g. 30s, 5m, 720h, 1h30m). */
export const goDuration = z.string().regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, "must be a duration such as 30s, 5m or 720h");

/** A Kubernetes label key or value, or a taint key (qualified name). */
export const labelKey = z
    .string()
    .regex(
        /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
        "must be a Kubernetes qualified name such as team or example.com/team",
    );
export const labelValue = z
    .string()
    .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/, "must be a Kubernetes label value (63 chars, alphanumeric ends)");

/** A DNS-1123 label: names of Kubernetes objects we create and of pools. */
export const dnsLabel = z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a DNS-1123 label: lowercase letters, digits and '-', 1-63 chars");

export const iamPrincipalArn = z
    .string()
    .regex(
        /^arn:aws[a-z-]*:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@/-]+$/,
        "must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin",
    );

/** Defaults give any part of a section: objects key by key (lists and scalars whole). */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
