// The teams section's defaults per environment: quotas, limit ranges, Pod Security, Kyverno.
import { z } from "zod";
import type { Environment } from "../common";
import type { teamsSchema } from "./schema";

const quota = (cpu: string, memory: string, memoryLimit: string, pods: number, pvcs: number, storage: string, loadBalancers: number) => ({
    cpu,
    memory,
    memoryLimit,
    pods,
    persistentVolumeClaims: pvcs,
    storage,
    loadBalancers,
});
const limitRange = (cpu: string, memory: string, memoryLimit: string, maxCpu: string, maxMemory: string) => ({
    defaultRequest: { cpu, memory },
    defaultLimit: { memory: memoryLimit },
    max: { cpu: maxCpu, memory: maxMemory },
});

// Chart 3.9.0 is Kyverno v1.19.0 (kyverno/kyverno charts/kyverno/Chart.yaml at kyverno-chart-3.9.0, ee97ce09).
const kyverno = { enabled: true, chartVersion: "3.9.0" } as const;

export const teamsDefaults: Record<Environment, z.input<typeof teamsSchema>> = {
    dev: {
        podSecurity: { enforce: "baseline" },
        kyverno: { ...kyverno, admissionReplicas: 1, controllerReplicas: 1, validationFailureAction: "Audit" },
        allowedRegistries: ["public.ecr.aws", "docker.io", "ghcr.io", "quay.io", "registry.k8s.io"],
        defaults: { quota: quota("8", "16Gi", "32Gi", 100, 10, "100Gi", 1), limitRange: limitRange("100m", "128Mi", "256Mi", "2", "4Gi") },
        ecr: { enhancedScanning: false, untaggedExpiryDays: 3, maxImages: 20 },
        teams: [],
    },
    staging: {
        podSecurity: { enforce: "restricted" },
        kyverno: { ...kyverno, admissionReplicas: 2, controllerReplicas: 1, validationFailureAction: "Enforce" },
        allowedRegistries: ["public.ecr.aws"],
        defaults: { quota: quota("16", "32Gi", "64Gi", 200, 20, "500Gi", 2), limitRange: limitRange("100m", "128Mi", "512Mi", "4", "8Gi") },
        ecr: { enhancedScanning: false, untaggedExpiryDays: 7, maxImages: 50 },
        teams: [],
    },
    prod: {
        podSecurity: { enforce: "restricted" },
        kyverno: { ...kyverno, admissionReplicas: 3, controllerReplicas: 2, validationFailureAction: "Enforce" },
        allowedRegistries: [],
        defaults: { quota: quota("32", "64Gi", "128Gi", 300, 50, "2Ti", 2), limitRange: limitRange("250m", "256Mi", "512Mi", "8", "16Gi") },
        ecr: { enhancedScanning: false, untaggedExpiryDays: 14, maxImages: 200 },
        teams: [],
    },
};

/** Where a team's pods are placed: its pool's node selector and the tolerations of the pool's taints. */
