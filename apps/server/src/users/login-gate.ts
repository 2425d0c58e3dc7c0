import type { Principal } from "../auth/principal.js";
import { recordAudit } from "../audit/recorder.js";
import type { Core } from "../core.js";
import type { Db } from "../db/connect.js";
import { AppError } from "../errors.js";
import { evaluateLoginPolicies, loginPolicies, type LoginSubject, type LoginVerdict } from "./login-policy.js";

/**
 * How long an API key's login decision is reused. An API key has no session to hold the
 * decision, so each use counts as a session creation; re-deciding at most once a minute keeps a
 * request from paying for every LOGIN policy, and a changed policy or role takes effect at once
 * (the cache key includes both).
 */
const API_KEY_DECISION_MS = 60_000;

/** Applies LOGIN policies to sessions and API key uses; records every decision in the audit trail. */
export interface LoginGate {
  /** Decides a login; throws `unauthenticated` with the reason when the policies refuse it. */
  decide(db: Db, who: LoginSubject): Promise<LoginVerdict>;
  /** The principal of an API key use, with what the LOGIN policies grant it. */
  forApiKey(db: Db, principal: Principal, keyId: string, displayName: string): Promise<Principal>;
}

/** The principal with the policies' grants and teams added to its own bindings. */
export function withVerdict(principal: Principal, grants: LoginVerdict["grants"], teams: readonly string[]): Principal {
  return grants.length === 0 && teams.length === 0 ? principal : { ...principal, bindings: [...principal.bindings, ...grants], policyTeams: teams };
}

export function loginGate(core: Core): LoginGate {
  const decided = new Map<string, { at: number; key: string; verdict: LoginVerdict }>();

  async function decide(db: Db, who: LoginSubject): Promise<LoginVerdict> {
    const verdict = await evaluateLoginPolicies(core, db, who);
    if (!verdict.evaluated) return verdict;
    const actor: Principal = { kind: "user", id: who.id, name: who.username, bindings: who.stored };
    if (verdict.errors.length > 0) core.log.warn({ user: who.username, errors: verdict.errors }, "login policy failed to evaluate");
    await recordAudit(db, actor, {
      action: verdict.allowed ? "login.allowed" : "login.refused", targetType: "user", targetId: who.id, spaceId: "root",
      payload: { via: who.via, policies: verdict.outcomes, grantedRoles: verdict.grants, teams: verdict.teams, errors: verdict.errors, refusal: verdict.refusal ?? null },
    });
    if (!verdict.allowed) throw new AppError("unauthenticated", `login refused: ${verdict.refusal}`);
    return verdict;
  }

  return {
    decide,
    async forApiKey(db, principal, keyId, displayName) {
      const policies = await loginPolicies(db);
      if (policies.length === 0) return principal;
      const key = JSON.stringify([policies.map((p) => [p.id, p.updated_at]), principal.bindings]);
      const hit = decided.get(keyId);
      if (hit && hit.key === key && Date.now() - hit.at < API_KEY_DECISION_MS) return withVerdict(principal, hit.verdict.grants, hit.verdict.teams);
      decided.delete(keyId);
      const verdict = await decide(db, { id: principal.id, username: principal.name, displayName, stored: [...principal.bindings], via: "apiKey" });
      decided.set(keyId, { at: Date.now(), key, verdict });
      if (decided.size > 10_000) decided.delete(decided.keys().next().value!);
      return withVerdict(principal, verdict.grants, verdict.teams);
    },
  };
}
