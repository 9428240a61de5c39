// A NodePool's raw requirements (the escape hatch for any well-known label the pool fields do not cover) and its
// limits (CPU, memory and the accelerators Karpenter counts). Keys and resources come from Karpenter's own lists.
import { z } from "zod";
import { quantity } from "../common";

/**
 * The labels Karpenter lets a NodePool require (its WellKnownLabels): the core's (kubernetes-sigs/karpenter
 * pkg/apis/v1/labels.go at 046bcdae) and the AWS provider's (aws/karpenter-provider-aws v1.14.1 pkg/apis/v1/labels.go,
 * init()). Any other key in a restricted domain (kubernetes.io, k8s.io, karpenter.sh, karpenter.k8s.aws) is refused by
 * Karpenter; a custom label belongs in the pool's `labels`.
 */
export const KARPENTER_WELL_KNOWN_LABELS = [
    // core
    "karpenter.sh/nodepool",
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
    "node.kubernetes.io/instance-type",
    "kubernetes.io/arch",
    "kubernetes.io/os",
    "karpenter.sh/capacity-type",
    "node.kubernetes.io/windows-build",
    // AWS provider
    "karpenter.k8s.aws/capacity-reservation-id",
    "karpenter.k8s.aws/capacity-reservation-type",
    "karpenter.k8s.aws/capacity-reservation-interruptible",
    "karpenter.k8s.aws/instance-hypervisor",
    "karpenter.k8s.aws/instance-encryption-in-transit-supported",
    "karpenter.k8s.aws/instance-category",
    "karpenter.k8s.aws/instance-capability-flex",
    "karpenter.k8s.aws/instance-family",
    "karpenter.k8s.aws/instance-generation",
    "karpenter.k8s.aws/instance-size",
    "karpenter.k8s.aws/instance-local-nvme",
    "karpenter.k8s.aws/instance-cpu",
    "karpenter.k8s.aws/instance-cpu-manufacturer",
    "karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz",
    "karpenter.k8s.aws/instance-memory",
    "karpenter.k8s.aws/instance-ebs-bandwidth",
    "karpenter.k8s.aws/instance-network-bandwidth",
    "karpenter.k8s.aws/instance-gpu-name",
    "karpenter.k8s.aws/instance-gpu-manufacturer",
    "karpenter.k8s.aws/instance-gpu-count",
    "karpenter.k8s.aws/instance-gpu-memory",
    "karpenter.k8s.aws/instance-accelerator-name",
    "karpenter.k8s.aws/instance-accelerator-manufacturer",
    "karpenter.k8s.aws/instance-accelerator-count",
    "topology.k8s.aws/zone-id",
    "karpenter.k8s.aws/instance-tenancy",
    "karpenter.k8s.aws/placement-group-id",
    "karpenter.k8s.aws/placement-group-partition",
] as const;
export type WellKnownLabel = (typeof KARPENTER_WELL_KNOWN_LABELS)[number];

/**
 * Well-known labels a pool sets through its own fields (or that this platform fixes): a raw requirement on one of
 * them would contradict or duplicate the field, so it is refused with the field to use.
 */
export const REQUIREMENT_FIELDS: Readonly<Partial<Record<WellKnownLabel, string>>> = {
    "kubernetes.io/arch": "architectures",
    "karpenter.sh/capacity-type": "capacityTypes",
    "karpenter.k8s.aws/instance-category": "instanceCategories",
    "karpenter.k8s.aws/instance-family": "instanceFamilies or excludeInstanceFamilies",
    "karpenter.k8s.aws/instance-size": "instanceSizes or excludeInstanceSizes",
    "karpenter.k8s.aws/instance-generation": "minGeneration",
    "topology.kubernetes.io/zone": "zones",
    "kubernetes.io/os": "nothing: every node is AL2023 Linux (the program sets kubernetes.io/os In [linux])",
    "karpenter.sh/nodepool": "nothing: Karpenter sets it to the pool's name",
    "node.kubernetes.io/windows-build": "nothing: Windows nodes are not supported",
};

export const REQUIREMENT_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"] as const;

export const requirementSchema = z
    .strictObject({
        key: z
            .enum(KARPENTER_WELL_KNOWN_LABELS, {
                message:
                    "must be one of Karpenter's well-known labels (karpenter.k8s.aws/instance-gpu-count, karpenter.k8s.aws/instance-cpu, topology.k8s.aws/zone-id, ...: docs/settings.md and the Karpenter docs list them); a custom label belongs in labels",
            })
            .describe("A Karpenter well-known label (KARPENTER_WELL_KNOWN_LABELS), e.g. karpenter.k8s.aws/instance-gpu-count."),
        operator: z
            .enum(REQUIREMENT_OPERATORS, { message: `must be one of ${REQUIREMENT_OPERATORS.join(", ")}` })
            .describe("In, NotIn, Exists, DoesNotExist, Gt or Lt (Gt and Lt compare integers)."),
        values: z
            .array(z.string().min(1, "must not be empty"))
            .optional()
            .describe("The values: at least one for In and NotIn, exactly one integer for Gt and Lt, none for Exists and DoesNotExist."),
        minValues: z
            .number()
            .int()
            .min(1, "must be between 1 and 50")
            .max(50, "must be between 1 and 50")
            .optional()
            .describe("In only: Karpenter keeps at least this many distinct values among the instance types it may launch (flexibility)."),
    })
    .superRefine((r, ctx) => {
        const field = REQUIREMENT_FIELDS[r.key];
        if (field) ctx.addIssue({ code: "custom", path: ["key"], message: `is set through the pool's ${field}, not a raw requirement` });
        const values = r.values ?? [];
        if ((r.operator === "In" || r.operator === "NotIn") && values.length === 0)
            ctx.addIssue({ code: "custom", path: ["values"], message: `must list at least one value for ${r.operator}` });
        if ((r.operator === "Exists" || r.operator === "DoesNotExist") && values.length > 0)
            ctx.addIssue({ code: "custom", path: ["values"], message: `must be empty for ${r.operator}` });
        if ((r.operator === "Gt" || r.operator === "Lt") && (values.length !== 1 || !/^\d+$/.test(values[0] ?? "")))
            ctx.addIssue({ code: "custom", path: ["values"], message: `must be exactly one non-negative integer for ${r.operator}` });
        if (r.minValues !== undefined && r.operator !== "In")
            ctx.addIssue({ code: "custom", path: ["minValues"], message: "applies to the In operator only" });
        if (r.minValues !== undefined && r.operator === "In" && r.minValues > values.length)
            ctx.addIssue({ code: "custom", path: ["minValues"], message: `must be at most the number of values (${values.length})` });
    })
    .describe("A raw Karpenter requirement on a well-known label (ANDed with the pool's other requirements).");
export type NodePoolRequirement = z.infer<typeof requirementSchema>;

/** A whole number of devices (GPUs, Neuron chips): Karpenter counts them per node. */
const deviceCount = z.string().regex(/^\d+$/, 'must be a whole number of devices such as "8" (quoted in YAML)');

/**
 * Extended resources a pool's limits may cap, from Karpenter's WellKnownExoticResources (aws/karpenter-provider-aws
 * v1.14.1 pkg/apis/v1/labels.go): Karpenter adds up each one over the pool's nodes like CPU and memory.
 */
export const LIMIT_DEVICES = ["nvidia.com/gpu", "amd.com/gpu", "aws.amazon.com/neuron"] as const;

export const limitsSchema = z
    .strictObject(
        {
            cpu: quantity.describe("Most CPU the pool's nodes may add up to."),
            memory: quantity.describe("Most memory."),
            "nvidia.com/gpu": deviceCount
                .optional()
                .describe("Most NVIDIA GPUs the pool's nodes may add up to (required for a gpu pool: GPUs are what a runaway costs)."),
            "amd.com/gpu": deviceCount.optional().describe("Most AMD GPUs."),
            "aws.amazon.com/neuron": deviceCount.optional().describe("Most AWS Neuron devices (Inferentia, Trainium)."),
        },
        { message: "is required: every NodePool needs limits.cpu and limits.memory so a runaway scale-up has a ceiling" },
    )
    .describe("The pool's ceiling (required): cpu and memory, and the devices its nodes carry (nvidia.com/gpu, ...).");
export type NodePoolLimits = z.infer<typeof limitsSchema>;

/** The platform NodePool's ceiling: CPU and memory only (its nodes are general-purpose or memory-optimized, no devices). */
export const cpuMemoryLimitsSchema = limitsSchema
    .pick({ cpu: true, memory: true })
    .describe("The platform pool's ceiling: cpu and memory (required).");
