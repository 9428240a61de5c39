// eks-platform:teams:TeamRegistries — the teams' ECR repositories (<cluster>/<team>/<name>): scan on push, immutable
// tags, encrypted with the stack's repository key, a lifecycle policy, and a repository policy under which only the
// team's CI role pushes. With ecr.enhancedScanning the account's registry scanning configuration switches to Amazon
// Inspector for the stack's prefix. Repositories and the key are protected where the stack protects state (prod).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TEAM_TAG } from "../../lib/teams";
import type { AccountContext } from "../lib/context";
import {
    enhancedScanningRule,
    registryHost,
    repositoryKeyPolicy,
    teamLifecyclePolicy,
    teamRepositoryName,
    teamRepositoryPolicy,
} from "./ecr";
import type { TeamsSettings } from "./objects";

export interface TeamRegistriesArgs {
    ctx: AccountContext;
    config: Pick<TeamsSettings, "teams" | "ecr">;
}

export class TeamRegistries extends pulumi.ComponentResource {
    /** The private registry host of the stack's account and region (Kyverno allows team images from it). */
    readonly registryHost: pulumi.Output<string>;
    /** Repository URLs by team and name. */
    readonly repositoryUrls: Record<string, Record<string, pulumi.Output<string>>> = {};
    readonly repositories: aws.ecr.Repository[] = [];
    readonly key?: aws.kms.Key;

    constructor(name: string, args: TeamRegistriesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:teams:TeamRegistries", name, {}, opts);
        const { ctx, config } = args;
        this.registryHost = ctx.accountId.apply((id) => registryHost(id, ctx.region, ctx.dnsSuffix));
        const withRepositories = config.teams.filter((t) => t.repositories.length > 0);
        if (withRepositories.length > 0) {
            const key = new aws.kms.Key(
                `${name}-key`,
                {
                    description: `ECR repositories of the teams of ${ctx.clusterName}`,
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: ctx.accountId.apply((id) => JSON.stringify(repositoryKeyPolicy(id, ctx.partition))),
                },
                { parent: this, protect: ctx.protect },
            );
            new aws.kms.Alias(`${name}-key`, { name: `alias/${ctx.clusterName}-team-ecr`, targetKeyId: key.keyId }, { parent: this });
            this.key = key;
            const lifecycle = JSON.stringify(teamLifecyclePolicy(config.ecr));
            for (const team of withRepositories) {
                // The config rule requires a CI role for a team with repositories.
                if (!team.ciRoleArn) throw new Error(`team ${team.name}: repositories need ciRoleArn`);
                const policy = JSON.stringify(teamRepositoryPolicy(team.ciRoleArn));
                const urls: Record<string, pulumi.Output<string>> = {};
                for (const repository of team.repositories) {
                    const logical = `${name}-${team.name}-${repository}`;
                    const repo = new aws.ecr.Repository(
                        logical,
                        {
                            name: teamRepositoryName(ctx.clusterName, team.name, repository),
                            imageTagMutability: "IMMUTABLE",
                            imageScanningConfiguration: { scanOnPush: true },
                            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
                            // A disposable stack's repositories go with it, images and all; a protected one's never do.
                            forceDelete: !ctx.protect,
                            tags: { [TEAM_TAG]: team.name },
                        },
                        { parent: this, protect: ctx.protect },
                    );
                    new aws.ecr.LifecyclePolicy(logical, { repository: repo.name, policy: lifecycle }, { parent: this });
                    new aws.ecr.RepositoryPolicy(logical, { repository: repo.name, policy }, { parent: this });
                    this.repositories.push(repo);
                    urls[repository] = this.registryHost.apply(
                        (host) => `${host}/${teamRepositoryName(ctx.clusterName, team.name, repository)}`,
                    );
                }
                this.repositoryUrls[team.name] = urls;
            }
            if (config.ecr.enhancedScanning) {
                // One per account and region: it replaces the registry's scanning configuration (repositories outside
                // the rule's filter are then not scanned at all), and a destroy returns the registry to basic scanning.
                new aws.ecr.RegistryScanningConfiguration(
                    `${name}-scanning`,
                    { scanType: "ENHANCED", rules: [enhancedScanningRule(ctx.clusterName)] },
                    { parent: this },
                );
            }
        }
        this.registerOutputs({ registryHost: this.registryHost, repositoryUrls: this.repositoryUrls });
    }
}
