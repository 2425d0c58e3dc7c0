import type { RunState, RunType } from "@gantry/contract";
import { describe, expect, it } from "vitest";
import { decide, type RunEvent } from "./transitions.js";

const plan = (o: Partial<Extract<RunEvent, { kind: "planned" }>> = {}): RunEvent => ({
  kind: "planned", changes: true, denied: false, warnings: false, autodeploy: false, approvalPolicies: false, ...o,
});

// [type, from, event, expected next state or "refused"]
const table: [RunType, RunState, RunEvent, RunState | "refused"][] = [
  ["TRACKED", "QUEUED", { kind: "promote" }, "READY"],
  ["TRACKED", "READY", { kind: "promote" }, "refused"],
  ["TRACKED", "READY", { kind: "claim" }, "PREPARING"],
  ["TRACKED", "QUEUED", { kind: "claim" }, "refused"],
  ["TRACKED", "PREPARING", { kind: "advance", to: "INITIALIZING" }, "INITIALIZING"],
  ["TRACKED", "PREPARING", { kind: "advance", to: "PLANNING" }, "refused"],
  ["TRACKED", "INITIALIZING", { kind: "advance", to: "PLANNING" }, "PLANNING"],
  ["TASK", "INITIALIZING", { kind: "advance", to: "PERFORMING" }, "PERFORMING"],
  ["TASK", "INITIALIZING", { kind: "advance", to: "PLANNING" }, "refused"],
  ["TRACKED", "INITIALIZING", { kind: "advance", to: "PERFORMING" }, "refused"],
  ["PROPOSED", "PLANNING", plan(), "FINISHED"],
  ["TRACKED", "PLANNING", plan({ changes: false, autodeploy: true }), "FINISHED"],
  ["TRACKED", "PLANNING", plan(), "UNCONFIRMED"],
  ["TRACKED", "PLANNING", plan({ autodeploy: true }), "APPLYING"],
  ["DESTROY", "PLANNING", plan({ autodeploy: true }), "DESTROYING"],
  ["TRACKED", "PLANNING", plan({ autodeploy: true, warnings: true }), "UNCONFIRMED"],
  ["TRACKED", "PLANNING", plan({ autodeploy: true, warnings: true, approvalPolicies: true }), "PENDING_REVIEW"],
  ["TRACKED", "PLANNING", plan({ autodeploy: true, denied: true }), "FAILED"],
  ["TRACKED", "PLANNING", plan({ autodeploy: true, approvalPolicies: true }), "UNCONFIRMED"],
  ["TRACKED", "UNCONFIRMED", { kind: "confirm", by: "policy" }, "CONFIRMED"],
  ["PROPOSED", "PLANNING", plan({ denied: true }), "FAILED"],
  ["TRACKED", "APPLYING", plan(), "refused"],
  ["TRACKED", "UNCONFIRMED", { kind: "confirm" }, "CONFIRMED"],
  ["PROPOSED", "UNCONFIRMED", { kind: "confirm" }, "refused"],
  ["TRACKED", "PENDING_REVIEW", { kind: "confirm" }, "refused"],
  ["TRACKED", "CONFIRMED", { kind: "advance", to: "APPLYING" }, "APPLYING"],
  ["DESTROY", "CONFIRMED", { kind: "advance", to: "DESTROYING" }, "DESTROYING"],
  ["DESTROY", "CONFIRMED", { kind: "advance", to: "APPLYING" }, "refused"],
  ["TRACKED", "APPLYING", { kind: "finish" }, "FINISHED"],
  // Module tests: apply without confirmation, then always destroy.
  ["TESTING", "PLANNING", plan({ autodeploy: true }), "APPLYING"],
  ["TESTING", "PLANNING", plan({ autodeploy: true, warnings: true }), "APPLYING"],
  ["TESTING", "PLANNING", plan({ autodeploy: true, denied: true }), "FAILED"],
  ["TESTING", "PLANNING", plan({ autodeploy: true, warnings: true, approvalPolicies: true }), "PENDING_REVIEW"],
  ["TESTING", "APPLYING", { kind: "advance", to: "DESTROYING" }, "DESTROYING"],
  ["TRACKED", "APPLYING", { kind: "advance", to: "DESTROYING" }, "refused"],
  ["TESTING", "DESTROYING", { kind: "finish" }, "FINISHED"],
  ["TESTING", "DESTROYING", { kind: "fail", by: "worker" }, "FAILED"],
  ["TASK", "PERFORMING", { kind: "finish" }, "FINISHED"],
  ["TRACKED", "PLANNING", { kind: "finish" }, "refused"],
  ["TRACKED", "UNCONFIRMED", { kind: "discard" }, "DISCARDED"],
  ["TRACKED", "PENDING_REVIEW", { kind: "discard" }, "DISCARDED"],
  ["TRACKED", "APPLYING", { kind: "discard" }, "refused"],
  ["TRACKED", "QUEUED", { kind: "cancel" }, "CANCELED"],
  ["TRACKED", "READY", { kind: "cancel" }, "CANCELED"],
  ["TRACKED", "PLANNING", { kind: "cancel" }, "refused"],
  ["TRACKED", "PLANNING", { kind: "stop" }, "STOPPED"],
  ["TRACKED", "QUEUED", { kind: "stop" }, "refused"],
  ["TRACKED", "UNCONFIRMED", { kind: "stop" }, "refused"],
  ["TRACKED", "APPLYING", { kind: "fail", by: "reaper" }, "FAILED"],
  ["TRACKED", "QUEUED", { kind: "skip" }, "SKIPPED"],
  ["TRACKED", "PENDING_REVIEW", { kind: "approve" }, "UNCONFIRMED"],
  ["TRACKED", "PENDING_REVIEW", { kind: "reject" }, "DISCARDED"],
  ["TRACKED", "QUEUED", { kind: "reject" }, "FAILED"],
  ["TRACKED", "FINISHED", { kind: "fail", by: "reaper" }, "refused"],
  ["TRACKED", "CANCELED", { kind: "promote" }, "refused"],
];

describe("decide", () => {
  it.each(table)("%s in %s on %j -> %s", (type, state, event, want) => {
    const d = decide({ type, state }, event);
    if (want === "refused") {
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.reason).toMatch(/\w/);
    } else expect(d).toMatchObject({ ok: true, to: want });
  });

  it("names the cause of each move", () => {
    expect(decide({ type: "TRACKED", state: "UNCONFIRMED" }, { kind: "confirm" })).toMatchObject({ cause: "user" });
    expect(decide({ type: "TRACKED", state: "QUEUED" }, { kind: "promote" })).toMatchObject({ cause: "scheduler" });
    expect(decide({ type: "TRACKED", state: "PLANNING" }, { kind: "fail", by: "reaper" })).toMatchObject({ cause: "reaper" });
    expect(decide({ type: "TRACKED", state: "UNCONFIRMED" }, { kind: "confirm", by: "policy" })).toMatchObject({ cause: "policy" });
  });
});
