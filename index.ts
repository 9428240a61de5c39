// eks-platform: reads the stack's typed configuration and composes the platform's components in dependency order.
// Data flows one way: stack file -> validated config -> components -> stack outputs.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, parsePlatformConfig } from "./stacks/config";

function loadConfig() {
    try {
        return parsePlatformConfig(pulumi.runtime.allConfig(), pulumi.getStack());
    } catch (err) {
        // Every problem at once, before any resource is declared; RunError prints without a stack trace.
        if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}

const config = loadConfig();

/** The one AWS provider: region from config, the stack's tags on every resource that takes tags. */
const awsProvider = new aws.Provider("aws", {
    region: config.region as aws.Region,
    defaultTags: { tags: { ...config.tags } },
});

// Components are composed below in dependency order (see ../shared/ARCHITECTURE.md):
// Network -> Cluster -> Cni -> Karpenter -> Ingress -> Observability.
void awsProvider;

export const environment = config.environment;
export const clusterName = config.clusterName;
export const region = config.region;
