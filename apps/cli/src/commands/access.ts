import { Role, type ApiKey, type RoleBinding } from "@gantry/contract";
import { Option, type Command } from "commander";
import { usageError } from "../errors.js";
import { parseIntArg } from "../flags.js";
import { orDash, printDone, printJson, printList, printOne, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";
import { teamId, userId } from "./lookup.js";

const keyColumns: Column<ApiKey>[] = [
  { header: "id", value: (k) => k.id },
  { header: "name", value: (k) => k.name },
  { header: "user", value: (k) => k.userId },
  { header: "created", value: (k) => k.createdAt },
  { header: "last used", value: (k) => orDash(k.lastUsedAt) },
  { header: "expires", value: (k) => orDash(k.expiresAt) },
];

const bindingColumns: Column<RoleBinding>[] = [
  { header: "id", value: (b) => b.id },
  { header: "space", value: (b) => b.spaceId },
  { header: "role", value: (b) => b.role },
  { header: "subject", value: (b) => `${b.subjectType}:${b.subjectId}` },
  { header: "created", value: (b) => b.createdAt },
];

/** `gantry api-key list|create|delete`. The secret of a new key is printed once, to stdout. */
export function apiKeyCommand(rt: Runtime, program: Command): void {
  const key = program.command("api-key").description("manage API keys");
  key.command("list").description("list your API keys (every key for a root admin)").action(async (_o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, (await s.api.call("listApiKeys", {})).items, keyColumns, "no API keys");
  });
  key
    .command("create <name>")
    .description("create an API key; its secret is shown once")
    .option("--user <user>", "for another user (id or username; root admin)")
    .option("--expires-in-days <n>", "expire after this many days", parseIntArg)
    .action(async (name: string, o: { user?: string; expiresInDays?: number }, cmd: Command) => {
      const s = session(rt, cmd);
      const body = { name, userId: o.user ? await userId(s.api, o.user) : undefined, expiresInDays: o.expiresInDays };
      const created = await s.api.call("createApiKey", { body });
      if (s.format === "json") return printJson(s.p, created);
      s.p.out(`created API key ${created.apiKey.id} (${created.apiKey.name}); its secret is shown only now:`);
      s.p.out(created.secret);
    });
  key.command("delete <id>").description("revoke an API key").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call("deleteApiKey", { params: { id } });
    printDone(s.p, s.format, `API key ${id} revoked`, { deleted: { kind: "api_key", id } });
  });
}

/** `gantry role list|grant|revoke`: role bindings of users and teams on spaces. */
export function roleCommand(rt: Runtime, program: Command): void {
  const role = program.command("role").description("grant and revoke roles on spaces");
  role
    .command("list")
    .description("list role bindings on the spaces you administer")
    .option("--space <id>", "only bindings on this space")
    .action(async (o: { space?: string }, cmd: Command) => {
      const s = session(rt, cmd);
      printList(s.p, s.format, (await s.api.call("listRoleBindings", { query: { spaceId: o.space } })).items, bindingColumns, "no role bindings");
    });
  role
    .command("grant")
    .description("grant a user or team a role on a space and its subtree")
    .requiredOption("--space <id>", "space id")
    .addOption(new Option("--role <role>", "role").choices(Role.options).makeOptionMandatory())
    .option("--user <user>", "user id or username")
    .option("--team <team>", "team id or name")
    .action(async (o: { space: string; role: Role; user?: string; team?: string }, cmd: Command) => {
      if (Boolean(o.user) === Boolean(o.team)) throw usageError("name exactly one of --user or --team");
      const s = session(rt, cmd);
      const subject = o.user ? { subjectType: "user" as const, subjectId: await userId(s.api, o.user) } : { subjectType: "team" as const, subjectId: await teamId(s.api, o.team ?? "") };
      printOne(s.p, s.format, await s.api.call("createRoleBinding", { body: { spaceId: o.space, role: o.role, ...subject } }), bindingColumns);
    });
  role.command("revoke <binding-id>").description("revoke a role binding (ids from gantry role list)").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call("deleteRoleBinding", { params: { id } });
    printDone(s.p, s.format, `role binding ${id} revoked`, { deleted: { kind: "role_binding", id } });
  });
}
