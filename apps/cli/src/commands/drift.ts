import type { DriftDetection, Schedule } from "@gantry/contract";
import type { Command } from "commander";
import { CliError } from "../errors.js";
import { list, orDash, printDone, printList, printOne, yesNo, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";
import { followRun, runDetails } from "./run.js";

const driftColumns: Column<DriftDetection>[] = [
  { header: "stack", value: (d) => d.stackId },
  { header: "schedule", value: (d) => list(d.schedule) },
  { header: "timezone", value: (d) => d.timezone },
  { header: "reconcile", value: (d) => yesNo(d.reconcile) },
  { header: "ignore state", value: (d) => yesNo(d.ignoreState) },
  { header: "next run", value: (d) => d.nextRunAt },
  { header: "last run", value: (d) => orDash(d.lastRunAt) },
];

const scheduleColumns: Column<Schedule>[] = [
  { header: "id", value: (x) => x.id },
  { header: "kind", value: (x) => (x.kind === "DELETE" ? `DELETE${x.deleteResources ? " (destroy first)" : " (keep resources)"}` : x.kind) },
  { header: "when", value: (x) => (x.every ? `${list(x.every)} (${x.timezone})` : orDash(x.at)) },
  { header: "command", value: (x) => orDash(x.command) },
  { header: "next run", value: (x) => orDash(x.nextRunAt) },
  { header: "last run", value: (x) => (x.lastRunAt ? `${x.lastRunAt}${x.lastRunId ? ` (run ${x.lastRunId})` : ""}` : "-") },
];

/** The subcommand `name` of `parent`, created if the CLI does not have it yet. */
function sub(parent: Command, name: string, description: string): Command {
  return parent.commands.find((c) => c.name() === name) ?? parent.command(name).description(description);
}

/** `--cron` or `--at`: exactly one, as the API wants. */
function when(o: { cron?: string[]; at?: string; timezone?: string }): { every?: string[]; at?: string; timezone?: string } {
  if (Boolean(o.cron) === Boolean(o.at)) throw new CliError("usage", "give exactly one of --cron <expression...> (recurring) or --at <time> (once, RFC 3339)");
  return { every: o.cron, at: o.at, timezone: o.timezone };
}

/**
 * `gantry stack drift-detection set|show|delete`, `gantry stack drift-check` and
 * `gantry stack schedule task|destroy|delete-stack|list|show|remove`.
 */
export function driftCommands(rt: Runtime, program: Command): void {
  const stack = sub(program, "stack", "manage stacks");
  const drift = stack.command("drift-detection").description("the stack's drift detection schedule");
  drift
    .command("set <stack>")
    .description("check the stack for drift on cron schedules (replaces its settings)")
    .requiredOption("--schedule <cron...>", "cron expressions, e.g. '0 * * * *' (every hour)")
    .option("--timezone <zone>", "IANA time zone of the expressions (default UTC)")
    .option("--reconcile", "when drift is found, queue a tracked run to put reality back")
    .option("--ignore-state", "check even when the stack is not FINISHED")
    .action(async (id: string, o: { schedule: string[]; timezone?: string; reconcile?: boolean; ignoreState?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      const body = { schedule: o.schedule, timezone: o.timezone, reconcile: Boolean(o.reconcile), ignoreState: Boolean(o.ignoreState) };
      printOne(s.p, s.format, await s.api.call("putDriftDetection", { params: { id }, body }), driftColumns);
    });
  drift.command("show <stack>").description("show the schedule and its next run time").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("getDriftDetection", { params: { id } }), driftColumns);
  });
  drift.command("delete <stack>").description("stop drift detection on the stack").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call("deleteDriftDetection", { params: { id } });
    printDone(s.p, s.format, `drift detection of stack ${id} deleted`, { deleted: { kind: "drift-detection", id } });
  });

  stack
    .command("drift-check <stack>")
    .description("queue a drift detection run now (a proposed run that compares reality with the code)")
    .option("--follow", "print the logs until the run ends")
    .action(async (id: string, o: { follow?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      const created = await s.api.call("createDriftCheck", { params: { id } });
      if (!o.follow) return printOne(s.p, s.format, created, runDetails);
      await followRun(s, created);
    });

  const schedule = stack.command("schedule").description("scheduled tasks, destroys and deletes of a stack");
  schedule
    .command("task <stack> <command...>")
    .description("run a command on a schedule (write `--` before the command)")
    .option("--cron <expression...>", "recurring: cron expressions")
    .option("--at <time>", "once, at this RFC 3339 time")
    .option("--timezone <zone>", "IANA time zone of the cron expressions (default UTC)")
    .action(async (id: string, words: string[], o: { cron?: string[]; at?: string; timezone?: string }, cmd: Command) => {
      const s = session(rt, cmd);
      printOne(s.p, s.format, await s.api.call("createSchedule", { params: { id }, body: { kind: "TASK", command: words.join(" "), ...when(o) } }), scheduleColumns);
    });
  schedule
    .command("destroy <stack>")
    .description("destroy the stack's resources at a time (or on cron schedules)")
    .option("--cron <expression...>", "recurring: cron expressions")
    .option("--at <time>", "once, at this RFC 3339 time")
    .option("--timezone <zone>", "IANA time zone of the cron expressions (default UTC)")
    .action(async (id: string, o: { cron?: string[]; at?: string; timezone?: string }, cmd: Command) => {
      const s = session(rt, cmd);
      printOne(s.p, s.format, await s.api.call("createSchedule", { params: { id }, body: { kind: "DESTROY", ...when(o) } }), scheduleColumns);
    });
  schedule
    .command("delete-stack <stack>")
    .description("delete the stack at a time, destroying its resources first unless --keep-resources")
    .requiredOption("--at <time>", "when, RFC 3339")
    .option("--keep-resources", "delete the stack only, leaving its resources in place")
    .action(async (id: string, o: { at: string; keepResources?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      printOne(s.p, s.format, await s.api.call("createSchedule", { params: { id }, body: { kind: "DELETE", at: o.at, deleteResources: !o.keepResources } }), scheduleColumns);
    });
  schedule.command("list <stack>").description("the stack's schedules with their next run time").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, (await s.api.call("listSchedules", { params: { id } })).items, scheduleColumns, "no schedules");
  });
  schedule.command("show <stack> <schedule>").description("one schedule").action(async (id: string, scheduleId: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("getSchedule", { params: { id, scheduleId } }), scheduleColumns);
  });
  schedule.command("remove <stack> <schedule>").description("remove a schedule").action(async (id: string, scheduleId: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call("deleteSchedule", { params: { id, scheduleId } });
    printDone(s.p, s.format, `schedule ${scheduleId} of stack ${id} removed`, { deleted: { kind: "schedule", id: scheduleId } });
  });
}
