import type { CreatePolicy, Policy, UpdatePolicy } from "@gantry/contract";
import type { z } from "zod";
import { entityCrud } from "../attachments/entity-service.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, type Core } from "../core.js";
import { now, parseJson } from "../db/rows.js";
import type { PoliciesTable } from "../db/schema.js";
import { slugify } from "../slug.js";

export function policyFromRow(r: PoliciesTable): Policy {
  return {
    id: r.id, name: r.name, description: r.description, type: r.type as Policy["type"], body: r.body, spaceId: r.space_id,
    labels: parseJson(r.labels), regoVersion: r.rego_version as Policy["regoVersion"], createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/**
 * Checks a policy body before it is stored; throws an `invalid` AppError with row/col details
 * when it does not compile. Supplied by the Rego engine integration.
 */
export type PolicyChecker = (body: string, regoVersion: "V0" | "V1", file: string) => void;

/** Policies: Rego documents evaluated at each step of a run or request. */
export function policyService(core: Core, check: PolicyChecker = () => {}) {
  const crud = entityCrud<PoliciesTable, Policy>(core, "policy", policyFromRow);
  return {
    load: crud.load,
    list: (actor: Principal, q: { limit: number; cursor?: string; type?: string }) => crud.list(actor, { ...q, where: q.type ? { type: q.type } : {} }),
    get: crud.get,
    create(actor: Principal, input: z.output<typeof CreatePolicy>) {
      const at = now();
      const id = input.id ?? slugify(input.name);
      check(input.body, input.regoVersion, `${id}.rego`);
      const row: PoliciesTable = {
        id, name: input.name, description: input.description, type: input.type, body: input.body, space_id: input.spaceId,
        labels: JSON.stringify([...new Set(input.labels)]), rego_version: input.regoVersion, created_at: at, updated_at: at,
      };
      return inTransaction(core.db, (trx) => crud.insert(trx, actor, row, input));
    },
    update(actor: Principal, id: string, input: z.output<typeof UpdatePolicy>) {
      return crud.change(actor, id, input, (row) => {
        const next: PoliciesTable = {
          ...row,
          name: input.name ?? row.name,
          description: input.description ?? row.description,
          body: input.body ?? row.body,
          space_id: input.spaceId ?? row.space_id,
          labels: input.labels ? JSON.stringify([...new Set(input.labels)]) : row.labels,
          rego_version: input.regoVersion ?? row.rego_version,
          updated_at: now(),
        };
        if (input.body !== undefined || input.regoVersion !== undefined) check(next.body, next.rego_version as "V0" | "V1", `${id}.rego`);
        return next;
      });
    },
    delete: (actor: Principal, id: string) => crud.remove(actor, id),
  };
}
