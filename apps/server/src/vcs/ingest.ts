import type { RunState, RunType, VcsEventResult, VcsStackOutcome } from "@gantry/contract";
import { changedFilesOfPush, commitInfo, resolveRef, updateMirror } from "@gantry/git";
import { ulid } from "ulid";
import { explainStack } from "../attachments/resolve.js";
import type { Principal } from "../auth/principal.js";
import { now } from "../db/rows.js";
import type { StacksTable, VcsIntegrationsTable } from "../db/schema.js";
import { AppError } from "../errors.js";
import type { PolicyEngine } from "../policy-engine/index.js";
import type { RunEngine } from "../runs/engine.js";
import { linkRunToPullRequest, lockStackRow } from "../runs/repository.js";
import { commitKey, runForCommitKey } from "../runs/commit-key.js";
import { lockStackIfFree, unlockStackHeldBy } from "../stacks/repository.js";
import type { RunService } from "../runs/service.js";
import { affectsStack } from "./affected.js";
import { defaultDecision, evaluatePushPolicies, policyDecision, type PolicyVerdictEntry, type PushDecision, type PushVerdict } from "./push-policy.js";
import { pushPolicyInput, type PushFacts } from "./push-input.js";
import { stacksForEvent } from "./repository-match.js";
import { cancelOrStop, cancelQueuedProposedRuns, supersedeProposedRuns } from "./run-housekeeping.js";
import type { IngestEvent } from "./vcs-event.js";

export interface IngestDeps {
  engine: RunEngine;
  runs: Pick<RunService, "enqueue">;
  policyEngine?: PolicyEngine;
  /** Where the server keeps its bare mirrors for diffs. */
  mirrorDir: string;
  /** Publishes module versions a push brings (tags, a config file's version); set by the module registry. */
  modulePush?: (push: { source: string; repository: string; branch: string | null; tag: string | null; after: string | null }) => Promise<void>;
}

export interface IngestResult extends VcsEventResult {
  /** How many stacks use the repository (0: nobody tracks it). */
  matched: number;
}

const terminal = ["FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"];

/**
 * The one path from a VCS event (GitHub webhook, git hook, poller) to runs. For each stack of the
 * repository: which files the push really changed (from the mirror), whether they affect the
 * stack, what its GIT_PUSH policies say (or Spacelift's default without any), then at most one
 * run per (stack, commit, run type). Every decision is logged; receipts land on created runs.
 */
export async function ingestVcsEvent(deps: IngestDeps, input: IngestEvent): Promise<IngestResult> {
  const { engine } = deps;
  const { db, log: baseLog } = engine.core;
  const ev = input.event;
  const log = baseLog.child({ vcsSource: input.source, repository: ev.repository });
  if (ev.kind === "push" && deps.modulePush) await deps.modulePush({ source: input.source, repository: ev.repository, branch: ev.branch, tag: ev.tag, after: ev.after });
  const stacks = await stacksForEvent(db, { source: input.source, integrationId: input.integrationId, repository: ev.repository });
  const result = (note: string, outcomes: VcsStackOutcome[] = []): IngestResult => {
    log.info({ stacks: outcomes }, `vcs event: ${note}`);
    return { note, stacks: outcomes, matched: stacks.length };
  };
  const all = (decision: VcsStackOutcome["decision"], reason: string) => stacks.map((s) => ({ stackId: s.id, decision, runId: null, reason }));
  if (stacks.length === 0) return result(`no stack uses repository ${ev.repository}${input.integrationId ? ` through integration ${input.integrationId}` : ""}: nothing to do`);

  if (ev.kind === "push" && ev.tag !== null) return result(`tag ${ev.tag} ignored: tags do not trigger runs`, all("ignore", "tags do not trigger runs"));
  if (ev.kind === "push" && ev.branch === null) return result("push to a ref that is neither a branch nor a tag ignored", all("ignore", "not a branch"));
  if (ev.kind === "push" && ev.after === null) {
    const canceled = await cancelQueuedProposedRuns(engine, stacks.map((s) => s.id), { branch: ev.branch! }, `branch ${ev.branch} was deleted`);
    return result(`branch ${ev.branch} deleted: canceled ${canceled.length} queued proposed run(s)`, all("skip", "branch deleted"));
  }
  if (ev.kind === "pull_request" && ev.action === "closed") {
    const canceled = await cancelQueuedProposedRuns(engine, stacks.map((s) => s.id), { pullRequest: ev.number }, `pull request #${ev.number} was closed`);
    return result(`pull request #${ev.number} ${ev.merged ? "merged" : "closed"}: canceled ${canceled.length} queued proposed run(s)${ev.merged ? "; the push to the base branch tracks" : ""}`, all("skip", "pull request closed"));
  }
  if (ev.kind === "pull_request" && ev.action === "other") return result("pull request action ignored (only opened, synchronize, reopened, labeled and closed count)", all("ignore", "pull request action not acted on"));

  const sha = ev.kind === "push" ? ev.after! : ev.headSha;
  const branch = ev.kind === "push" ? ev.branch! : ev.headBranch;
  const before = ev.kind === "push" ? ev.before : null;
  const pullRequest = ev.kind === "pull_request" ? ev.number : null;
  const mirrors = new Map<string, Promise<string>>();
  const mirrorOf = (repository: string) => {
    if (!mirrors.has(repository)) mirrors.set(repository, updateMirror(deps.mirrorDir, repository));
    return mirrors.get(repository)!;
  };

  const outcomes: VcsStackOutcome[] = [];
  for (const stack of stacks) {
    try {
      const mirror = await mirrorOf(stack.repository);
      if (!(await resolveRef(mirror, sha))) throw new AppError("not_found", `commit ${sha} is not in repository ${stack.repository}: the push may not have reached it yet`);
      const baseBranch = ev.kind === "pull_request" ? ev.baseBranch : branch === stack.branch ? undefined : stack.branch;
      const files = await changedFilesOfPush(mirror, { before, after: sha, ...(baseBranch ? { baseBranch } : {}) });
      const info = ev.kind === "push" && ev.message ? { message: ev.message.split("\n")[0]!, author: ev.author } : await commitInfo(mirror, sha);
      const facts: PushFacts = { branch, tag: "", sha, message: info.message, author: info.author || ev.author, affectedFiles: files, at: now() };
      outcomes.push(await decideAndRun(deps, input, stack, facts, pullRequest));
    } catch (err) {
      log.warn({ err, stack: stack.id }, `vcs event: stack ${stack.id} could not be evaluated`);
      outcomes.push({ stackId: stack.id, decision: "error", runId: null, reason: (err as Error).message });
    }
  }
  return result(`${ev.kind === "push" ? `push to ${branch}` : `pull request #${pullRequest} ${ev.action}`} at ${sha.slice(0, 12)}`, outcomes);
}

const vcsActor = (source: string): Principal => ({ kind: "user", id: "vcs", name: `vcs:${source}`, bindings: [] });

async function decideAndRun(deps: IngestDeps, input: IngestEvent, stack: StacksTable, facts: PushFacts, pullRequest: number | null): Promise<VcsStackOutcome> {
  const { engine } = deps;
  const { db, box, dialect, log } = engine.core;
  const affected = affectsStack({ projectRoot: stack.project_root, additionalProjectGlobs: JSON.parse(stack.additional_project_globs) as string[] }, facts.affectedFiles);
  const applied = (await explainStack(db, stack)).policies.filter((p) => p.type === "GIT_PUSH");
  let decision: PushDecision;
  let verdict: PushVerdict | undefined;
  let entries: PolicyVerdictEntry[] = [];
  let policyInput: unknown;
  if (applied.length === 0) decision = defaultDecision({ kind: input.event.kind, branch: facts.branch }, stack.branch, affected);
  else {
    const inProgress = await db.selectFrom("runs").selectAll().where("stack_id", "=", stack.id).where("state", "not in", terminal).orderBy("id").execute();
    const integrationId = stack.vcs_integration_id ?? input.integrationId;
    const integration: VcsIntegrationsTable | null = integrationId ? ((await db.selectFrom("vcs_integrations").selectAll().where("id", "=", integrationId).executeTakeFirst()) ?? null) : null;
    policyInput = pushPolicyInput(input.event, facts, stack, inProgress, integration);
    const bodies = await db.selectFrom("policies").select(["id", "name", "body", "rego_version"]).where("id", "in", applied.map((p) => p.id)).execute();
    ({ verdict, entries } = await evaluatePushPolicies(deps.policyEngine, bodies.map((b) => ({ id: b.id, name: b.name, body: b.body, regoVersion: b.rego_version as "V0" | "V1" })), policyInput));
    decision = policyDecision(verdict);
    await applyStackRules(engine, stack, verdict, inProgress.map((r) => r.id), "before");
  }

  let outcome: VcsStackOutcome = { stackId: stack.id, decision: decision.action, runId: null, reason: decision.reason };
  if (decision.action !== "ignore" && decision.noTrigger) outcome = { ...outcome, decision: "skip", reason: `${decision.reason}; notrigger: no run` };
  else if (decision.action !== "ignore") {
    const type: RunType = decision.action === "track" ? "TRACKED" : "PROPOSED";
    const vcsKey = commitKey(stack.id, facts.sha, type);
    try {
      outcome = await engine.tx(async (trx, out) => {
        await lockStackRow(trx, dialect, stack.id);
        const existing = await runForCommitKey(trx, vcsKey);
        if (existing) {
          // The same commit again (a branch push and its pull request, a retried webhook): one run, now linked to the pull request.
          if (pullRequest !== null && existing.pull_request === null) {
            await linkRunToPullRequest(trx, existing.id, pullRequest);
            // Announced again so the feedback puts it on the pull request's comment.
            out.changes.push([existing.id, existing.state as RunState]);
          }
          return { stackId: stack.id, decision: "skip" as const, runId: existing.id, reason: `run ${existing.id} already exists for ${type} of commit ${facts.sha.slice(0, 12)}` };
        }
        const fresh = await trx.selectFrom("stacks").selectAll().where("id", "=", stack.id).executeTakeFirstOrThrow();
        const row = await deps.runs.enqueue(trx, out, vcsActor(input.source), fresh, {
          type, commitSha: facts.sha, command: null, message: facts.message, branch: facts.branch, author: facts.author, pullRequest, vcsKey,
          prioritized: (verdict?.prioritize.length ?? 0) > 0,
        });
        const inputEncrypted = entries.length ? box.encrypt(JSON.stringify(policyInput ?? null)) : "";
        for (const e of entries) {
          await trx.insertInto("run_policy_receipts").values({
            id: ulid(), run_id: row.id, policy_id: e.id, policy_name: e.name, type: "GIT_PUSH", outcome: e.outcome, messages: JSON.stringify(e.said),
            input_encrypted: inputEncrypted, policy_version: e.version, at: now(),
          }).execute();
        }
        if (verdict?.message.length) await trx.updateTable("run_transitions").set({ note: verdict.message.join("; ") }).where("run_id", "=", row.id).where("from_state", "is", null).execute();
        const superseded = type === "PROPOSED" ? await supersedeProposedRuns(engine, trx, out, stack.id, facts.branch, row.id) : [];
        return { stackId: stack.id, decision: decision.action, runId: row.id, reason: decision.reason + (superseded.length ? `; superseded ${superseded.join(", ")}` : "") };
      });
    } catch (err) {
      if (!(err instanceof AppError && err.code === "conflict")) throw err;
      outcome = { stackId: stack.id, decision: "skip", runId: null, reason: err.message };
    }
  }
  if (verdict) await applyStackRules(engine, stack, verdict, [], "after");
  log.info({ stack: stack.id, sha: facts.sha, branch: facts.branch, affected, decision: outcome.decision, runId: outcome.runId, policies: entries.map((e) => ({ id: e.id, outcome: e.outcome, said: e.said })) }, `vcs: stack ${stack.id}: ${outcome.decision}: ${outcome.reason}`);
  return outcome;
}

/**
 * The push policy's side effects on the stack: `cancel` (runs in progress, by id) and `unlock`
 * before the run is created, `lock` after it, so a push can lock the stack behind its own run.
 */
async function applyStackRules(engine: RunEngine, stack: StacksTable, v: PushVerdict, inProgress: string[], when: "before" | "after"): Promise<void> {
  const { db } = engine.core;
  if (when === "before") {
    const ids = v.cancel.filter((id) => inProgress.includes(id));
    if (ids.length) {
      await engine.tx(async (trx, out) => {
        for (const id of ids) {
          const r = await trx.selectFrom("runs").select(["id", "state"]).where("id", "=", id).executeTakeFirstOrThrow();
          await cancelOrStop(engine, trx, out, r, "vcs", "canceled by a push policy");
        }
      });
    }
    await unlockStackHeldBy(db, stack.id, v.unlock);
    return;
  }
  const owner = v.lock[0];
  if (owner) await lockStackIfFree(db, stack.id, owner);
}
