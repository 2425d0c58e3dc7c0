import type { RunType } from "@gantry/contract";

/** Which credentials a run may get: `read` for proposed runs, `write` for runs that change things. */
export type RunScope = "read" | "write";

/** Spacelift's rule: proposed runs read, every other run type (tracked, task, destroy, testing) writes. */
export function runScope(runType: RunType): RunScope {
  return runType === "PROPOSED" ? "read" : "write";
}

/** What a run token says about its run. */
export interface RunIdentity {
  runId: string;
  runType: RunType;
  stackId: string;
  spaceId: string;
  /** Set for a module's TESTING runs: the token names the module, as Spacelift's do. */
  moduleId?: string | null;
}

/**
 * The claims of a run identity token, named as Spacelift names them so existing trust policies
 * port with only the issuer changed. `sub` is what trust policies match on:
 * `space:<space>:stack:<stack>:run_type:<type>:scope:<read|write>`; a module's test run is
 * `space:<space>:module:<module>:run_type:TESTING:scope:write` with `callerType: module`.
 *
 * @example
 * runClaims({ runId: "01J..", runType: "TRACKED", stackId: "app", spaceId: "root" }, { externalId: null })
 * // { sub: "space:root:stack:app:run_type:TRACKED:scope:write", spaceId: "root", callerType: "stack", ... }
 */
export function runClaims(run: RunIdentity, extra: { externalId: string | null }): Record<string, string> {
  const scope = runScope(run.runType);
  const [callerType, callerId] = run.moduleId ? ["module", run.moduleId] : ["stack", run.stackId];
  return {
    sub: `space:${run.spaceId}:${callerType}:${callerId}:run_type:${run.runType}:scope:${scope}`,
    spaceId: run.spaceId,
    callerType,
    callerId,
    runType: run.runType,
    runId: run.runId,
    scope,
    ...(extra.externalId ? { externalId: extra.externalId } : {}),
  };
}

/** The default audience: the issuer's host name, as Spacelift defaults to the account's host name. */
export function defaultAudience(issuer: string): string {
  return new URL(issuer).hostname;
}
