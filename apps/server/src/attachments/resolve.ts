import type { AppliedEntity, AttachableKind, AttachmentReason, StackExplanation } from "@gantry/contract";
import { sql } from "kysely";
import type { Db } from "../db/connect.js";
import { parseJson } from "../db/rows.js";
import { SpaceTree } from "../spaces/tree.js";
import { attachableKinds, attachableTables, AUTOATTACH } from "./kinds.js";

/** The id prefix of a module's host stack (`module:<module id>`; `:` is never in a stack slug). */
const MODULE_STACK_PREFIX = "module:";
/** Policy types never evaluated for a module: it is not pushed to as a stack (GIT_PUSH) and runs no tasks (TASK). */
const NOT_FOR_MODULES = new Set(["GIT_PUSH", "TASK"]);

interface Candidate { id: string; name: string; space_id: string; labels: string; type?: string }

/**
 * Works out every context, policy and integration that applies to a stack, and why: a direct
 * attachment, or an `autoattach:<label>` / `autoattach:*` label, from the stack's own space or
 * a space above it that the path inherits from. This is the one place that decides; runs and
 * `explain` both read it.
 */
export async function explainStack(db: Db, stack: { id: string; space_id: string; labels: string; module_id?: string | null }): Promise<StackExplanation> {
  // A module's host stack (`module:<id>`, see modules/module-stack.ts) takes no pushes and no tasks.
  const forModule = Boolean(stack.module_id) || stack.id.startsWith(MODULE_STACK_PREFIX);
  const reach = await new SpaceTree(db).reachingSpaces(stack.space_id);
  const reachIds = reach.map((s) => s.id);
  const stackLabels = new Set(parseJson<string[]>(stack.labels));
  const direct = await db.selectFrom("attachments").selectAll().where("stack_id", "=", stack.id).execute();
  const out: StackExplanation = { stackId: stack.id, spaceId: stack.space_id, contexts: [], policies: [], integrations: [], hints: [] };
  for (const l of stackLabels) {
    if (l.startsWith(AUTOATTACH)) out.hints!.push({ kind: "autoattach_label_on_stack", entityId: null, message: `stack label ${l} does nothing on a stack: autoattach labels go on policies, contexts and integrations; give the stack the label ${JSON.stringify(l.slice(AUTOATTACH.length))} to match them` });
  }

  for (const kind of attachableKinds) {
    const table = attachableTables[kind].table;
    const typeCol = kind === "policy" ? sql`, type` : sql``;
    const { rows } = await sql<Candidate>`select id, name, space_id, labels ${typeCol} from ${sql.table(table)} where space_id in (${sql.join(reachIds)})`.execute(db);
    const directOfKind = new Map(direct.filter((a) => a.kind === kind).map((a) => [a.entity_id, a]));
    const applied: AppliedEntity[] = [];
    for (const c of rows) {
      const reasons: AttachmentReason[] = [];
      const att = directOfKind.get(c.id);
      if (att) reasons.push({ kind: "direct", priority: att.priority });
      for (const label of parseJson<string[]>(c.labels)) {
        if (!label.startsWith(AUTOATTACH)) continue;
        const wanted = label.slice(AUTOATTACH.length);
        if (wanted === "*") reasons.push({ kind: "label", label, stackLabel: null });
        else if (stackLabels.has(wanted)) reasons.push({ kind: "label", label, stackLabel: wanted });
      }
      // Login policies govern who may log in, instance-wide; they never apply to a stack.
      if (c.type === "LOGIN") continue;
      // Nothing evaluates these for a module, so they are not shown as applying to one.
      if (forModule && c.type && NOT_FOR_MODULES.has(c.type)) continue;
      if (reasons.length === 0) {
        const wanted = parseJson<string[]>(c.labels).filter((l) => l.startsWith(AUTOATTACH)).map((l) => l.slice(AUTOATTACH.length));
        if (wanted.length > 0) {
          const noun = c.type ? `${c.type} policy` : kind === "context" ? "context" : "integration";
          out.hints!.push({ kind: "unmatched_autoattach", entityId: c.id, message: `${noun} ${c.id} (space ${c.space_id}) reaches this stack but auto-attaches only to stacks labelled ${wanted.join(", ")}: did you mean label ${wanted[0]} on the stack?` });
        }
        continue;
      }
      applied.push({
        kind,
        id: c.id,
        name: c.name,
        spaceId: c.space_id,
        throughSpaces: reachIds.slice(0, reachIds.indexOf(c.space_id) + 1),
        reasons,
        order: null,
        type: c.type ?? null,
      });
    }
    sortApplied(kind, applied, directOfKind);
    if (kind === "context") out.contexts = applied;
    else if (kind === "policy") out.policies = applied;
    else out.integrations = applied;
  }
  return out;
}

/**
 * Context precedence: direct attachments first by priority (0 wins), then auto-attached ones by
 * name. `order` 1 wins over 2 where both set the same variable or file; the stack's own
 * variables and files win over every context.
 */
function sortApplied(kind: AttachableKind, applied: AppliedEntity[], direct: Map<string, { priority: number }>): void {
  const prio = (e: AppliedEntity) => direct.get(e.id)?.priority ?? Number.POSITIVE_INFINITY;
  applied.sort((a, b) => prio(a) - prio(b) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  if (kind === "context") applied.forEach((e, i) => (e.order = i + 1));
}
