import type { Stack } from "@gantry/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { allows, useRole } from "../../app/roles.js";
import { Deferred } from "../../app/deferred.js";
import { ErrorBox, Facts, Labels, Loading, StateBadge } from "../../app/ui.js";
import { useState } from "react";
import { CommitRunForm } from "./CommitRunForm.js";
import { LocalPreviewForm } from "./LocalPreviewForm.js";
import { LockStackForm } from "./LockStackForm.js";
import { stackQuery, stackRunsQuery } from "./queries.js";
import { StackDetails } from "./StackDetails.js";
import { StackRuns } from "./StackRuns.js";

/**
 * One stack: its settings and runs first (the header often straight from the stacks list's
 * row, see queries.ts), then, once near the viewport or shortly after the runs are on screen,
 * its outputs, resources, dependencies, automation, environment and attachments (StackDetails).
 */
export function StackPage() {
  const { stackId } = useParams({ from: "/stacks/$stackId" });
  const qc = useQueryClient();
  const navigate = useNavigate();
  const stack = useQuery(stackQuery(stackId));
  const runs = useQuery(stackRunsQuery(stackId));
  const role = useRole(stack.data?.spaceId);
  const [panel, setPanel] = useState<"task" | "destroy" | "local" | "commit" | "lock" | null>(null);
  const [command, setCommand] = useState("");
  const trigger = useMutation({
    mutationFn: (r: { type: "TRACKED" | "PROPOSED" | "DESTROY" } | { type: "TASK"; command: string }) => call("createRun", { params: { id: stackId }, body: r }),
    onSuccess: (run) => {
      void qc.invalidateQueries({ queryKey: ["stack-runs", stackId] });
      void navigate({ to: "/stacks/$stackId/runs/$runId", params: { stackId, runId: run.id } });
    },
  });
  // Locking asks for a reason first (LockStackForm); unlocking is one press.
  const unlock = useMutation({
    mutationFn: () => call("unlockStack", { params: { id: stackId } }),
    onSuccess: (unlocked) => {
      qc.setQueryData(["stack", stackId], unlocked);
      void qc.invalidateQueries({ queryKey: ["stack", stackId] });
    },
  });
  const toggle = (p: NonNullable<typeof panel>) => setPanel(panel === p ? null : p);

  if (stack.error) return <ErrorBox error={stack.error} />;
  if (!stack.data) return <Loading what="the stack" />;
  const s = stack.data;
  const canWrite = allows(role, "write");
  return (
    <>
      <p className="muted"><Link to="/stacks">Stacks</Link> / {s.spaceId}</p>
      <h1>{s.name} <StateBadge state={s.state} /></h1>
      {s.description ? <p>{s.description}</p> : null}
      {canWrite ? (
        <div className="actions" role="group" aria-label="stack actions">
          <button type="button" className="primary" disabled={trigger.isPending} onClick={() => trigger.mutate({ type: "TRACKED" })}>Trigger run</button>
          <button type="button" disabled={trigger.isPending} onClick={() => trigger.mutate({ type: "PROPOSED" })}>Preview (proposed run)</button>
          <button type="button" aria-expanded={panel === "commit"} onClick={() => toggle("commit")}>Run a given commit…</button>
          {s.lockedBy
            ? <button type="button" disabled={unlock.isPending} onClick={() => unlock.mutate()}>Unlock</button>
            : <button type="button" aria-expanded={panel === "lock"} onClick={() => toggle("lock")}>Lock…</button>}
          {s.enableLocalPreview ? <button type="button" aria-expanded={panel === "local"} onClick={() => toggle("local")}>Preview local code…</button> : null}
          <button type="button" aria-expanded={panel === "task"} onClick={() => toggle("task")}>Run a task…</button>
          <button type="button" className="danger" aria-expanded={panel === "destroy"} onClick={() => toggle("destroy")}>Destroy resources…</button>
          <Link className="button" to="/stacks/$stackId/settings" params={{ stackId }}>Settings</Link>
        </div>
      ) : null}
      {canWrite && panel === "task" ? (
        <form className="toolbar" onSubmit={(e) => { e.preventDefault(); if (command.trim()) trigger.mutate({ type: "TASK", command }); }}>
          <div><label htmlFor="task-command">Command to run in the stack's workspace</label><input id="task-command" size={50} value={command} onChange={(e) => setCommand(e.target.value)} placeholder="terraform state list" /></div>
          <button type="submit" className="primary" disabled={!command.trim() || trigger.isPending}>Run task</button>
        </form>
      ) : null}
      {canWrite && panel === "local" ? <LocalPreviewForm stackId={stackId} /> : null}
      {canWrite && panel === "commit" ? <CommitRunForm stackId={stackId} branch={s.branch} /> : null}
      {canWrite && panel === "lock" && !s.lockedBy ? <LockStackForm stackId={stackId} onLocked={() => setPanel(null)} /> : null}
      {canWrite && panel === "destroy" ? (
        <div role="group" aria-label="confirm destroy" className="toolbar">
          <p><strong>Destroy every resource of {s.name}?</strong> A DESTROY run plans the destruction; nothing is removed before it applies.</p>
          <button type="button" className="danger" disabled={trigger.isPending} onClick={() => trigger.mutate({ type: "DESTROY" })}>Queue the destroy run</button>
          <button type="button" onClick={() => setPanel(null)}>Keep the resources</button>
        </div>
      ) : null}
      {canWrite ? null : (
        <p className="muted">You can read this stack; triggering runs needs the write role in space {s.spaceId}.</p>
      )}
      {trigger.error ? <ErrorBox error={trigger.error} /> : null}
      {unlock.error ? <ErrorBox error={unlock.error} /> : null}
      <Facts items={[
        ["Id", s.id], ["Space", s.spaceId], ["Repository", s.repository], ["Branch", s.branch], ["Project root", s.projectRoot || "(repository root)"],
        ["Tool", vendorSummary(s)], ["Autodeploy", s.autodeploy ? "yes" : "no"],
        ["Administrative", s.administrative ? "yes" : "no"], ["Locked by", s.lockedBy ?? "not locked"], ...(s.lockedBy ? [["Lock reason", s.lockNote ?? "none given"] as [string, string]] : []), ["Labels", <Labels key="l" labels={s.labels} />],
        ["Drift", s.drift ? <span key="d" className="badge state-wait" title={s.drift.resources.join(", ")}>drifted: {s.drift.resources.length} resource{s.drift.resources.length === 1 ? "" : "s"}</span> : "none detected"],
      ]} />
      <StackRuns stackId={stackId} />
      <Deferred after={!!runs.data} minHeight="60vh">
        <StackDetails stackId={stackId} canWrite={canWrite} />
      </Deferred>
    </>
  );
}

/** The tool the stack runs and its settings: `TERRAFORM 1.11.4`, `KUBERNETES (namespace apps)`, `ANSIBLE (site.yml)`. */
function vendorSummary(s: Stack): string {
  if (s.vendor === "KUBERNETES") return `KUBERNETES (namespace ${s.kubernetes?.namespace || "from kubeconfig"}${s.kubernetes?.kubectlVersion ? `, kubectl ${s.kubernetes.kubectlVersion}` : ""})`;
  if (s.vendor === "ANSIBLE") return `ANSIBLE (${s.ansible?.playbook ?? "no playbook"})`;
  return `${s.workflowTool}${s.terraformVersion ? ` ${s.terraformVersion}` : ""}`;
}
