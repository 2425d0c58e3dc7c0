import type { Job } from "@gantry/contract";

/** The run's state while this phase's processes run, as Spacelift reports it in TF_VAR_spacelift_run_state. */
function phaseState(job: Job): string {
  if (job.phase === "apply") return job.runType === "DESTROY" ? "DESTROYING" : "APPLYING";
  return job.runType === "TASK" ? "PERFORMING" : "PLANNING";
}

/** `owner/repo` of a repository URL or path (Spacelift's TF_VAR_spacelift_repository), e.g. `acme/infra` of `https://github.com/acme/infra.git`. */
export function repositoryName(repository: string): string {
  const parts = repository.replace(/\.git\/?$/, "").replace(/\/+$/, "").split(/[/:]/).filter(Boolean);
  return parts.slice(-2).join("/");
}

/**
 * The variables Spacelift puts in every run (its "Spacelift environment", documented with the
 * stack environment), with Gantry's values, so code and hooks written for Spacelift read them
 * unchanged: `TF_VAR_spacelift_*` become Terraform variables for a root module that declares
 * them. Set before the stack's own variables, which win, as in Spacelift.
 */
export function spaceliftRunEnvironment(job: Job, ctx: { workspace: string; commit: string; serverUrl: string }): Record<string, string> {
  return {
    TF_VAR_spacelift_account_name: new URL(ctx.serverUrl).host,
    TF_VAR_spacelift_commit_branch: job.branch,
    TF_VAR_spacelift_commit_sha: ctx.commit,
    TF_VAR_spacelift_local_preview: String(job.localPreview),
    TF_VAR_spacelift_project_root: job.projectRoot,
    TF_VAR_spacelift_repository: repositoryName(job.repository),
    TF_VAR_spacelift_run_id: job.runId,
    TF_VAR_spacelift_run_state: phaseState(job),
    TF_VAR_spacelift_run_trigger: job.triggeredBy ?? "",
    TF_VAR_spacelift_run_type: job.runType,
    TF_VAR_spacelift_space_id: job.spaceId,
    TF_VAR_spacelift_stack_branch: job.stackBranch || job.branch,
    TF_VAR_spacelift_stack_id: job.stackId,
    TF_VAR_spacelift_stack_labels: job.stackLabels.join(","),
    TF_VAR_spacelift_stack_labels_list: JSON.stringify(job.stackLabels),
    TF_VAR_spacelift_workspace_root: ctx.workspace,
  };
}
