import { parseJson } from "../db/rows.js";
import type { RunsTable, StacksTable, VcsIntegrationsTable } from "../db/schema.js";
import type { VcsEvent } from "./github/events.js";

/** Spacelift timestamps are Unix nanoseconds. */
const nanos = (iso: string) => Date.parse(iso) * 1_000_000;

export interface PushFacts {
  branch: string;
  tag: string;
  sha: string;
  message: string;
  author: string;
  affectedFiles: string[];
  at: string;
}

function commitDoc(c: { sha: string; branch: string; message: string; author: string; pr: number | null; at: string }, stackBranch: string) {
  return { author: c.author, branch: c.branch, created_at: nanos(c.at), exist_on_tracked_branch: c.branch === stackBranch, hash: c.sha, message: c.message, pull_request_id: c.pr ?? 0, tag: "", url: "" };
}

/**
 * Spacelift's GIT_PUSH input (`reference/policy-inputs/git_push_input.json`): the push, the pull
 * request when there is one, the stack's runs in progress, the stack and the integration.
 */
export function pushPolicyInput(ev: VcsEvent, facts: PushFacts, stack: StacksTable, inProgress: RunsTable[], integration: VcsIntegrationsTable | null) {
  const pr = ev.kind === "pull_request" ? ev : null;
  return {
    push: { affected_files: facts.affectedFiles, author: facts.author, branch: facts.branch, created_at: nanos(facts.at), hash: facts.sha, message: facts.message, tag: facts.tag },
    pull_request: pr
      ? {
          action: pr.action, action_initiator: pr.author, author: pr.author, closed: pr.action === "closed", diff: facts.affectedFiles, draft: false, id: pr.number,
          labels: pr.labels, title: pr.title, approved: false, mergeable: false, undiverged: false, comment: "", head_owner: "",
          base: commitDoc({ sha: pr.baseSha, branch: pr.baseBranch, message: "", author: "", pr: pr.number, at: facts.at }, stack.branch),
          head: commitDoc({ sha: pr.headSha, branch: pr.headBranch, message: facts.message, author: facts.author, pr: pr.number, at: facts.at }, stack.branch),
        }
      : null,
    in_progress: inProgress.map((r) => ({
      id: r.id, type: r.type, state: r.state, branch: r.commit_branch, command: r.command ?? "", based_on_local_workspace: r.source === "upload", drift_detection: r.drift_detection === 1,
      triggered_by: r.triggered_by, user_provided_metadata: [], created_at: nanos(r.created_at), updated_at: nanos(r.updated_at),
      commit: commitDoc({ sha: r.commit_sha ?? "", branch: r.commit_branch, message: r.commit_message ?? "", author: r.commit_author ?? "", pr: r.pull_request ?? null, at: r.created_at }, stack.branch),
    })),
    stack: {
      id: stack.id, name: stack.name, branch: stack.branch, labels: parseJson<string[]>(stack.labels), administrative: stack.administrative === 1, autodeploy: stack.autodeploy === 1,
      additional_project_globs: parseJson<string[]>(stack.additional_project_globs), project_root: stack.project_root, repository: stack.repository, namespace: "",
      locked_by: stack.locked_by, state: stack.state, terraform_version: stack.terraform_version ?? "", terraform_workflow_tool: stack.workflow_tool, contexts: [],
      space: { id: stack.space_id, labels: [], name: stack.space_id }, worker_pool: { id: stack.worker_pool_id, labels: [], name: stack.worker_pool_id, public: stack.worker_pool_id === null },
      tracked_commit: null,
    },
    vcs_integration: integration
      ? {
          id: integration.id, name: integration.name, description: integration.description, labels: parseJson<string[]>(integration.labels), is_default: false,
          provider: integration.provider === "GITHUB" ? "GITHUB" : "RAW_GIT", space: { id: integration.space_id, labels: [], name: integration.space_id },
          created_at: nanos(integration.created_at), updated_at: nanos(integration.updated_at),
        }
      : null,
  };
}
