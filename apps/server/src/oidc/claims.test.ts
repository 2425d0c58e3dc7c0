import { describe, expect, it } from "vitest";
import { defaultAudience, runClaims, runScope } from "./claims.js";

describe("run token claims", () => {
  it("gives proposed runs the read scope and every other run type the write scope, as Spacelift", () => {
    expect(["PROPOSED", "TRACKED", "TASK", "DESTROY", "TESTING"].map((t) => runScope(t as never))).toEqual(["read", "write", "write", "write", "write"]);
  });

  it("names the run in Spacelift's sub format, with externalId only when set", () => {
    const run = { runId: "01J0", runType: "PROPOSED" as const, stackId: "web", spaceId: "team" };
    expect(runClaims(run, { externalId: null })).toEqual({ sub: "space:team:stack:web:run_type:PROPOSED:scope:read", spaceId: "team", callerType: "stack", callerId: "web", runType: "PROPOSED", runId: "01J0", scope: "read" });
    expect(runClaims(run, { externalId: "ext-1" })).toMatchObject({ externalId: "ext-1" });
  });

  it("names a module's test run as the module (callerType module), as Spacelift's module tokens", () => {
    const run = { runId: "01J1", runType: "TESTING" as const, stackId: "module:vpc", spaceId: "platform", moduleId: "vpc" };
    expect(runClaims(run, { externalId: null })).toMatchObject({ sub: "space:platform:module:vpc:run_type:TESTING:scope:write", callerType: "module", callerId: "vpc", runType: "TESTING", scope: "write" });
  });

  it("defaults the audience to the issuer's host name", () => {
    expect(defaultAudience("https://gantry.example.com:8443/oidc")).toBe("gantry.example.com");
  });
});
