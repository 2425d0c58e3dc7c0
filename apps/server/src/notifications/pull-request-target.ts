import type { Db } from "../db/connect.js";
import type { RunsTable, StacksTable } from "../db/schema.js";
import { githubRepoName } from "../vcs/repository-match.js";
import type { PullRequestRule } from "./policy-rules.js";

/** Where a `pull_request` rule's comment goes: pull requests of one repository, through one VCS integration. */
export interface PullRequestTarget {
  integrationId: string;
  repo: string;
  numbers: number[];
}

/** The marker that lets a rule with a `deduplication_key` edit its earlier comment instead of adding one. */
export const notificationCommentMarker = (key: string) => `<!-- gantry:notification:${key.replace(/-->/g, "")} -->`;

/**
 * Resolves a NOTIFICATION policy's `pull_request` rule for a run of `stack`, as Spacelift does:
 * `id` names the pull request; otherwise `commit` means every pull request Gantry has seen that
 * commit in (from the VCS events it received); otherwise the run's own pull request. Returns why
 * not when the comment cannot be posted, so the policy's author hears about it.
 */
export async function resolvePullRequestTarget(db: Db, stack: StacksTable, run: RunsTable, rule: PullRequestRule): Promise<PullRequestTarget | string> {
  if (!stack.vcs_integration_id) return `stack ${stack.id} has no VCS integration to comment through: set its vcsIntegrationId`;
  const integration = await db.selectFrom("vcs_integrations").select(["id", "provider", "token_encrypted", "api_base_url"]).where("id", "=", stack.vcs_integration_id).executeTakeFirst();
  if (!integration) return `VCS integration ${stack.vcs_integration_id} of stack ${stack.id} does not exist`;
  if (integration.provider !== "GITHUB" || !integration.token_encrypted || !integration.api_base_url) {
    return `VCS integration ${integration.id} cannot comment on pull requests: only GitHub integrations with a token and an API URL can`;
  }
  const repo = githubRepoName(stack.repository);
  if (!repo) return `the repository of stack ${stack.id} (${stack.repository}) does not name a GitHub repository (owner/name)`;
  const target = (numbers: number[]) => ({ integrationId: integration.id, repo, numbers });
  if (rule.id !== undefined) return target([rule.id]);
  if (rule.commit) {
    const rows = await db
      .selectFrom("runs").innerJoin("stacks", "stacks.id", "runs.stack_id")
      .select(["runs.pull_request", "stacks.repository"])
      .where("runs.commit_sha", "=", rule.commit).where("runs.pull_request", "is not", null).where("stacks.vcs_integration_id", "=", integration.id)
      .execute();
    const numbers = [...new Set(rows.filter((r) => githubRepoName(r.repository) === repo).map((r) => r.pull_request!))].sort((a, b) => a - b);
    return numbers.length ? target(numbers) : `no pull request of ${repo} is known to contain commit ${rule.commit} (Gantry learns pull requests from the VCS events it receives): name it with "id"`;
  }
  if (run.pull_request) return target([run.pull_request]);
  return `run ${run.id} does not belong to a pull request: give the rule an "id" or a "commit"`;
}
