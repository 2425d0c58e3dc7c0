import type { Role } from "@gantry/contract";
import { AUTOATTACH } from "../attachments/kinds.js";
import { explainStack } from "../attachments/resolve.js";
import { recordAudit } from "../audit/recorder.js";
import { Authorizer, roleRank, type Principal } from "../auth/principal.js";
import type { Core } from "../core.js";
import type { Db } from "../db/connect.js";
import { parseJson } from "../db/rows.js";
import type { StacksTable } from "../db/schema.js";
import { forbidden } from "../errors.js";
import { messages } from "../policy-engine/index.js";
import { requestDocument, stackDocument, type StackDocumentRow } from "../runs/policy-documents.js";
import { SpaceTree } from "../spaces/tree.js";
import { stackFieldsRead, type StackReads } from "./input-reads.js";
import { sessionDocument, type SessionDocument } from "./session-document.js";

interface AccessPolicy {
  id: string;
  name: string;
  spaceId: string;
  body: string;
  regoVersion: "V0" | "V1";
  /** Stack labels it auto-attaches to (`*` for all). */
  autoattach: Set<string>;
  directStacks: Set<string>;
  reads: StackReads;
}

interface SpaceRow { id: string; parent: string | null; inherit: boolean; name: string; labels: string[] }

/** What one ACCESS policy said about one stack for one session. */
interface AccessSaid { read: boolean; write: boolean; deny: string[]; denyWrite: string[]; error?: string }

/** A caller's effective role on one stack, and why it differs from the space role. */
export interface StackDecision {
  role: Role | undefined;
  /** The role the caller's space bindings give on the stack's space. */
  spaceRole: Role | undefined;
  /** Why a policy lowered or removed the role: "policy: message". */
  limits: string[];
  /** Policies that granted more than the space role. */
  grants: string[];
}

/**
 * What one request needs to decide access to any number of stacks: the ACCESS policies, the
 * space tree, the session document and every evaluation made so far. Kept per principal (one
 * per request) for a few seconds, so a list of 10,000 stacks loads policies and spaces once and
 * evaluates each policy once per distinct input it can tell apart.
 */
interface RequestAccess {
  at: number;
  policies: AccessPolicy[];
  spaces: Map<string, SpaceRow>;
  session?: Promise<SessionDocument>;
  request: ReturnType<typeof requestDocument>;
  said: Map<string, Promise<AccessSaid>>;
  /** Whole decisions for stacks that no applied policy can tell apart (same space, same fields read). */
  decisions: Map<string, Promise<StackDecision>>;
  /** Each space's ancestor chain and the caller's role there, worked out once per request. */
  chains: Map<string, { chain: SpaceRow[]; spaceRole: Role | undefined }>;
  reportedErrors: Set<string>;
}

/** Long enough for one request, short enough that a principal object reused later sees changes. */
const REQUEST_CACHE_MS = 5_000;
const perRequest = new WeakMap<Principal, Promise<RequestAccess>>();

async function loadRequestAccess(db: Db): Promise<RequestAccess> {
  const rows = await db.selectFrom("policies").select(["id", "name", "space_id", "labels", "body", "rego_version"]).where("type", "=", "ACCESS").orderBy("id").execute();
  const base = { at: Date.now(), request: requestDocument(), said: new Map(), decisions: new Map(), chains: new Map(), reportedErrors: new Set<string>() };
  if (rows.length === 0) return { ...base, policies: [], spaces: new Map() };
  const direct = await db.selectFrom("attachments").select(["stack_id", "entity_id"]).where("kind", "=", "policy").where("entity_id", "in", rows.map((r) => r.id)).execute();
  const spaces = await db.selectFrom("spaces").select(["id", "parent_space_id", "inherit_entities", "name", "labels"]).execute();
  return {
    ...base,
    policies: rows.map((r) => ({
      id: r.id, name: r.name, spaceId: r.space_id, body: r.body, regoVersion: r.rego_version as "V0" | "V1",
      autoattach: new Set(parseJson<string[]>(r.labels).filter((l) => l.startsWith(AUTOATTACH)).map((l) => l.slice(AUTOATTACH.length))),
      directStacks: new Set(direct.filter((d) => d.entity_id === r.id).map((d) => d.stack_id)),
      reads: stackFieldsRead(r.body),
    })),
    spaces: new Map(spaces.map((s) => [s.id, { id: s.id, parent: s.parent_space_id, inherit: Number(s.inherit_entities) === 1, name: s.name, labels: parseJson<string[]>(s.labels) }])),
  };
}

function requestAccess(db: Db, actor: Principal): Promise<RequestAccess> {
  const cached = perRequest.get(actor);
  const fresh = cached?.then((ra) => (Date.now() - ra.at < REQUEST_CACHE_MS ? ra : undefined));
  const next = (async () => (await fresh) ?? loadRequestAccess(db))();
  perRequest.set(actor, next);
  return next;
}

/** The space and its ancestors, nearest first (from the request's copy of the tree). */
function ancestors(spaces: Map<string, SpaceRow>, spaceId: string): SpaceRow[] {
  const out: SpaceRow[] = [];
  for (let s = spaces.get(spaceId); s && out.length < 64; s = s.parent ? spaces.get(s.parent) : undefined) out.push(s);
  return out;
}

function spaceRoleOf(actor: Principal, chain: SpaceRow[]): Role | undefined {
  const onPath = new Set(chain.map((s) => s.id));
  let best: Role | undefined;
  for (const b of actor.bindings) if (onPath.has(b.spaceId) && (!best || roleRank[b.role] > roleRank[best])) best = b.role;
  return best;
}

/** Same rule as auto-attach everywhere else: in reach (own space, or inherited from above) and labelled or attached. */
function applies(p: AccessPolicy, stack: StackDocumentRow, labels: string[], chain: SpaceRow[]): boolean {
  const reach: string[] = [];
  for (const s of chain) {
    reach.push(s.id);
    if (!s.inherit) break;
  }
  if (!reach.includes(p.spaceId)) return false;
  return p.directStacks.has(stack.id) || p.autoattach.has("*") || labels.some((l) => p.autoattach.has(l));
}

/** Policies whose answer can differ between any two stacks (they read the whole stack, or its contexts). */
const readsPerStack = (p: AccessPolicy) => p.reads === "all" || p.reads.has("contexts");

const isExempt = (actor: Principal) =>
  // Root admins are above ACCESS policies (Spacelift's rule); administrative runs act with the
  // admin role their stack's space admin gave them, which policies written for people must not cut.
  actor.kind === "run" || actor.bindings.some((b) => b.spaceId === "root" && b.role === "admin");

/** ACCESS policies: a caller's role on a stack is its space role, widened or narrowed by them. */
export function stackAccess(core: Core) {
  async function evaluate(db: Db, ra: RequestAccess, actor: Principal, p: AccessPolicy, stack: StackDocumentRow, shared: Record<string, unknown>): Promise<AccessSaid> {
    // A stack's contexts come from its own attachments, so a policy reading them is asked per stack.
    const ctxNeeded = readsPerStack(p);
    const key = ctxNeeded ? `${p.id}\0#${stack.id}` : `${p.id}\0${JSON.stringify([...(p.reads as ReadonlySet<string>)].map((f) => shared[f]))}`;
    let said = ra.said.get(key);
    if (said) return said;
    said = (async (): Promise<AccessSaid> => {
      const doc = ctxNeeded ? { ...shared, contexts: (await explainStack(db, stack)).contexts.map((c) => c.id) } : shared;
      const session = await (ra.session ??= sessionDocument(db, actor));
      if (!core.policyEngine) return { read: false, write: false, deny: [], denyWrite: [], error: "this server has no policy engine" };
      try {
        const value = await core.policyEngine.evaluate([{ file: `${p.id}.rego`, body: p.body, regoVersion: p.regoVersion }], "data.spacelift", { request: ra.request, session, stack: doc });
        return { read: messages(value, "read").length > 0, write: messages(value, "write").length > 0, deny: messages(value, "deny"), denyWrite: messages(value, "deny_write") };
      } catch (err) {
        return { read: false, write: false, deny: [], denyWrite: [], error: (err as Error).message };
      }
    })();
    ra.said.set(key, said);
    return said;
  }

  /** An evaluation error is logged and audited once per request and policy: it denies writes, loudly. */
  async function reportError(db: Db, ra: RequestAccess, actor: Principal, p: AccessPolicy, stack: StackDocumentRow, error: string) {
    if (ra.reportedErrors.has(p.id)) return;
    ra.reportedErrors.add(p.id);
    core.log.warn({ policy: p.id, stack: stack.id, err: error }, "access policy failed to evaluate; writes are refused");
    await recordAudit(db, actor, { action: "policy.access.error", targetType: "policy", targetId: p.id, spaceId: p.spaceId, payload: { policyName: p.name, stackId: stack.id, error } });
  }

  function decideWith(db: Db, ra: RequestAccess, actor: Principal, stack: StackDocumentRow): Promise<StackDecision> {
    let place = ra.chains.get(stack.space_id);
    if (!place) {
      const chain = ancestors(ra.spaces, stack.space_id);
      place = { chain, spaceRole: spaceRoleOf(actor, chain) };
      ra.chains.set(stack.space_id, place);
    }
    const { chain, spaceRole } = place;
    const labels = parseJson<string[]>(stack.labels);
    const applied = ra.policies.filter((p) => applies(p, stack, labels, chain));
    if (applied.length === 0 || chain.length === 0) return Promise.resolve({ role: spaceRole, spaceRole, limits: [], grants: [] });
    const space = chain[0]!;
    const doc = stackDocument(stack, {
      space: { id: space.id, name: space.name, labels: space.labels },
      pool: { id: stack.worker_pool_id, name: null, public: !stack.worker_pool_id },
      contexts: [],
    }) as Record<string, unknown>;
    // Stacks in one space that agree on every field the applied policies read get one decision:
    // a page of a 10,000-stack list is then a few evaluations and map lookups, not thousands.
    if (applied.some(readsPerStack)) return decideFor(db, ra, actor, stack, applied, spaceRole, doc);
    const fields = new Set(applied.flatMap((p) => [...(p.reads as ReadonlySet<string>)]));
    const key = `${stack.space_id}\0${applied.map((p) => p.id).join(",")}\0${JSON.stringify([...fields].map((f) => doc[f]))}`;
    let decided = ra.decisions.get(key);
    if (!decided) {
      decided = decideFor(db, ra, actor, stack, applied, spaceRole, doc);
      ra.decisions.set(key, decided);
    }
    return decided;
  }

  async function decideFor(db: Db, ra: RequestAccess, actor: Principal, stack: StackDocumentRow, applied: AccessPolicy[], spaceRole: Role | undefined, doc: Record<string, unknown>): Promise<StackDecision> {
    const decision: StackDecision = { role: spaceRole, spaceRole, limits: [], grants: [] };
    let denied = false;
    let capWrite = false;
    let granted: Role | undefined;
    const said = await Promise.all(applied.map((p) => evaluate(db, ra, actor, p, stack, doc)));
    for (const [i, s] of said.entries()) {
      const p = applied[i]!;
      if (s.error) {
        capWrite = true;
        decision.limits.push(`access policy ${p.name} failed to evaluate (${s.error}), so writes are refused until it is fixed`);
        await reportError(db, ra, actor, p, stack, s.error);
        continue;
      }
      if (s.deny.length > 0) {
        denied = true;
        decision.limits.push(`access policy ${p.name} denies access: ${s.deny.join("; ")}`);
      }
      if (s.denyWrite.length > 0) {
        capWrite = true;
        decision.limits.push(`access policy ${p.name} denies writing: ${s.denyWrite.join("; ")}`);
      }
      const g: Role | undefined = s.write ? "write" : s.read ? "read" : undefined;
      if (g && (!granted || roleRank[g] > roleRank[granted])) granted = g;
      if (g && (!spaceRole || roleRank[g] > roleRank[spaceRole])) decision.grants.push(`${p.name} grants ${g}`);
    }
    if (granted && (!decision.role || roleRank[granted] > roleRank[decision.role])) decision.role = granted;
    if (capWrite && decision.role && roleRank[decision.role] > roleRank.read) decision.role = "read";
    if (denied) decision.role = undefined;
    return decision;
  }

  async function decide(db: Db, actor: Principal, stack: StacksTable): Promise<StackDecision> {
    const ra = await requestAccess(db, actor);
    if (isExempt(actor) || ra.policies.length === 0) {
      const role = ra.policies.length === 0 ? await spaceRoleFromDb(db, actor, stack.space_id) : spaceRoleOf(actor, ancestors(ra.spaces, stack.space_id));
      return { role, spaceRole: role, limits: [], grants: [] };
    }
    return decideWith(db, ra, actor, stack);
  }

  return {
    decide,

    /** Throws `forbidden`, with the policies' reasons, unless the caller holds `role` on the stack. */
    async require(db: Db, actor: Principal, stack: StacksTable, role: Role, action: string): Promise<StackDecision> {
      const d = await decide(db, actor, stack);
      if (!d.role || roleRank[d.role] < roleRank[role]) {
        const why = d.limits.length > 0 ? `: ${d.limits.join("; ")}` : "";
        throw forbidden(`${action} needs the ${role} role on stack ${JSON.stringify(stack.id)} (space ${JSON.stringify(stack.space_id)}); you have ${d.role ? `only ${d.role}` : "no role"} there${why}`);
      }
      return d;
    },

    /** True when ACCESS policies may change someone's view of stacks (so lists must be filtered row by row). */
    async policiesApply(db: Db, actor: Principal): Promise<boolean> {
      return !isExempt(actor) && (await requestAccess(db, actor)).policies.length > 0;
    },

    /** The stacks among `rows` the caller may read, in order. */
    async readable<T extends StackDocumentRow>(db: Db, actor: Principal, rows: T[]): Promise<T[]> {
      const ra = await requestAccess(db, actor);
      if (isExempt(actor) || ra.policies.length === 0) {
        const spaces = await new Authorizer(new SpaceTree(db)).spacesWith(actor, "read");
        if (spaces === "all") return rows;
        const set = new Set(spaces);
        return rows.filter((r) => set.has(r.space_id));
      }
      const out: T[] = [];
      for (const r of rows) if ((await decideWith(db, ra, actor, r)).role) out.push(r);
      return out;
    },
  };
}

const spaceRoleFromDb = (db: Db, actor: Principal, spaceId: string): Promise<Role | undefined> => new Authorizer(new SpaceTree(db)).roleIn(actor, spaceId);

export type StackAccess = ReturnType<typeof stackAccess>;
