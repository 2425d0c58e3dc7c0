import type { CreateStackDependencyReference, StackDependencies, StackDependency, StackDependencyReference } from "@gantry/contract";
import { MASKED_OUTPUT } from "@gantry/contract";
import { sql } from "kysely";
import { ulid } from "ulid";
import type { z } from "zod";
import { recordAudit } from "../audit/recorder.js";
import type { Principal } from "../auth/principal.js";
import { scoped } from "../core.js";
import type { Db } from "../db/connect.js";
import { fromBool, now } from "../db/rows.js";
import type { StacksTable } from "../db/schema.js";
import { AppError, conflict, invalidField, notFound } from "../errors.js";
import type { RunEngine } from "../runs/engine.js";
import type { RunService } from "../runs/service.js";
import { cycleIfAdded, downstreamInOrder } from "./graph.js";
import { organisationGraph } from "./organisation-graph.js";
import { readAppliedOutputs } from "./outputs.js";
import { allEdges, dependenciesWithReferences, referenceFromRow } from "./repository.js";

/** Advisory lock key serializing dependency additions, so two concurrent ones cannot close a cycle together ("gdeps"). */
const GRAPH_LOCK = 0x6764657073;

async function loadStack(db: Db, id: string): Promise<StacksTable> {
  const row = await db.selectFrom("stacks").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("stack", id);
  return row;
}

/** Stack dependencies, output references, outputs and deploys with dependents, for people and tools. */
export function dependencyService(engine: RunEngine, runs: Pick<RunService, "enqueue">) {
  const { db, dialect } = engine.core;

  async function loadDependency(d: Db, stackId: string, dependencyId: string) {
    const row = await d.selectFrom("stack_dependencies").selectAll().where("id", "=", dependencyId).where("stack_id", "=", stackId).executeTakeFirst();
    if (!row) throw notFound(`dependency of stack ${JSON.stringify(stackId)}`, dependencyId);
    return row;
  }

  async function loadReference(d: Db, stackId: string, referenceId: string) {
    const row = await d
      .selectFrom("stack_dependency_references as r")
      .innerJoin("stack_dependencies as d", "d.id", "r.dependency_id")
      .selectAll("r")
      .where("r.id", "=", referenceId)
      .where("d.stack_id", "=", stackId)
      .executeTakeFirst();
    if (!row) throw notFound(`output reference of stack ${JSON.stringify(stackId)}`, referenceId);
    return row;
  }

  return {
    /** Every dependency between stacks the caller can read, filtered by space or label. */
    organisationGraph: (actor: Principal, filter: { spaceId?: string; label?: string }) => organisationGraph(engine.core, actor, filter),

    async create(actor: Principal, stackId: string, input: { dependsOnStackId: string }): Promise<StackDependency> {
      return engine.tx(async (trx) => {
        const { authz } = scoped(trx);
        const stack = await loadStack(trx, stackId);
        await authz.require(actor, stack.space_id, "write", "adding a dependency to a stack");
        const upstream = await trx.selectFrom("stacks").selectAll().where("id", "=", input.dependsOnStackId).executeTakeFirst();
        if (!upstream) throw invalidField(["dependsOnStackId"], `stack ${JSON.stringify(input.dependsOnStackId)} does not exist`);
        await authz.require(actor, upstream.space_id, "read", "depending on a stack");
        if (dialect === "postgres") await sql`select pg_advisory_xact_lock(${GRAPH_LOCK})`.execute(trx);
        const cycle = cycleIfAdded(await allEdges(trx), { stack: stack.id, upstream: upstream.id });
        if (cycle) {
          // `issues` puts the refusal at the field a form shows it next to; `cycle` is the path itself, for tools.
          throw new AppError("conflict", `stack ${JSON.stringify(stack.id)} cannot depend on ${JSON.stringify(upstream.id)}: it would close the cycle ${cycle.join(" -> ")}; stack dependencies must form a DAG`, {
            cycle, issues: [{ path: ["dependsOnStackId"], message: `would close the cycle ${cycle.join(" -> ")}: stack dependencies must form a DAG` }],
          });
        }
        const existing = await trx.selectFrom("stack_dependencies").select("id").where("stack_id", "=", stack.id).where("depends_on_stack_id", "=", upstream.id).executeTakeFirst();
        if (existing) {
          throw new AppError("already_exists", `stack ${JSON.stringify(stack.id)} already depends on ${JSON.stringify(upstream.id)} (dependency ${existing.id})`, {
            issues: [{ path: ["dependsOnStackId"], message: `already a dependency (${existing.id})` }],
          });
        }
        const row = { id: ulid(), stack_id: stack.id, depends_on_stack_id: upstream.id, created_at: now() };
        await trx.insertInto("stack_dependencies").values(row).execute();
        await recordAudit(trx, actor, { action: "stack.dependency.create", targetType: "stack", targetId: stack.id, spaceId: stack.space_id, payload: { dependencyId: row.id, dependsOnStackId: upstream.id } });
        return (await dependenciesWithReferences(trx, [row]))[0]!;
      });
    },

    /** Upstream dependencies of the stack, and the downstream ones whose stacks the caller can read. */
    async list(actor: Principal, stackId: string): Promise<z.output<typeof StackDependencies>> {
      const { authz } = scoped(db);
      const stack = await loadStack(db, stackId);
      await authz.require(actor, stack.space_id, "read", "reading a stack's dependencies");
      const up = await db.selectFrom("stack_dependencies").selectAll().where("stack_id", "=", stackId).orderBy("id").execute();
      const down = await db
        .selectFrom("stack_dependencies as d")
        .innerJoin("stacks as s", "s.id", "d.stack_id")
        .selectAll("d")
        .select("s.space_id")
        .where("d.depends_on_stack_id", "=", stackId)
        .orderBy("d.id")
        .execute();
      const readable = [];
      for (const d of down) if (await authz.roleIn(actor, d.space_id)) readable.push(d);
      return { dependsOn: await dependenciesWithReferences(db, up), dependents: await dependenciesWithReferences(db, readable) };
    },

    async get(actor: Principal, stackId: string, dependencyId: string): Promise<StackDependency> {
      const stack = await loadStack(db, stackId);
      await scoped(db).authz.require(actor, stack.space_id, "read", "reading a stack's dependencies");
      return (await dependenciesWithReferences(db, [await loadDependency(db, stackId, dependencyId)]))[0]!;
    },

    async delete(actor: Principal, stackId: string, dependencyId: string): Promise<void> {
      await engine.tx(async (trx) => {
        const stack = await loadStack(trx, stackId);
        await scoped(trx).authz.require(actor, stack.space_id, "write", "removing a stack's dependency");
        const dep = await loadDependency(trx, stackId, dependencyId);
        await trx.deleteFrom("stack_dependency_references").where("dependency_id", "=", dep.id).execute();
        await trx.deleteFrom("stack_dependencies").where("id", "=", dep.id).execute();
        await recordAudit(trx, actor, { action: "stack.dependency.delete", targetType: "stack", targetId: stack.id, spaceId: stack.space_id, payload: { dependencyId: dep.id, dependsOnStackId: dep.depends_on_stack_id } });
      });
    },

    async createReference(actor: Principal, stackId: string, input: z.output<typeof CreateStackDependencyReference>): Promise<StackDependencyReference> {
      return engine.tx(async (trx) => {
        const stack = await loadStack(trx, stackId);
        await scoped(trx).authz.require(actor, stack.space_id, "write", "adding an output reference to a stack");
        const dep = await trx.selectFrom("stack_dependencies").selectAll().where("id", "=", input.dependencyId).where("stack_id", "=", stackId).executeTakeFirst();
        if (!dep) throw invalidField(["dependencyId"], `stack ${JSON.stringify(stackId)} has no dependency ${JSON.stringify(input.dependencyId)}: add one with POST /api/v1/stacks/${stackId}/dependencies first`);
        // One value per variable: two references setting the same name would race on which wins.
        const clash = await trx
          .selectFrom("stack_dependency_references as r")
          .innerJoin("stack_dependencies as d", "d.id", "r.dependency_id")
          .select(["r.id", "d.depends_on_stack_id"])
          .where("d.stack_id", "=", stackId)
          .where("r.input_name", "=", input.inputName)
          .executeTakeFirst();
        if (clash) throw new AppError("already_exists", `inputName: stack ${JSON.stringify(stackId)} already sets ${input.inputName} from an output of ${JSON.stringify(clash.depends_on_stack_id)} (reference ${clash.id}): remove it first or pick another name`, { issues: [{ path: ["inputName"], message: "already set by another reference" }] });
        const row = { id: ulid(), dependency_id: dep.id, output_name: input.outputName, input_name: input.inputName, trigger_always: fromBool(input.triggerAlways), created_at: now() };
        await trx.insertInto("stack_dependency_references").values(row).execute();
        await recordAudit(trx, actor, { action: "stack.dependency.reference.create", targetType: "stack", targetId: stack.id, spaceId: stack.space_id, payload: { referenceId: row.id, dependencyId: dep.id, outputName: row.output_name, inputName: row.input_name } });
        return referenceFromRow(row);
      });
    },

    async getReference(actor: Principal, stackId: string, referenceId: string): Promise<StackDependencyReference> {
      const stack = await loadStack(db, stackId);
      await scoped(db).authz.require(actor, stack.space_id, "read", "reading a stack's dependencies");
      return referenceFromRow(await loadReference(db, stackId, referenceId));
    },

    async deleteReference(actor: Principal, stackId: string, referenceId: string): Promise<void> {
      await engine.tx(async (trx) => {
        const stack = await loadStack(trx, stackId);
        await scoped(trx).authz.require(actor, stack.space_id, "write", "removing an output reference");
        const ref = await loadReference(trx, stackId, referenceId);
        await trx.deleteFrom("stack_dependency_references").where("id", "=", ref.id).execute();
        await recordAudit(trx, actor, { action: "stack.dependency.reference.delete", targetType: "stack", targetId: stack.id, spaceId: stack.space_id, payload: { referenceId: ref.id, outputName: ref.output_name, inputName: ref.input_name } });
      });
    },

    /** Name to value of the latest applied outputs; sensitive values never leave the server. */
    async outputs(actor: Principal, stackId: string): Promise<Record<string, unknown>> {
      const stack = await loadStack(db, stackId);
      await scoped(db).authz.require(actor, stack.space_id, "read", "reading a stack's outputs");
      const applied = await readAppliedOutputs(db, engine.blobs, stackId);
      return Object.fromEntries(Object.entries(applied?.outputs ?? {}).map(([k, o]) => [k, o.sensitive ? MASKED_OUTPUT : o.value]));
    },

    /**
     * A tracked run of the stack and, with dependents, one of every stack downstream, queued in
     * dependency order in one transaction (all or none). Each downstream run waits in QUEUED for
     * its upstreams, and is skipped if one of them fails.
     */
    async deploy(actor: Principal, stackId: string, input: { withDependents: boolean }): Promise<{ runIds: string[] }> {
      return engine.tx(async (trx, out) => {
        const { authz } = scoped(trx);
        const stack = await loadStack(trx, stackId);
        await authz.require(actor, stack.space_id, "write", "deploying a stack");
        const order = input.withDependents ? downstreamInOrder(await allEdges(trx), stack.id) : [];
        const targets = [stack];
        for (const id of order) {
          const s = await loadStack(trx, id);
          const role = await authz.roleIn(actor, s.space_id);
          if (role !== "write" && role !== "admin") throw new AppError("forbidden", `deploying with dependents triggers a run of ${JSON.stringify(s.id)}, which needs the write role in space ${JSON.stringify(s.space_id)}; you have ${role ? `only ${role}` : "no role"} there: deploy without --with-dependents or ask for the role`);
          targets.push(s);
        }
        const runIds: string[] = [];
        for (const s of targets) {
          if (s.locked_by && s.locked_by !== actor.id) throw conflict(`stack ${JSON.stringify(s.id)} is locked by ${s.locked_by}: nothing was queued; unlock it or deploy without it`);
          runIds.push((await runs.enqueue(trx, out, actor, s, { type: "TRACKED", commitSha: null, command: null })).id);
        }
        return { runIds };
      });
    },
  };
}

export type DependencyService = ReturnType<typeof dependencyService>;
