import { describe, expect, it } from "vitest";
import { runsToPromote, type QueuedRun } from "./scheduler.js";

const t = (id: string): QueuedRun => ({ id, blocking: true });
const p = (id: string): QueuedRun => ({ id, blocking: false });
/** Held in QUEUED by approval policies. */
const th = (id: string): QueuedRun => ({ id, blocking: true, awaitingApproval: true });
const ph = (id: string): QueuedRun => ({ id, blocking: false, awaitingApproval: true });

describe("runsToPromote", () => {
  it.each<[string, QueuedRun[], boolean, string[]]>([
    ["empty queue", [], false, []],
    ["oldest blocking run takes the free lock", [t("a"), t("b")], false, ["a"]],
    ["blocking runs wait while one is active", [t("a"), t("b")], true, []],
    ["proposed runs run side by side", [p("a"), p("b")], true, ["a", "b"]],
    ["proposed runs pass a waiting blocking run", [t("a"), p("b"), t("c")], true, ["b"]],
    ["mixed queue with a free lock", [p("a"), t("b"), p("c"), t("d")], false, ["a", "b", "c"]],
    ["a held proposed run waits, the others go", [ph("a"), p("b")], false, ["b"]],
    ["a held blocking run is not promoted", [th("a")], false, []],
    ["a held blocking run keeps later blocking runs behind it", [th("a"), t("b"), p("c")], false, ["c"]],
    ["an approved blocking run behind a held proposed one takes the lock", [ph("a"), t("b"), t("c")], false, ["b"]],
    ["a held blocking run behind an active one changes nothing", [th("a"), t("b")], true, []],
  ])("%s", (_name, queued, active, want) => {
    expect(runsToPromote(queued, active)).toEqual(want);
  });
});
