import type { AwsIntegration, CreateAwsIntegration, UpdateAwsIntegration } from "@gantry/contract";
import type { z } from "zod";
import { entityCrud } from "../attachments/entity-service.js";
import type { Principal } from "../auth/principal.js";
import { inTransaction, type Core } from "../core.js";
import { fromBool, now, parseJson, toBool } from "../db/rows.js";
import type { AwsIntegrationsTable } from "../db/schema.js";
import { slugify } from "../slug.js";

export function awsIntegrationFromRow(r: AwsIntegrationsTable): AwsIntegration {
  return {
    id: r.id, name: r.name, spaceId: r.space_id, labels: parseJson(r.labels), roleArn: r.role_arn, durationSeconds: r.duration_seconds,
    generateCredentialsInWorker: toBool(r.generate_credentials_in_worker), externalId: r.external_id, region: r.region, audience: r.audience,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** AWS integrations: roles that runs assume with a short-lived web identity token. */
export function awsIntegrationService(core: Core) {
  const crud = entityCrud<AwsIntegrationsTable, AwsIntegration>(core, "aws_integration", awsIntegrationFromRow);
  return {
    list: (actor: Principal, q: { limit: number; cursor?: string }) => crud.list(actor, q),
    get: crud.get,
    create(actor: Principal, input: z.output<typeof CreateAwsIntegration>) {
      const at = now();
      const row: AwsIntegrationsTable = {
        id: input.id ?? slugify(input.name), name: input.name, space_id: input.spaceId, labels: JSON.stringify([...new Set(input.labels)]),
        role_arn: input.roleArn, duration_seconds: input.durationSeconds, generate_credentials_in_worker: fromBool(input.generateCredentialsInWorker),
        external_id: input.externalId, region: input.region, audience: input.audience, created_at: at, updated_at: at,
      };
      return inTransaction(core.db, (trx) => crud.insert(trx, actor, row, input));
    },
    update(actor: Principal, id: string, input: z.output<typeof UpdateAwsIntegration>) {
      return crud.change(actor, id, input, (row) => ({
        ...row,
        name: input.name ?? row.name,
        space_id: input.spaceId ?? row.space_id,
        labels: input.labels ? JSON.stringify([...new Set(input.labels)]) : row.labels,
        role_arn: input.roleArn ?? row.role_arn,
        duration_seconds: input.durationSeconds ?? row.duration_seconds,
        generate_credentials_in_worker: input.generateCredentialsInWorker === undefined ? row.generate_credentials_in_worker : fromBool(input.generateCredentialsInWorker),
        // null clears these; absent keeps them.
        external_id: input.externalId === undefined ? row.external_id : input.externalId,
        region: input.region === undefined ? row.region : input.region,
        audience: input.audience === undefined ? row.audience : input.audience,
        updated_at: now(),
      }));
    },
    delete: (actor: Principal, id: string) => crud.remove(actor, id),
  };
}
