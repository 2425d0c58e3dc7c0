import type { CreatePolicy, Policy, UpdatePolicy } from "@gantry/contract";
import type { z } from "zod";
import { entityCrud } from "../attachments/entity-service.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, scoped, type Core } from "../core.js";
import type { Db } from "../db/connect.js";
import { invalidField } from "../errors.js";
import { now, parseJson } from "../db/rows.js";
import type { PoliciesTable } from "../db/schema.js";
import { slugify } from "../slug.js";
import { stackAccess } from "../access/stack-access.js";
import { requirePolicyTestsPass } from "./policy-tests.js";
import { simulatePolicy, type SimulationRequest } from "./simulate.js";
import { keepPolicyBody, policyVersion } from "./policy-version.js";
import { checkPolicyCompiles } from "./rego-check.js";
import { chooseRegoVersion } from "./rego-version-detect.js";

export function policyFromRow(r: PoliciesTable): Policy {
  return {
    id: r.id, name: r.name, description: r.description, type: r.type as Policy["type"], body: r.body, spaceId: r.space_id,
    labels: parseJson(r.labels), regoVersion: r.rego_version as Policy["regoVersion"],
    tests: r.tests, version: policyVersion(r.body, r.rego_version), createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/**
 * Checks a policy body before it is stored; throws an `invalid` AppError with row/col details
 * when it does not compile. The default compiles it with Gantry's Rego engine.
 */
export type PolicyChecker = (body: string, regoVersion: "V0" | "V1", file: string, type: string) => void;

/**
 * Login policies decide who gets which roles anywhere, so they live in the root space and only
 * root admins write them; a space admin must not be able to grant themselves the world.
 */
async function guardLoginPolicy(db: Db, actor: Principal, type: string, spaceId: string): Promise<void> {
  if (type !== "LOGIN") return;
  if (spaceId !== "root") throw invalidField(["spaceId"], "login policies apply to the whole instance: keep them in the root space");
  await scoped(db).authz.require(actor, "root", "admin", "writing a login policy");
}

/** Policies: Rego documents evaluated at each step of a run or request. */
export function policyService(core: Core, check: PolicyChecker = checkPolicyCompiles) {
  const crud = entityCrud<PoliciesTable, Policy>(core, "policy", policyFromRow);
  const access = stackAccess(core);
  return {
    load: crud.load,
    list: (actor: Principal, q: { limit: number; cursor?: string; type?: string }) => crud.list(actor, { ...q, where: q.type ? { type: q.type } : {} }),
    get: crud.get,
    async create(actor: Principal, input: z.output<typeof CreatePolicy>) {
      const at = now();
      const id = input.id ?? slugify(input.name);
      // Authorize before compiling: the compiler is not a service for anyone who asks.
      await scoped(core.db).authz.require(actor, input.spaceId, "admin", "creating a policy");
      await guardLoginPolicy(core.db, actor, input.type, input.spaceId);
      const { regoVersion, warnings } = chooseRegoVersion({ body: input.body, tests: input.tests, file: `${id}.rego`, type: input.type }, input.regoVersion, "V1");
      check(input.body, regoVersion, `${id}.rego`, input.type);
      requirePolicyTestsPass({ id, body: input.body, regoVersion, type: input.type, tests: input.tests });
      const row: PoliciesTable = {
        id, name: input.name, description: input.description, type: input.type, body: input.body, space_id: input.spaceId,
        labels: JSON.stringify([...new Set(input.labels)]), rego_version: regoVersion, tests: input.tests, created_at: at, updated_at: at,
      };
      const created = await inTransaction(core.db, async (trx) => {
        const out = await crud.insert(trx, actor, row, { ...input, regoVersion });
        await keepPolicyBody(trx, id, row.body, row.rego_version, at);
        return out;
      });
      return warnings.length ? { ...created, warnings } : created;
    },
    async update(actor: Principal, id: string, input: z.output<typeof UpdatePolicy>) {
      let warnings: string[] = [];
      const updated = await crud.change(actor, id, input, async (row, trx) => {
        await guardLoginPolicy(trx, actor, row.type, input.spaceId ?? row.space_id);
        // A new body without a version may be the other syntax (a v0 policy pasted over a v1 one).
        const chosen = input.body !== undefined
          ? chooseRegoVersion({ body: input.body, tests: input.tests ?? row.tests, file: `${id}.rego`, type: row.type }, input.regoVersion, row.rego_version as "V0" | "V1")
          : { regoVersion: input.regoVersion ?? (row.rego_version as "V0" | "V1"), warnings: [] };
        warnings = chosen.warnings;
        const next: PoliciesTable = {
          ...row,
          name: input.name ?? row.name,
          description: input.description ?? row.description,
          body: input.body ?? row.body,
          space_id: input.spaceId ?? row.space_id,
          labels: input.labels ? JSON.stringify([...new Set(input.labels)]) : row.labels,
          rego_version: chosen.regoVersion,
          tests: input.tests ?? row.tests,
          updated_at: now(),
        };
        if (input.body !== undefined || input.regoVersion !== undefined) check(next.body, next.rego_version as "V0" | "V1", `${id}.rego`, row.type);
        // The tests run on every change of what they test or of themselves: an edited body must still pass the old tests.
        if (input.body !== undefined || input.regoVersion !== undefined || input.tests !== undefined) {
          requirePolicyTestsPass({ id, body: next.body, regoVersion: next.rego_version as "V0" | "V1", type: row.type, tests: next.tests });
        }
        await keepPolicyBody(trx, id, next.body, next.rego_version, next.updated_at);
        return next;
      });
      return warnings.length ? { ...updated, warnings } : updated;
    },
    delete: (actor: Principal, id: string) => crud.remove(actor, id),
    /** What-if: the policy (or a changed body) replayed on recorded inputs; read on the policy, and on each stack replayed. */
    async simulate(actor: Principal, id: string, req: SimulationRequest) {
      await crud.get(actor, id);
      const row = await crud.load(id);
      if (req.body !== undefined) check(req.body, req.regoVersion ?? (row.rego_version as "V0" | "V1"), `${id}.rego`, row.type);
      return simulatePolicy(core, access, actor, row, req);
    },
  };
}
