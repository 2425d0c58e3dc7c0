import { parseJson } from "../db/rows.js";
import type { RunsTable, StacksTable } from "../db/schema.js";

/** What a run event carries into payloads and messages. */
export interface RunEventFacts {
  run: RunsTable;
  stack: StacksTable;
  state: string;
  from: string | null;
  note: string | null;
  username: string;
  at: string;
  runUrl: string;
}

/**
 * The webhook body of a run state change, shaped like Spacelift's run-state webhook (camelCase
 * `run`, `stack`, `state`), so receivers written for Spacelift read it unchanged.
 */
export function runWebhookPayload(f: RunEventFacts) {
  const delta = f.run.delta ? parseJson<{ added: number; changed: number; deleted: number }>(f.run.delta) : null;
  return {
    event: "run_updated",
    account: "gantry",
    state: f.state,
    previousState: f.from,
    stateVersion: 1,
    timestamp: Date.parse(f.at),
    note: f.note,
    username: f.username,
    run: {
      id: f.run.id,
      type: f.run.type,
      branch: f.run.commit_branch,
      commit: { hash: f.run.commit_sha ?? "", message: f.run.commit_message ?? "", authorLogin: f.run.commit_author ?? "" },
      createdAt: Date.parse(f.run.created_at),
      delta: delta ? { added: delta.added, changed: delta.changed, deleted: delta.deleted } : null,
      driftDetection: (f.run as { drift_detection?: number }).drift_detection === 1,
      failureReason: f.state === "FAILED" ? f.run.failure_reason : null,
      triggeredBy: f.run.triggered_by,
      url: f.runUrl,
    },
    stack: { id: f.stack.id, name: f.stack.name, description: f.stack.description, labels: parseJson<string[]>(f.stack.labels), spaceId: f.stack.space_id },
  };
}

const stateEmoji: Record<string, string> = { FINISHED: ":white_check_mark:", FAILED: ":x:", UNCONFIRMED: ":raised_hand:", PENDING_REVIEW: ":eyes:", STOPPED: ":octagonal_sign:", DISCARDED: ":wastebasket:" };

/**
 * A Slack Block Kit message for a run state change: state, stack, commit, delta and a link. A
 * policy's own `message` replaces the headline text.
 */
export function runSlackMessage(f: RunEventFacts, message?: string) {
  const delta = f.run.delta ? parseJson<{ added: number; changed: number; deleted: number }>(f.run.delta) : null;
  const headline = message ?? `${stateEmoji[f.state] ?? ":information_source:"} Run ${f.run.id} of stack ${f.stack.name} is ${f.state}`;
  const fields = [
    { type: "mrkdwn", text: `*Stack*\n${f.stack.name} (\`${f.stack.id}\`)` },
    { type: "mrkdwn", text: `*State*\n${f.from ?? "new"} → ${f.state}` },
    { type: "mrkdwn", text: `*Commit*\n${f.run.commit_sha ? `\`${f.run.commit_sha.slice(0, 7)}\` ${f.run.commit_message ?? ""}`.trim() : "n/a"}` },
    { type: "mrkdwn", text: `*Delta*\n${delta ? `+${delta.added} ~${delta.changed} -${delta.deleted}` : "n/a"}` },
  ];
  return {
    text: headline,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: headline } },
      { type: "section", fields },
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open run" }, url: f.runUrl }] },
    ],
  };
}

/** A Slack message for anything that is not a run event (internal errors). */
export function plainSlackMessage(text: string) {
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}
