import { describe, expect, it } from "vitest";
import { waitReason, type WaitFacts } from "./wait-reason.js";

const undecided = { policyId: "prod-approval", policyName: "prod approval", outcome: "undecided", messages: {}, at: "2026-01-01T00:00:00Z" };
const approved = { ...undecided, policyId: "other", outcome: "approve" };
const base: WaitFacts = { id: "R1", state: "QUEUED", awaitingApproval: false, dependencies: null, behind: null, approvals: [], warnings: [] };

describe("waitReason", () => {
  it.each<[string, Partial<WaitFacts>, RegExp | null, RegExp | null]>([
    ["held in QUEUED by approval", { awaitingApproval: true, approvals: [undecided, approved] }, /held in QUEUED by approval policies.*prod-approval \(undecided\)/, /gantry run review R1 --approve.*gantry run cancel R1/],
    ["queued behind upstream stacks", { dependencies: "waits for upstream stack net (run R0 APPLYING)" }, /upstream stack net/, /starts when they finish/],
    ["queued, nothing to wait for", {}, null, null],
    ["queued behind an unconfirmed blocking run", { behind: { id: "R0", state: "UNCONFIRMED" } }, /run R0 \(UNCONFIRMED\) of this stack goes first/, /gantry run confirm R0, or gantry run discard R0/],
    ["queued behind an applying blocking run", { behind: { id: "R0", state: "APPLYING" } }, /run R0 \(APPLYING\)/, /starts when run R0 ends/],
    ["pending review after warnings", { state: "PENDING_REVIEW", warnings: ["tags: 3 untagged"], approvals: [undecided] }, /warnings sent it to review \(tags: 3 untagged\).*prod-approval/, /review R1 --approve.*gantry run discard R1/],
    ["unconfirmed without approval policies", { state: "UNCONFIRMED" }, /waiting for a person to confirm/, /^gantry run confirm R1 to apply, or gantry run discard R1$/],
    ["unconfirmed, approval policy undecided", { state: "UNCONFIRMED", approvals: [undecided] }, /must approve first: prod-approval/, /review R1.*then gantry run confirm R1/],
    ["applying", { state: "APPLYING" }, null, null],
  ])("%s", (_name, facts, reason, next) => {
    const w = waitReason({ ...base, ...facts });
    if (!reason) return expect(w).toBeNull();
    expect(w?.reason).toMatch(reason);
    expect(w?.next).toMatch(next!);
  });
});
