// The bootstrap's config contract: one zod schema over every `bootstrap:*` key and `aws:region`, and a single typed,
// frozen BootstrapConfig. Pure (no Pulumi imports). Problems are reported like the main program's (stacks/config.ts):
// every one at once, each with its key path, the value given and the rule, through the same ConfigError.
import { z } from "zod";
import { decodeConfigValue, deepFreeze } from "../stacks/input";
import { ConfigError, problemsOf, ruleProblem, type RuleProblem } from "../stacks/problems";
import { defaultClusterName, MAX_STACK_NAME_LENGTH } from "./names";

export { ConfigError, type ConfigProblem } from "../stacks/config";

const digits = (what: string) =>
    z
        .union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/)], { message: `must be the ${what} (a positive integer)` })
        .transform(String);

const githubSchema = z
    .strictObject({
        // GitHub's rules for user and organization names; the sub claim carries them as GitHub spells them.
        owner: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "must be a GitHub user or organization name"),
        repository: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, "must be a GitHub repository name (letters, digits, '.', '_', '-')"),
        /**
         * The form of the token's `sub` claim for this repository: `names` (repo:<owner>/<repo>:...) or `immutable`
         * (repo:<owner>@<ownerId>/<repo>@<repositoryId>:..., the default for repositories created, renamed or
         * transferred after GitHub's 2026 cut-over). `gh api repos/<owner>/<repo>/actions/oidc/customization/sub`
         * shows which (`use_immutable_subject`, `sub_claim_prefix`).
         */
        subjectFormat: z.enum(["names", "immutable"], {
            message: "must be names or immutable (see `gh api repos/<owner>/<repo>/actions/oidc/customization/sub`)",
        }),
        /** `gh api repos/<owner>/<repo> --jq .owner.id`; with repositoryId, pins the trust to ids that survive renames. */
        ownerId: digits("numeric id of the owner").optional(),
        /** `gh api repos/<owner>/<repo> --jq .id`. */
        repositoryId: digits("numeric id of the repository").optional(),
        /** The branch whose runs (drift detection, workflow_dispatch) get the preview role, and the only one that deploys. */
        defaultBranch: z
            .string()
            .regex(/^[A-Za-z0-9._/-]{1,200}$/, "must be a branch name (letters, digits, '.', '_', '/', '-'; no wildcards)")
            .default("main"),
        /** An existing GitHub OIDC provider of this account (IAM allows one per URL); the program creates one otherwise. */
        oidcProviderArn: z
            .string()
            .regex(
                /^arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
                "must be the ARN of this account's token.actions.githubusercontent.com provider",
            )
            .optional(),
    })
    .superRefine((github, ctx) => {
        if (github.subjectFormat !== "immutable") return;
        for (const key of ["ownerId", "repositoryId"] as const) {
            if (github[key] === undefined)
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    message: "is required when subjectFormat is immutable (the ids are in the sub claim)",
                });
        }
    });

const stackSchema = z.strictObject({
    /** The main program's stack this account hosts (stacks/Pulumi.<name>.yaml). */
    name: z
        .string()
        .regex(
            new RegExp(`^[a-z0-9][a-z0-9-]{0,${MAX_STACK_NAME_LENGTH - 1}}$`),
            `must be a stack name of lower-case letters, digits and '-' (at most ${MAX_STACK_NAME_LENGTH}, for the IAM role names)`,
        ),
    /** The GitHub environment whose jobs deploy this stack; default: the stack's name. */
    environment: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,255}$/, "must be a GitHub environment name (letters, digits, '.', '_', '-'; no wildcards)")
        .optional(),
    /** Must equal the stack's `eks-platform:cluster.name` when that is set: the deploy role is scoped to it. */
    clusterName: z
        .string()
        .regex(/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/, "must start with a letter and hold only letters, digits and '-' (100 chars)")
        .optional(),
    /** Whether pull requests get this stack's preview role (see README: for prod, PR authors then read its secrets). */
    previewFromPullRequests: z.boolean().default(true),
});

const stateBucketSchema = z.strictObject({
    /** Globally unique; must not begin with a cluster name and '-' (the deploy roles own those buckets). */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3-63 lower-case letters, digits, '-')"),
    /** Default encryption of the state objects: a customer managed KMS key made here, or SSE-S3. */
    encryption: z.enum(["aws:kms", "AES256"], { message: "must be aws:kms or AES256" }).default("aws:kms"),
    /** One KMS key per stack for Pulumi's `awskms://` secrets provider (self-managed state has no service to encrypt). */
    secretsKeys: z.boolean().default(true),
});

const tagsSchema = z.record(
    z.string().regex(/^(?!aws:)[\w .:/=+@-]{1,128}$/, "must be a tag key of up to 128 characters, not starting with aws:"),
    z.string().regex(/^[\w .:/=+@-]{0,256}$/, "must be a tag value of up to 256 characters"),
);

export const bootstrapSchema = z.strictObject({
    "aws:region": z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1")
        // Service principals (eks.amazonaws.com, ...) and the partition in every ARN are written for `aws`.
        .refine((r) => !/^(cn|us-gov|us-iso[a-z]*)-/.test(r), "must be a region of the commercial partition (aws)"),
    "bootstrap:accountId": z.string().regex(/^\d{12}$/, "must be the 12-digit id of the account, quoted"),
    "bootstrap:github": githubSchema,
    "bootstrap:stacks": z.array(stackSchema).min(1, "must list at least one stack this account hosts"),
    "bootstrap:stateBucket": stateBucketSchema.optional(),
    "bootstrap:requirePermissionsBoundary": z.boolean().default(false),
    "bootstrap:tags": tagsSchema.default({}),
});
type Parsed = z.infer<typeof bootstrapSchema>;

export type GithubConfig = Parsed["bootstrap:github"];
export type StateBucketConfig = NonNullable<Parsed["bootstrap:stateBucket"]>;

/** One stack of the main program hosted in this account, with its defaults applied. */
export interface HostedStack {
    readonly name: string;
    readonly environment: string;
    readonly clusterName: string;
    readonly previewFromPullRequests: boolean;
}

export interface BootstrapConfig {
    /** This bootstrap stack's name (one per account, e.g. nonprod, prod). */
    readonly stack: string;
    readonly accountId: string;
    readonly region: string;
    readonly partition: "aws";
    readonly github: Readonly<GithubConfig>;
    readonly stacks: readonly HostedStack[];
    readonly stateBucket?: Readonly<StateBucketConfig>;
    readonly requirePermissionsBoundary: boolean;
    readonly tags: Readonly<Record<string, string>>;
}

/** Rules across keys: one stack per name, environment and cluster; the state bucket outside every deploy role's scope. */
function crossKeyRules(stacks: readonly HostedStack[], bucket: string | undefined): RuleProblem[] {
    const problems: RuleProblem[] = [];
    for (const key of ["name", "environment", "clusterName"] as const) {
        const seen = new Map<string, number>();
        stacks.forEach((s, i) => {
            const first = seen.get(s[key]);
            if (first === undefined) seen.set(s[key], i);
            else
                problems.push({
                    pathParts: ["bootstrap:stacks", i, key],
                    rule: `is also the ${key} of bootstrap:stacks[${first}]: each stack has its own ${key}`,
                });
        });
    }
    if (bucket !== undefined) {
        stacks.forEach((s, i) => {
            if (bucket.startsWith(`${s.clusterName.toLowerCase()}-`))
                problems.push({
                    pathParts: ["bootstrap:stateBucket", "name"],
                    rule: `must not begin with "${s.clusterName.toLowerCase()}-": bootstrap:stacks[${i}]'s deploy role owns those buckets`,
                });
        });
    }
    return problems;
}

/**
 * Validates a bootstrap stack's raw configuration (as `pulumi.runtime.allConfig()` or the stack file gives it) and
 * returns the frozen BootstrapConfig. Throws a ConfigError listing every problem found.
 */
export function parseBootstrapConfig(raw: Readonly<Record<string, unknown>>, stack: string): BootstrapConfig {
    const input: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (key === "aws:region" || key.startsWith("bootstrap:")) input[key] = decodeConfigValue(value);
    }
    const parsed = bootstrapSchema.safeParse(input);
    if (!parsed.success) throw new ConfigError(stack, problemsOf(parsed.error, input, [], "bootstrap/README.md"));

    const data = parsed.data;
    const stacks: HostedStack[] = data["bootstrap:stacks"].map((s) => ({
        name: s.name,
        environment: s.environment ?? s.name,
        clusterName: s.clusterName ?? defaultClusterName(s.name),
        previewFromPullRequests: s.previewFromPullRequests,
    }));
    const bucket = data["bootstrap:stateBucket"];
    const cross = crossKeyRules(stacks, bucket?.name);
    if (cross.length > 0)
        throw new ConfigError(
            stack,
            cross.map((p) => ruleProblem(p, input)),
        );

    const config: BootstrapConfig = {
        stack,
        accountId: data["bootstrap:accountId"],
        region: data["aws:region"],
        partition: "aws",
        github: data["bootstrap:github"],
        stacks,
        stateBucket: bucket,
        requirePermissionsBoundary: data["bootstrap:requirePermissionsBoundary"],
        tags: data["bootstrap:tags"],
    };
    return deepFreeze(config);
}
