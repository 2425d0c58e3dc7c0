import type { AppliedEntity, JobAwsCredentials, RunType } from "@gantry/contract";
import type { Db } from "../db/connect.js";
import { toBool } from "../db/rows.js";
import { runScope, type RunScope } from "./claims.js";
import type { OidcIssuer } from "./issuer.js";

/** What a run phase gets from the identity provider: its token and, if one applies, its AWS role. */
export interface RunCredentials {
  oidcToken: string;
  aws: JobAwsCredentials | null;
}

/**
 * Picks the AWS integration for a run's scope among those that apply to the stack (`explain`'s
 * list): a direct attachment counts for the scopes it was attached for (`read` for proposed runs,
 * `write` for the others, as Spacelift's attachment flags); an `autoattach:` label for both.
 * Direct attachments come first, then labels, each by name, so the choice is stable.
 */
export async function pickAwsIntegration(db: Db, stackId: string, applied: readonly AppliedEntity[], scope: RunScope) {
  if (applied.length === 0) return { chosen: undefined, others: [] as string[] };
  const direct = await db.selectFrom("attachments").select(["entity_id", "read", "write"]).where("stack_id", "=", stackId).where("kind", "=", "aws_integration").execute();
  const flags = new Map(direct.map((a) => [a.entity_id, { read: toBool(a.read), write: toBool(a.write) }]));
  const usable = applied.filter((e) => {
    const byLabel = e.reasons.some((r) => r.kind === "label");
    const f = flags.get(e.id);
    return byLabel || (f !== undefined && f[scope]);
  });
  usable.sort((a, b) => Number(!flags.has(a.id)) - Number(!flags.has(b.id)) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const [chosen, ...rest] = usable;
  return { chosen, others: rest.map((e) => e.id) };
}

/**
 * Mints the run phase's identity token (audience and externalId from the chosen integration) and
 * describes the AWS role the run assumes with it. The token is handed to the worker and never
 * stored by the server.
 */
export async function runCredentials(
  db: Db,
  issuer: OidcIssuer,
  run: { id: string; type: string },
  stack: { id: string; space_id: string; module_id?: string | null },
  integrations: readonly AppliedEntity[],
  /** When the phase must have ended: the token expires no later. */
  notAfter: Date,
): Promise<RunCredentials> {
  const runType = run.type as RunType;
  const scope = runScope(runType);
  const { chosen, others } = await pickAwsIntegration(db, stack.id, integrations, scope);
  const row = chosen ? await db.selectFrom("aws_integrations").selectAll().where("id", "=", chosen.id).executeTakeFirst() : undefined;
  const { token } = await issuer.mint(
    { runId: run.id, runType, stackId: stack.id, spaceId: stack.space_id, moduleId: stack.module_id ?? null },
    { audience: row?.audience ?? null, externalId: row?.external_id ?? null, notAfter },
  );
  if (!row) return { oidcToken: token, aws: null };
  return {
    oidcToken: token,
    aws: {
      integrationId: row.id,
      roleArn: row.role_arn,
      sessionName: run.id,
      region: row.region,
      durationSeconds: row.duration_seconds,
      generateCredentialsInWorker: toBool(row.generate_credentials_in_worker),
      scope,
      note: others.length ? `${others.length + 1} AWS integrations apply to ${scope} runs of this stack; using ${row.id} (direct attachments first, then by name), not ${others.join(", ")}` : null,
    },
  };
}
