// Where a stack's workflow jobs run: the CodeBuild project the platform makes for the stack and the `runs-on` label
// that starts it. Shared by the Delivery component (the project's name) and `npm run stacks` (the workflows' matrix),
// so the two cannot drift apart.

/** The CodeBuild project of a stack's in-VPC runner: named after the cluster, like the stack's other resources. */
export const runnerProjectName = (clusterName: string): string => `${clusterName}-runner`;

/**
 * The `runs-on` label a job needs, as a template for the workflow's `format(template, github.run_id,
 * github.run_attempt)`. CodeBuild starts a build for a queued job labelled
 * `codebuild-<project>-${{ github.run_id }}-${{ github.run_attempt }}` (AWS CodeBuild User Guide, "Label overrides
 * supported with the CodeBuild-hosted GitHub Actions runner": the required label). Any other runner's label is used
 * as it is (GitHub expressions' format() leaves a string without placeholders unchanged; labels cannot hold braces).
 */
export function runsOnTemplate(runner: { kind: "codebuild"; clusterName: string } | { kind: "label"; label: string }): string {
    return runner.kind === "codebuild" ? `codebuild-${runnerProjectName(runner.clusterName)}-{0}-{1}` : runner.label;
}

/** What GitHub's ubuntu runners are called today (the label the shipped workflows' offline jobs use too). */
export const GITHUB_HOSTED_DEFAULT_LABEL = "ubuntu-24.04";
