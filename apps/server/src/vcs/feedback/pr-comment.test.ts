import { describe, expect, it } from "vitest";
import { renderPullRequestComment } from "./pr-comment.js";

describe("renderPullRequestComment", () => {
  it("lists the tests and what-if of policies an administrative stack's plan changes", () => {
    const body = renderPullRequestComment(7, [
      { stackId: "management", runId: "R1", runUrl: "http://g/R1", sha: "abcdef123456", state: "FINISHED", delta: { added: 0, changed: 1, deleted: 0 }, warnings: [], denials: [], policyWhatIf: ["gantry_policy.guard (policy guard): what-if against recorded inputs: would newly deny 3 runs of 2 stacks"] },
      { stackId: "web", runId: "R2", runUrl: "http://g/R2", sha: "123456abcdef", state: "FINISHED", delta: null, warnings: [], denials: [] },
    ]);
    expect(body).toContain("**Policy changes: tests and what-if against recorded runs**");
    expect(body).toContain("- `management` gantry_policy.guard (policy guard): what-if against recorded inputs: would newly deny 3 runs of 2 stacks");
    expect(body).not.toContain("- `web`");
  });
});
