// Names shared by the team components, the admission policies and the policy pack. Pure data.

/** The label every team namespace carries (value: the team's name); Kyverno's webhooks and team policies select by it. */
export const TEAM_NAMESPACE_LABEL = "eks-platform/team";

/** The Kubernetes group of a team's people: its access entries carry it, its RoleBindings bind it. */
export const teamGroup = (team: string): string => `eks-platform:team:${team}`;

/** The tag on a team's AWS resources (access entries, repositories): its value is the team's name. */
export const TEAM_TAG = "eks-platform/team";
