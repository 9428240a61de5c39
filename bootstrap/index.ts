// eks-platform-bootstrap: the pipeline identities of one AWS account, made once per account before its stacks.
// Data flows one way: stack file -> validated config -> resources -> outputs (role ARNs, backend URL, region) that
// the main program's stack files and the GitHub workflow variables take.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, parseBootstrapConfig } from "./config";
import { bootstrapAccount } from "./program";

function loadConfig() {
    try {
        return parseBootstrapConfig(pulumi.runtime.allConfig(), pulumi.getStack());
    } catch (err) {
        // Every problem at once, before any resource is declared; RunError prints without a stack trace.
        if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}

const outputs = bootstrapAccount(loadConfig());

export const accountId = outputs.accountId;
export const region = outputs.region;
export const oidcProviderArn = outputs.oidcProviderArn;
/** Per hosted stack: deployRoleArn and previewRoleArn (eks-platform:delivery.*), permissionsBoundaryArn, secretsProvider. */
export const stacks = outputs.stacks;
export const backendUrl = outputs.backendUrl;
export const stateBucketName = outputs.stateBucketName;
/** Repository variables and each GitHub environment's variables, by name. */
export const githubVariables = outputs.githubVariables;
