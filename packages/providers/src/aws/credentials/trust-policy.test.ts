import { describe, expect, it } from "vitest";
import { evaluateTrustPolicy, globMatch, parseTrustPolicy } from "./trust-policy.js";

const issuerKey = "gantry.example.com";
const provider = `arn:aws:iam::123456789012:oidc-provider/${issuerKey}`;
const allow = {
  Effect: "Allow",
  Principal: { Federated: provider },
  Action: "sts:AssumeRoleWithWebIdentity",
  Condition: { StringEquals: { [`${issuerKey}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${issuerKey}:sub`]: ["space:root:stack:prod-*", "space:ops:*"] } },
};

function decide(statements: unknown[], claims: Record<string, unknown>, accountId = "123456789012") {
  return evaluateTrustPolicy(parseTrustPolicy(JSON.stringify({ Version: "2012-10-17", Statement: statements })), { accountId, issuerKey, claims });
}

describe("trust policy", () => {
  it.each([
    ["matching aud and sub", [allow], { aud: "sts.amazonaws.com", sub: "space:root:stack:prod-db" }, true],
    ["second sub pattern", [allow], { aud: "sts.amazonaws.com", sub: "space:ops:stack:x" }, true],
    ["aud as an array containing the audience", [allow], { aud: ["other", "sts.amazonaws.com"], sub: "space:ops:x" }, true],
    ["wrong sub", [allow], { aud: "sts.amazonaws.com", sub: "space:root:stack:dev-db" }, false],
    ["wrong aud", [allow], { aud: "gantry", sub: "space:ops:x" }, false],
    ["missing sub claim", [allow], { aud: "sts.amazonaws.com" }, false],
    ["explicit deny wins", [allow, { ...allow, Effect: "Deny", Condition: { StringEquals: { [`${issuerKey}:sub`]: "space:ops:evil" } } }], { aud: "sts.amazonaws.com", sub: "space:ops:evil" }, false],
    ["deny not matching leaves allow", [allow, { ...allow, Effect: "Deny", Condition: { StringEquals: { [`${issuerKey}:sub`]: "space:ops:evil" } } }], { aud: "sts.amazonaws.com", sub: "space:ops:good" }, true],
    ["another issuer's provider", [{ ...allow, Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/other.example.com" } }], { aud: "sts.amazonaws.com", sub: "space:ops:x" }, false],
    ["no aud condition", [{ ...allow, Condition: { StringLike: { [`${issuerKey}:sub`]: "*" } } }], { aud: "sts.amazonaws.com", sub: "space:ops:x" }, false],
    ["StringNotEquals", [{ ...allow, Condition: { StringEquals: { [`${issuerKey}:aud`]: "sts.amazonaws.com" }, StringNotEquals: { [`${issuerKey}:sub`]: "space:ops:x" } } }], { aud: "sts.amazonaws.com", sub: "space:ops:x" }, false],
    ["other action", [{ ...allow, Action: "sts:AssumeRole" }], { aud: "sts.amazonaws.com", sub: "space:ops:x" }, false],
  ])("%s", (_name, statements, claims, allowed) => {
    expect(decide(statements, claims).allowed).toBe(allowed);
  });

  it("explains a refusal in terms of the claims", () => {
    const decision = decide([allow], { aud: "sts.amazonaws.com", sub: "space:dev:x" });
    expect(decision).toEqual({ allowed: false, reason: expect.stringContaining('sub "space:dev:x"') });
  });

  it("rejects unsupported operators and bad JSON", () => {
    expect(() => parseTrustPolicy("{")).toThrow("not valid JSON");
    expect(() => parseTrustPolicy(JSON.stringify({ Statement: [{ ...allow, Condition: { IpAddress: {} } }] }))).toThrow("IpAddress is not supported");
  });

  it("matches IAM wildcards", () => {
    expect(globMatch("repo:acme/*:ref:refs/heads/main", "repo:acme/app:ref:refs/heads/main")).toBe(true);
    expect(globMatch("a?c", "abc")).toBe(true);
    expect(globMatch("a?c", "abbc")).toBe(false);
    expect(globMatch("a.c", "abc")).toBe(false);
  });
});
