import type { Context, CreateContext, UpdateContext } from "@gantry/contract";
import type { z } from "zod";
import { entityCrud } from "../attachments/entity-service.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, type Core } from "../core.js";
import { now, parseJson } from "../db/rows.js";
import type { ContextsTable } from "../db/schema.js";
import { slugify } from "../slug.js";

export function contextFromRow(r: ContextsTable): Context {
  return { id: r.id, name: r.name, description: r.description, spaceId: r.space_id, labels: parseJson(r.labels), hooks: parseJson(r.hooks), createdAt: r.created_at, updatedAt: r.updated_at };
}

/** Contexts: shared bundles of environment variables, mounted files and hooks. */
export function contextService(core: Core) {
  const crud = entityCrud<ContextsTable, Context>(core, "context", contextFromRow);
  return {
    load: crud.load,
    list: (actor: Principal, q: { limit: number; cursor?: string }) => crud.list(actor, q),
    get: crud.get,
    create(actor: Principal, input: z.output<typeof CreateContext>) {
      const at = now();
      const row: ContextsTable = {
        id: input.id ?? slugify(input.name), name: input.name, description: input.description, space_id: input.spaceId,
        labels: JSON.stringify([...new Set(input.labels)]), hooks: JSON.stringify(input.hooks), created_at: at, updated_at: at,
      };
      return inTransaction(core.db, (trx) => crud.insert(trx, actor, row, input));
    },
    update(actor: Principal, id: string, input: z.output<typeof UpdateContext>) {
      return crud.change(actor, id, input, (row) => ({
        ...row,
        name: input.name ?? row.name,
        description: input.description ?? row.description,
        space_id: input.spaceId ?? row.space_id,
        labels: input.labels ? JSON.stringify([...new Set(input.labels)]) : row.labels,
        hooks: input.hooks ? JSON.stringify(input.hooks) : row.hooks,
        updated_at: now(),
      }));
    },
    delete(actor: Principal, id: string) {
      return crud.remove(actor, id, async (trx) => {
        await trx.deleteFrom("config_elements").where("owner_type", "=", "context").where("owner_id", "=", id).execute();
      });
    },
  };
}
