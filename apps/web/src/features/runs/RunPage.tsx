import type { EndpointName, PolicyReceipt, RunDetail } from "@gantry/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useState, type ReactNode } from "react";
import { call } from "../../app/api.js";
import { allows, useRole } from "../../app/roles.js";
import { ErrorBox, Facts, Loading, StateBadge, TimeAgo } from "../../app/ui.js";
import { LogDownload } from "./LogDownload.js";
import { LogView } from "./LogView.js";
import { PhaseTimeline } from "./PhaseTimeline.js";
import { PlanDiff } from "./PlanDiff.js";
import { explainButtonId, PolicyReceipts } from "./PolicyReceipts.js";
import { PolicyTrace } from "./PolicyTrace.js";
import { ReviewList } from "./ReviewList.js";
import { useRunLog } from "./useRunLog.js";

type Action = { label: string; endpoint: Extract<EndpointName, "confirmRun" | "discardRun" | "cancelRun" | "stopRun" | "retryRun">; tone?: "primary" | "danger" };

/** The buttons that fit a run's state (the server still checks each one). */
function actionsFor(state: string): Action[] {
  switch (state) {
    case "UNCONFIRMED": return [{ label: "Confirm", endpoint: "confirmRun", tone: "primary" }, { label: "Discard", endpoint: "discardRun", tone: "danger" }];
    case "PENDING_REVIEW": return [{ label: "Discard", endpoint: "discardRun", tone: "danger" }];
    case "QUEUED": case "READY": return [{ label: "Cancel", endpoint: "cancelRun", tone: "danger" }];
    case "PREPARING": case "INITIALIZING": case "PLANNING": case "APPLYING": case "PERFORMING": case "DESTROYING": return [{ label: "Stop", endpoint: "stopRun", tone: "danger" }];
    case "FAILED": case "STOPPED": case "CANCELED": case "DISCARDED": case "SKIPPED": return [{ label: "Retry", endpoint: "retryRun" }];
    default: return [];
  }
}

/** Why a run is not moving, in words, when it waits for a person or a policy. */
function waitingReason(run: RunDetail): string | null {
  const approvals = run.policyReceipts.filter((r) => r.type === "APPROVAL");
  if (run.state === "UNCONFIRMED") return "The plan has changes and waits for someone to confirm (apply) or discard it.";
  if (run.state === "PENDING_REVIEW") return `Waiting for reviews: ${approvals.map((r) => `${r.policyName} says ${r.outcome}`).join("; ") || "an approval policy has not approved yet"}.`;
  if (run.state === "QUEUED" && approvals.length > 0) return `Held in the queue by approval policies: ${approvals.map((r) => `${r.policyName} (${r.outcome})`).join(", ")}. An approving review releases it.`;
  return null;
}

export function RunPage() {
  const { stackId, runId } = useParams({ from: "/stacks/$stackId/runs/$runId" });
  const qc = useQueryClient();
  const navigate = useNavigate();
  const run = useQuery({ queryKey: ["run", runId], queryFn: () => call("getRun", { params: { id: runId } }) });
  const stack = useQuery({ queryKey: ["stack", stackId], queryFn: () => call("getStack", { params: { id: stackId } }) });
  const role = useRole(stack.data?.spaceId);
  const log = useRunLog(runId, () => void qc.invalidateQueries({ queryKey: ["run", runId] }));
  const act = useMutation({
    mutationFn: (a: Action) => call(a.endpoint, { params: { id: runId } }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ["run", runId] });
      if (r && r.id !== runId) void navigate({ to: "/stacks/$stackId/runs/$runId", params: { stackId, runId: r.id } });
    },
  });
  const [note, setNote] = useState("");
  const [explaining, setExplaining] = useState<PolicyReceipt | null>(null);
  const review = useMutation({
    mutationFn: (decision: "approve" | "reject") => call("reviewRun", { params: { id: runId }, body: { decision, ...(note.trim() ? { note: note.trim() } : {}) } }),
    onSuccess: () => {
      setNote("");
      void qc.invalidateQueries({ queryKey: ["run", runId] });
    },
  });

  if (run.error) return <ErrorBox error={run.error} />;
  if (!run.data) return <Loading what="the run" />;
  const r = run.data;
  const canWrite = allows(role, "write");
  const waiting = waitingReason(r);
  const reviewable = ["QUEUED", "UNCONFIRMED", "PENDING_REVIEW"].includes(r.state);
  return (
    <>
      <p className="muted"><Link to="/stacks">Stacks</Link> / <Link to="/stacks/$stackId" params={{ stackId }}>{stackId}</Link> / run</p>
      <h1>{r.type.toLowerCase()} run <code>{r.id}</code> <StateBadge state={r.state} /></h1>
      {waiting ? <p role="status" className="badge-note"><strong>Waiting:</strong> {waiting}</p> : null}
      {r.failureReason ? <p role="alert" className="error"><strong>Failed:</strong> {r.failureReason}</p> : null}
      {canWrite ? (
        <div className="actions" role="group" aria-label="run actions">
          {actionsFor(r.state).map((a) => <button key={a.endpoint} type="button" className={a.tone} disabled={act.isPending} onClick={() => act.mutate(a)}>{a.label}</button>)}
          {reviewable ? <><label htmlFor="review-note" className="sr-only">Review note</label><input id="review-note" placeholder="note (optional)" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} /></> : null}
          {reviewable ? <button type="button" disabled={review.isPending} onClick={() => review.mutate("approve")}>Approve</button> : null}
          {reviewable ? <button type="button" className="danger" disabled={review.isPending} onClick={() => review.mutate("reject")}>Reject</button> : null}
        </div>
      ) : null}
      {act.error ? <ErrorBox error={act.error} /> : null}
      {review.error ? <ErrorBox error={review.error} /> : null}
      <Facts items={[
        ["Stack", <Link key="s" to="/stacks/$stackId" params={{ stackId }}>{stackId}</Link>],
        ["Commit", r.commit.sha ? <code key="c">{r.commit.sha.slice(0, 12)}</code> : r.commit.branch],
        ["Message", r.commit.message?.split("\n")[0] ?? "—"], ["Author", r.commit.author ?? "—"],
        ["Triggered by", r.triggeredBy], ["Changes", r.delta ? `+${r.delta.added} ~${r.delta.changed} -${r.delta.deleted}` : "—"],
        ["Created", <TimeAgo key="t" at={r.createdAt} />], ["Source", r.source === "upload" ? "uploaded code (local preview)" : "git"],
        ...(r.command ? [["Command", <code key="cmd">{r.command}</code>] as [string, ReactNode]] : []),
        ...(r.triggeredByRun ? [["Trigger chain", <span key="tc">{(r.triggerChain ?? []).join(" → ")} (after run <code>{r.triggeredByRun}</code>)</span>] as [string, ReactNode]] : []),
        ...(r.waitingForDependencies ? [["Waits for", r.waitingForDependencies] as [string, ReactNode]] : []),
      ]} />
      <div className="grid2">
        <PhaseTimeline run={r} />
        <PolicyReceipts receipts={r.policyReceipts} explaining={explaining} onExplain={setExplaining} />
      </div>
      {explaining && r.policyReceipts.some((p) => p.policyId === explaining.policyId) ? <PolicyTrace runId={r.id} receipt={explaining} onClose={() => { document.getElementById(explainButtonId(explaining.policyId))?.focus(); setExplaining(null); }} /> : null}
      {r.reviews.length > 0 || reviewable ? <ReviewList reviews={r.reviews} /> : null}
      <PlanDiff runId={r.id} state={r.state} />
      <LogView lines={log.lines} status={log.status} actions={<LogDownload runId={r.id} />} />
    </>
  );
}
