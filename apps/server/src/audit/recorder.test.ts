import { describe, expect, it } from "vitest";
import { scrubSecrets } from "./recorder.js";

describe("scrubSecrets", () => {
  it("redacts values, contents, uploads and every credential-named key at any depth, and keeps the rest", () => {
    const payload = {
      name: "ci",
      value: "plain",
      hooks: [{ content: "file body" }],
      webhookSecret: "whsec",
      integration: { apiToken: "t0k", GITHUB_TOKEN: "ghp", private_key: "pem", note: "kept" },
      password: "pw",
      archiveBase64: "H4sI",
      tokenTtlHours: 2,
    };
    expect(scrubSecrets(payload)).toEqual({
      name: "ci",
      value: "[redacted]",
      hooks: [{ content: "[redacted]" }],
      webhookSecret: "[redacted]",
      integration: { apiToken: "[redacted]", GITHUB_TOKEN: "[redacted]", private_key: "[redacted]", note: "kept" },
      password: "[redacted]",
      archiveBase64: "[redacted]",
      tokenTtlHours: "[redacted]",
    });
  });
});
