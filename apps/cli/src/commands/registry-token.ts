import type { RegistryToken } from "@gantry/contract";
import type { Command } from "commander";
import { orDash, printDone, printList, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

const columns: Column<RegistryToken>[] = [
  { header: "id", value: (t) => t.id },
  { header: "user", value: (t) => t.userId },
  { header: "description", value: (t) => t.description },
  { header: "created", value: (t) => t.createdAt },
  { header: "expires", value: (t) => orDash(t.expiresAt) },
  { header: "last used", value: (t) => orDash(t.lastUsedAt) },
];

/** `gantry registry-token ...`: the registry tokens `terraform login` made for you. */
export function registryTokenCommand(rt: Runtime, program: Command): void {
  const cmd = program.command("registry-token").description("registry tokens made by terraform login: list and revoke");
  cmd.command("list").description("your registry tokens (everyone's for a root admin)").action(async (_o, c: Command) => {
    const s = session(rt, c);
    printList(s.p, s.format, (await s.api.call("listRegistryTokens", {})).items, columns, "no registry tokens");
  });
  cmd.command("revoke <id>").description("revoke a registry token: terraform using it gets 401 from then on").action(async (id: string, _o, c: Command) => {
    const s = session(rt, c);
    await s.api.call("deleteRegistryToken", { params: { id } });
    printDone(s.p, s.format, `registry token ${id} revoked`, { deleted: { kind: "registry token", id } });
  });
}
