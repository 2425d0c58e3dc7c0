import { describe, expect, it } from "vitest";
import { runsToPromote, type QueuedRun } from "./scheduler.js";

const t = (id: string): QueuedRun => ({ id, blocking: true });
const p = (id: string): QueuedRun => ({ id, blocking: false });

describe("runsToPromote", () => {
  it.each<[string, QueuedRun[], boolean, string[]]>([
    ["empty queue", [], false, []],
    ["oldest blocking run takes the free lock", [t("a"), t("b")], false, ["a"]],
    ["blocking runs wait while one is active", [t("a"), t("b")], true, []],
    ["proposed runs run side by side", [p("a"), p("b")], true, ["a", "b"]],
    ["proposed runs pass a waiting blocking run", [t("a"), p("b"), t("c")], true, ["b"]],
    ["mixed queue with a free lock", [p("a"), t("b"), p("c"), t("d")], false, ["a", "b", "c"]],
  ])("%s", (_name, queued, active, want) => {
    expect(runsToPromote(queued, active)).toEqual(want);
  });
});
