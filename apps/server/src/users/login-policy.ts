import type { Role } from "@gantry/contract";
import type { Binding } from "../auth/principal.js";
import type { Core } from "../core.js";
import type { Db } from "../db/connect.js";
import { parseJson } from "../db/rows.js";
import { messages } from "../policy-engine/index.js";
import { requestDocument } from "../runs/policy-documents.js";
import { teamNamesOf } from "../access/session-document.js";

/** A role a LOGIN policy granted to a session, and which policy did. */
export interface PolicyGrant extends Binding { policy: string }

/** What one LOGIN policy said, for the audit trail and `gantry whoami`. */
export interface LoginPolicyOutcome { id: string; name: string; outcome: "deny" | "admin" | "allow" | "grants" | "silent" | "error"; messages: string[] }

/** What the LOGIN policies decided about one login (or API key use). */
export interface LoginVerdict {
  /** False when no LOGIN policy exists: stored role bindings alone decide, as before. */
  evaluated: boolean;
  allowed: boolean;
  /** Why the login is refused, for the person trying. */
  refusal?: string;
  grants: PolicyGrant[];
  /** Team names the policies mapped the session to (the `team` rule), beside Gantry's own teams. */
  teams: string[];
  outcomes: LoginPolicyOutcome[];
  /** Policies that failed to evaluate, with their error. */
  errors: string[];
}

export interface LoginSubject { id: string; username: string; displayName: string; stored: Binding[]; via: "password" | "apiKey" }

/** Role slugs a policy may name in `roles` (Spacelift's built-in space roles, and Gantry's names for them). */
const slugRoles: Record<string, Role> = { read: "read", write: "write", admin: "admin", "space-reader": "read", "space-writer": "write", "space-admin": "admin" };

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);

/** The LOGIN policies of the instance (root space only: see policies/service.ts), in id order. */
export async function loginPolicies(db: Db) {
  return db.selectFrom("policies").select(["id", "name", "body", "rego_version", "updated_at"]).where("type", "=", "LOGIN").orderBy("id").execute();
}

/**
 * Evaluates every LOGIN policy with Spacelift's `login` input (session, spaces, roles, request)
 * and applies Spacelift's precedence: `deny` refuses; `admin` grants admin on root unless
 * `deny_admin`; `space_read`/`space_write`/`space_admin` and `roles` grant per space; a person is
 * let in when a policy allows them, grants them anything, or they already hold a role binding.
 *
 * A policy that fails to evaluate refuses the login, except for root admins logging in with an
 * API key, who get their stored roles: a broken policy must not lock everyone out.
 */
export async function evaluateLoginPolicies(core: Core, db: Db, who: LoginSubject): Promise<LoginVerdict> {
  const policies = await loginPolicies(db);
  const verdict: LoginVerdict = { evaluated: policies.length > 0, allowed: true, grants: [], teams: [], outcomes: [], errors: [] };
  if (policies.length === 0) return verdict;
  const rootAdmin = who.stored.some((b) => b.spaceId === "root" && b.role === "admin");
  const spaces = await db.selectFrom("spaces").select(["id", "name", "labels"]).orderBy("id").execute();
  const known = new Set(spaces.map((s) => s.id));
  const input = {
    request: requestDocument(),
    session: { login: who.username, name: who.displayName, teams: await teamNamesOf(db, who.id), admin: rootAdmin, machine: false, member: true, account_name: "", creator_ip: "", stack_id: "" },
    spaces: spaces.map((s) => ({ id: s.id, name: s.name, labels: parseJson<string[]>(s.labels) })),
    roles: ["read", "write", "admin"].map((r) => ({ id: r, slug: r, name: `space ${r}`, ulid: r })),
    attachment: null,
  };
  let denied: string[] = [];
  let allow = false;
  let admin = false;
  let denyAdmin = false;
  for (const p of policies) {
    let value: unknown;
    try {
      if (!core.policyEngine) throw new Error("this server has no policy engine");
      value = await core.policyEngine.evaluate([{ file: `${p.id}.rego`, body: p.body, regoVersion: p.rego_version as "V0" | "V1" }], "data.spacelift", input);
    } catch (err) {
      verdict.errors.push(`login policy ${p.name} failed to evaluate: ${(err as Error).message}`);
      verdict.outcomes.push({ id: p.id, name: p.name, outcome: "error", messages: [(err as Error).message] });
      continue;
    }
    const pkg = (value ?? {}) as Record<string, unknown>;
    const deny = messages(pkg, "deny");
    const grants: PolicyGrant[] = [];
    for (const [rule, role] of [["space_read", "read"], ["space_write", "write"], ["space_admin", "admin"]] as const) {
      for (const spaceId of asStrings(pkg[rule])) if (known.has(spaceId)) grants.push({ spaceId, role, policy: p.name });
    }
    const roles = pkg.roles && typeof pkg.roles === "object" && !Array.isArray(pkg.roles) ? (pkg.roles as Record<string, unknown>) : {};
    for (const [spaceId, slugs] of Object.entries(roles)) {
      for (const slug of asStrings(slugs)) if (known.has(spaceId) && slugRoles[slug]) grants.push({ spaceId, role: slugRoles[slug], policy: p.name });
    }
    verdict.teams.push(...asStrings(pkg.team).filter((t) => !verdict.teams.includes(t)));
    const saysAdmin = messages(pkg, "admin").length > 0;
    const saysAllow = messages(pkg, "allow").length > 0;
    denyAdmin ||= messages(pkg, "deny_admin").length > 0;
    if (deny.length > 0) denied = [...denied, ...deny.map((m) => `${p.name}: ${m}`)];
    admin ||= saysAdmin;
    allow ||= saysAllow;
    verdict.grants.push(...grants);
    verdict.outcomes.push({ id: p.id, name: p.name, outcome: deny.length ? "deny" : saysAdmin ? "admin" : saysAllow ? "allow" : grants.length ? "grants" : "silent", messages: deny });
  }
  if (admin && !denyAdmin) verdict.grants.push({ spaceId: "root", role: "admin", policy: verdict.outcomes.find((o) => o.outcome === "admin")?.name ?? "login policy" });
  // Break glass: a root admin with an API key always gets in with the roles stored for them.
  const breakGlass = rootAdmin && who.via === "apiKey";
  if (verdict.errors.length > 0 && !breakGlass) {
    return { ...verdict, allowed: false, grants: [], refusal: `${verdict.errors.join("; ")}: logins are refused until a root admin fixes it (root admins' API keys still work)` };
  }
  if (denied.length > 0 && !breakGlass) return { ...verdict, allowed: false, grants: [], refusal: `a login policy denies you: ${denied.join("; ")}` };
  if (breakGlass && (verdict.errors.length > 0 || denied.length > 0)) return { ...verdict, grants: [], teams: [] };
  verdict.allowed = allow || admin || verdict.grants.length > 0 || who.stored.length > 0;
  if (!verdict.allowed) verdict.refusal = "no login policy lets you in and you hold no role: ask an admin for a role or a login policy rule";
  return verdict;
}
