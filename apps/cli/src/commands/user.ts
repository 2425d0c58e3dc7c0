import type { Team, User } from "@gantry/contract";
import type { Command } from "commander";
import { list, orDash, printDone, printList, printOne, yesNo, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";
import { teamId, userId } from "./lookup.js";
import { readPassword } from "./password.js";

const userColumns: Column<User>[] = [
  { header: "id", value: (u) => u.id },
  { header: "username", value: (u) => u.username },
  { header: "display name", value: (u) => orDash(u.displayName) },
  { header: "disabled", value: (u) => yesNo(u.disabled) },
  { header: "teams", value: (u) => list(u.teams) },
  { header: "created", value: (u) => u.createdAt },
];

const teamColumns: Column<Team>[] = [
  { header: "id", value: (t) => t.id },
  { header: "name", value: (t) => t.name },
  { header: "members", value: (t) => list(t.members) },
  { header: "created", value: (t) => t.createdAt },
];

/** `gantry user ...`: local accounts (root admin). Passwords come from a prompt or GANTRY_PASSWORD. */
export function userCommand(rt: Runtime, program: Command): void {
  const user = program.command("user").description("manage local accounts (root admin)");

  user.command("list").description("list accounts").action(async (_o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, await s.api.all("listUsers"), userColumns, "no users");
  });
  user.command("show <user>").description("show an account (id or username)").action(async (ref: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("getUser", { params: { id: await userId(s.api, ref) } }), userColumns);
  });
  user
    .command("create <username>")
    .description("create an account; the password is prompted for (or GANTRY_PASSWORD)")
    .option("--display-name <name>", "name shown in the UI")
    .action(async (username: string, o: { displayName?: string }, cmd: Command) => {
      const s = session(rt, cmd);
      const password = await readPassword(rt, `password for ${username}: `);
      printOne(s.p, s.format, await s.api.call("createUser", { body: { username, displayName: o.displayName, password } }), userColumns);
    });
  user
    .command("update <user>")
    .description("update an account (id or username)")
    .option("--display-name <name>", "name shown in the UI")
    .option("--disable", "refuse its logins and keys")
    .option("--enable", "allow it again")
    .option("--reset-password", "set a new password (prompted for, or GANTRY_PASSWORD)")
    .action(async (ref: string, o: { displayName?: string; disable?: boolean; enable?: boolean; resetPassword?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      const body: { displayName?: string; disabled?: boolean; password?: string } = { displayName: o.displayName };
      if (o.disable || o.enable) body.disabled = Boolean(o.disable);
      if (o.resetPassword) body.password = await readPassword(rt, "new password: ");
      printOne(s.p, s.format, await s.api.call("updateUser", { params: { id: await userId(s.api, ref) }, body }), userColumns);
    });
  user.command("delete <user>").description("delete an account with its keys, sessions and role bindings").action(async (ref: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    const id = await userId(s.api, ref);
    await s.api.call("deleteUser", { params: { id } });
    printDone(s.p, s.format, `user ${ref} deleted`, { deleted: { kind: "user", id } });
  });
}

/** `gantry team ...`: teams and their members (root admin). */
export function teamCommand(rt: Runtime, program: Command): void {
  const team = program.command("team").description("manage teams (root admin)");

  team.command("list").description("list teams").action(async (_o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, (await s.api.call("listTeams", {})).items, teamColumns, "no teams");
  });
  team.command("create <name>").description("create a team").action(async (name: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("createTeam", { body: { name } }), teamColumns);
  });
  team.command("delete <team>").description("delete a team (id or name) and its role bindings").action(async (ref: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    const id = await teamId(s.api, ref);
    await s.api.call("deleteTeam", { params: { id } });
    printDone(s.p, s.format, `team ${ref} deleted`, { deleted: { kind: "team", id } });
  });
  team.command("add-member <team> <user>").description("add a user to a team").action(async (teamRef: string, userRef: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    const params = { id: await teamId(s.api, teamRef), userId: await userId(s.api, userRef) };
    printOne(s.p, s.format, await s.api.call("addTeamMember", { params }), teamColumns);
  });
  team.command("remove-member <team> <user>").description("remove a user from a team").action(async (teamRef: string, userRef: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    const params = { id: await teamId(s.api, teamRef), userId: await userId(s.api, userRef) };
    await s.api.call("removeTeamMember", { params });
    printDone(s.p, s.format, `${userRef} removed from team ${teamRef}`, { removed: { kind: "team_member", teamId: params.id, userId: params.userId } });
  });
}
