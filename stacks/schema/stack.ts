// The stack-wide keys: the region, the environment (which picks the defaults and the environment rules) and the
// tags every AWS resource carries.
import { z } from "zod";
import { knownRegion } from "./catalog";
import { ENVIRONMENTS } from "./common";

/** Tag keys every stack sets in `eks-platform:tags`, on top of those the program adds. */
export const REQUIRED_TAG_KEYS = ["Owner", "CostCenter"] as const;

export const regionSchema = knownRegion.describe(
    "The AWS region of every resource (the AWS provider's region). Checked against the AWS SDK's region list (lib/catalog, @aws-sdk/core's partitions data) and refused when @pulumi/aws does not know it yet; its partition decides the partition of every ARN (access entries included).",
);

export const environmentSchema = z
    .enum(ENVIRONMENTS, { message: `must be one of ${ENVIRONMENTS.join(", ")}` })
    .describe(
        "dev, staging or prod: chooses the defaults and the environment rules (prod: protect on, private endpoint, pinned AMIs, HA controllers).",
    );

export const tagsSchema = z
    .record(
        z.string().regex(/^(?!aws:)[\w .:/=+@-]{1,128}$/, "must be a tag key of up to 128 characters, not starting with aws:"),
        z.string().regex(/^[\w .:/=+@-]{0,256}$/, "must be a tag value of up to 256 characters"),
    )
    .superRefine((tags, ctx) => {
        for (const key of REQUIRED_TAG_KEYS) {
            if (!(key in tags))
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    message: `is required: every stack tags its resources with ${REQUIRED_TAG_KEYS.join(" and ")}`,
                });
        }
    })
    .describe(
        "Tags on every AWS resource (the provider's default tags); Owner and CostCenter are required; Project, Environment, Stack and ManagedBy are added.",
    );
