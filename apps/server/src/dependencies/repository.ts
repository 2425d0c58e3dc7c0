import type { StackDependency, StackDependencyReference } from "@gantry/contract";
import type { Db } from "../db/connect.js";
import { toBool } from "../db/rows.js";
import type { StackDependenciesTable, StackDependencyReferencesTable } from "../db/schema.js";
import type { DependencyEdge } from "./graph.js";

export function referenceFromRow(r: StackDependencyReferencesTable): StackDependencyReference {
  return { id: r.id, dependencyId: r.dependency_id, outputName: r.output_name, inputName: r.input_name, triggerAlways: toBool(r.trigger_always), createdAt: r.created_at };
}

/** The dependencies with their references, in the order given. */
export async function dependenciesWithReferences(db: Db, rows: StackDependenciesTable[]): Promise<StackDependency[]> {
  if (rows.length === 0) return [];
  const refs = await db.selectFrom("stack_dependency_references").selectAll().where("dependency_id", "in", rows.map((r) => r.id)).orderBy("id").execute();
  return rows.map((r) => ({
    id: r.id,
    stackId: r.stack_id,
    dependsOnStackId: r.depends_on_stack_id,
    references: refs.filter((x) => x.dependency_id === r.id).map(referenceFromRow),
    createdAt: r.created_at,
  }));
}

/** Every edge of the graph. Small (one row per dependency), read whole for cycle checks and walks. */
export async function allEdges(db: Db): Promise<DependencyEdge[]> {
  const rows = await db.selectFrom("stack_dependencies").select(["stack_id", "depends_on_stack_id"]).execute();
  return rows.map((r) => ({ stack: r.stack_id, upstream: r.depends_on_stack_id }));
}

/** The stacks `stackId` depends on directly. */
export async function directUpstreams(db: Db, stackId: string): Promise<string[]> {
  const rows = await db.selectFrom("stack_dependencies").select("depends_on_stack_id").where("stack_id", "=", stackId).execute();
  return rows.map((r) => r.depends_on_stack_id);
}

/** The references of every dependency of `stackId` (as downstream), with the upstream stack of each. */
export async function referencesOfStack(db: Db, stackId: string): Promise<(StackDependencyReferencesTable & { upstream: string })[]> {
  return db
    .selectFrom("stack_dependency_references as r")
    .innerJoin("stack_dependencies as d", "d.id", "r.dependency_id")
    .selectAll("r")
    .select("d.depends_on_stack_id as upstream")
    .where("d.stack_id", "=", stackId)
    .orderBy("r.id")
    .execute();
}
