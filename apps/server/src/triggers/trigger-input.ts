import type { StackAccess } from "../access/stack-access.js";
import { sessionDocument } from "../access/session-document.js";
import type { Binding, Principal } from "../auth/principal.js";
import type { Db } from "../db/connect.js";
import { parseJson, toBool } from "../db/rows.js";
import type { RunsTable, StacksTable } from "../db/schema.js";
import { documentContext, runDocument, stackDocument } from "../runs/policy-documents.js";
import { userBindings } from "../users/authenticate.js";

/**
 * Who a run's TRIGGER policies act for: the person who created the run (its `triggered_by`
 * username, with the roles they hold now), so a policy can never start a run its creator could
 * not. Runs from VCS events have no person behind them; they act with write on their own
 * stack's space, which is what the push could already start runs in.
 */
export async function runCreator(db: Db, run: RunsTable, stack: StacksTable): Promise<Principal> {
  const user = await db.selectFrom("users").select(["id", "username", "display_name", "disabled"]).where("username", "=", run.triggered_by).executeTakeFirst();
  if (user && !toBool(user.disabled)) {
    return { kind: "user", id: user.id, name: user.username, displayName: user.display_name, bindings: await userBindings(db, user.id) };
  }
  const bindings: Binding[] = user ? [] : [{ spaceId: stack.space_id, role: "write" }];
  return { kind: "run", id: `${run.triggered_by}@${stack.id}`, name: run.triggered_by, bindings, stackId: stack.id };
}

/**
 * Spacelift's `trigger` input: the run that ended (with its creator's session), its stack, and
 * `stacks`, every stack the creator may read (labels, space, state, queued runs). The entries
 * of `stacks` carry no `contexts`: working them out is a query per stack, and trigger policies
 * choose stacks by labels and state.
 */
export async function triggerPolicyInput(db: Db, access: StackAccess, run: RunsTable, stack: StacksTable, creator: Principal) {
  const all = await db.selectFrom("stacks").selectAll().where("module_id", "is", null).orderBy("id").execute();
  const visible = await access.readable(db, creator, all);
  const spaces = new Map((await db.selectFrom("spaces").select(["id", "name", "labels"]).execute()).map((s) => [s.id, { id: s.id, name: s.name, labels: parseJson<string[]>(s.labels) }]));
  const queued = new Map(
    (await db.selectFrom("runs").select("stack_id").select((eb) => eb.fn.countAll<number>().as("n")).where("state", "=", "QUEUED").groupBy("stack_id").execute()).map((r) => [r.stack_id, Number(r.n)]),
  );
  const stacks = visible.map((s) => ({
    ...stackDocument(s, { space: spaces.get(s.space_id) ?? { id: s.space_id, name: s.space_id, labels: [] }, pool: { id: s.worker_pool_id, name: null, public: !s.worker_pool_id }, contexts: [] }),
    queued_runs: queued.get(s.id) ?? 0,
  }));
  const runDoc = { ...runDocument(run, stack), creator_session: await sessionDocument(db, creator) };
  return { input: { run: runDoc, stack: stackDocument(stack, await documentContext(db, stack)), stacks, workflow: [] }, visible: new Map(visible.map((s) => [s.id, s])) };
}
