import type { OidcKey } from "@gantry/contract";
import type { Command } from "commander";
import { parseIntArg } from "../flags.js";
import { orDash, printList, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";
import { adminBackupCommands } from "./admin-backup.js";

const keyColumns: Column<OidcKey>[] = [
  { header: "kid", value: (k) => k.kid },
  { header: "algorithm", value: (k) => k.algorithm },
  { header: "created", value: (k) => k.createdAt },
  { header: "retired", value: (k) => orDash(k.retiredAt ?? "") },
  { header: "published until", value: (k) => orDash(k.publishedUntil ?? "") },
];

/** `gantry admin ...`: instance-wide operations for root admins. */
export function adminCommand(rt: Runtime, program: Command): void {
  const admin = program.command("admin").description("instance-wide operations: OIDC keys (root admins, through the API); backups and restores of the embedded database (on the data directory)");
  adminBackupCommands(rt, admin);

  admin.command("oidc-keys").description("list the OIDC signing keys: current ones and rotated ones still published").action(async (_o, c: Command) => {
    const s = session(rt, c);
    printList(s.p, s.format, (await s.api.call("listOidcKeys", {})).items, keyColumns, "no OIDC keys");
  });

  admin
    .command("rotate-oidc-key")
    .description("generate new OIDC signing keys; the old ones stay published for the overlap so issued run tokens keep verifying")
    .option("--overlap-seconds <n>", "how long the old keys stay published (default: the token lifetime; 0 revokes every token they signed)", parseIntArg)
    .action(async (o: { overlapSeconds?: number }, c: Command) => {
      const s = session(rt, c);
      const keys = await s.api.call("rotateOidcKeys", { body: o.overlapSeconds === undefined ? {} : { overlapSeconds: o.overlapSeconds } });
      printList(s.p, s.format, keys.items, keyColumns, "no OIDC keys");
    });
}
