import type { AuditEvent } from "@gantry/contract";
import type { Command } from "commander";
import { parseIntArg } from "../flags.js";
import { orDash, printJson, renderTable, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

const columns: Column<AuditEvent>[] = [
  { header: "at", value: (e) => e.at },
  { header: "actor", value: (e) => `${e.actorType}:${e.actorId}` },
  { header: "action", value: (e) => e.action },
  { header: "target", value: (e) => `${e.targetType}:${e.targetId}` },
  { header: "space", value: (e) => orDash(e.spaceId) },
];

interface AuditFlags {
  actor?: string;
  action?: string;
  targetType?: string;
  target?: string;
  space?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

/** `gantry audit list`: one page of events, newest first, with the API's filters as flags. */
export function auditCommand(rt: Runtime, program: Command): void {
  const audit = program.command("audit").description("read the audit trail");
  audit
    .command("list")
    .description("list audit events on the spaces you administer, newest first")
    .option("--actor <id>", "only events by this user or run")
    .option("--action <action>", "only this action, e.g. stack.create")
    .option("--target-type <type>", "only events on this kind of target, e.g. stack")
    .option("--target <id>", "only events on this target id")
    .option("--space <id>", "only events in this space")
    .option("--since <time>", "only events at or after this RFC 3339 time")
    .option("--until <time>", "only events before this RFC 3339 time")
    .option("--limit <n>", "how many events (default 100, at most 1000)", parseIntArg)
    .option("--cursor <cursor>", "continue after a previous page (printed at its end)")
    .action(async (o: AuditFlags, cmd: Command) => {
      const s = session(rt, cmd);
      const page = await s.api.call("listAuditEvents", {
        query: { actorId: o.actor, action: o.action, targetType: o.targetType, targetId: o.target, spaceId: o.space, since: o.since, until: o.until, limit: o.limit, cursor: o.cursor },
      });
      if (s.format === "json") return printJson(s.p, page);
      s.p.out(page.items.length ? renderTable(page.items, columns) : "no audit events");
      if (page.nextCursor) s.p.out(`more events: add --cursor ${page.nextCursor}`);
    });
}
