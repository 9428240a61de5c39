// The EC2 instance types the placement check knows: what a node group or NodePool may launch, and how much of it
// pods can have. `InstanceCatalog` is the interface the check reads (tests may hand it another); EC2_CATALOG backs it
// with lib/catalog: every EC2 type, generated from pinned upstream data by `npm run catalog` (vCPUs, memory and
// architecture from Karpenter's instance-type reference; a type without them is listed but cannot be sized).
import { instanceType, instanceTypeNames } from "../lib/catalog";

export type InstanceArchitecture = "amd64" | "arm64";

export interface InstanceShape {
    name: string;
    /** karpenter.k8s.aws/instance-family, e.g. m7g. */
    family: string;
    /** karpenter.k8s.aws/instance-size, e.g. 2xlarge. */
    size: string;
    /** karpenter.k8s.aws/instance-category, e.g. m. */
    series: string;
    /** karpenter.k8s.aws/instance-generation. */
    generation?: number;
    architecture: InstanceArchitecture;
    /** Undefined when unknown (the check then cannot size pods on it). */
    vcpu?: number;
    memoryMiB?: number;
    /** GPUs (karpenter.k8s.aws/instance-gpu-count); 0 or undefined for none. */
    gpus?: number;
}

export interface InstanceCatalog {
    instanceType(name: string): InstanceShape | undefined;
    instanceTypeNames(): Iterable<string>;
}

/** Every EC2 instance type lib/catalog knows. */
export const EC2_CATALOG: InstanceCatalog = { instanceType, instanceTypeNames };
