import type { Run, RunDetail, RunTransition } from "@gantry/contract";
import { Option, type Command } from "commander";
import { CliError } from "../errors.js";
import { parseIntArg } from "../flags.js";
import { orDash, printJson, printList, printOne, renderTable, type Column } from "../output.js";
import { session, type Runtime, type Session } from "../runtime.js";
import { printWaiting, waitNotifier } from "./run-waiting.js";

const columns: Column<Run>[] = [
  { header: "id", value: (r) => r.id },
  { header: "stack", value: (r) => r.stackId },
  { header: "type", value: (r) => r.type },
  { header: "state", value: (r) => r.state },
  { header: "commit", value: (r) => (r.source === "upload" ? "(local upload)" : r.commit.sha ? r.commit.sha.slice(0, 10) : `${r.commit.branch} (unresolved)`) },
  { header: "delta", value: (r) => (r.delta ? `+${r.delta.added} ~${r.delta.changed} -${r.delta.deleted}${r.delta.outputs ? ` outputs:${r.delta.outputs}` : ""}` : "-") },
  { header: "created", value: (r) => r.createdAt },
];

/** How `run trigger` and `run show` print a run; shared by the commands that create runs. */
export const runDetails: Column<Run>[] = [
  ...columns,
  { header: "branch", value: (r) => r.commit.branch },
  { header: "message", value: (r) => orDash(r.commit.message) },
  { header: "author", value: (r) => orDash(r.commit.author) },
  { header: "command", value: (r) => orDash(r.command) },
  { header: "triggered by", value: (r) => r.triggeredBy },
  { header: "drift detection", value: (r) => (r.driftDetection ? "yes" : "no") },
  { header: "worker", value: (r) => orDash(r.workerId) },
  { header: "failure", value: (r) => orDash(r.failureReason) },
];

/** `run show` adds why a queued run waits for its upstream stacks. */
const detailsOfShown: Column<RunDetail>[] = [...runDetails, { header: "waiting", value: (r) => orDash(r.waitingForDependencies) }];

const historyColumns: Column<RunTransition>[] = [
  { header: "at", value: (h) => h.at },
  { header: "from", value: (h) => orDash(h.from) },
  { header: "to", value: (h) => h.to },
  { header: "cause", value: (h) => `${h.cause}:${h.actor}` },
  { header: "note", value: (h) => orDash(h.note) },
];

/** One policy evaluation on the run: which policy, what it decided and what it said. */
const receiptColumns: Column<RunDetail["policyReceipts"][number]>[] = [
  { header: "policy", value: (r) => `${r.type} ${r.policyId}` },
  { header: "outcome", value: (r) => r.outcome },
  { header: "messages", value: (r) => orDash(Object.entries(r.messages).flatMap(([rule, ms]) => ms.map((m) => `${rule}: ${m}`)).join("; ")) },
  { header: "at", value: (r) => r.at },
];

function printRunDetail(s: Session, run: RunDetail): void {
  if (s.format === "json") return printJson(s.p, run);
  printOne(s.p, s.format, run, detailsOfShown);
  s.p.out("");
  s.p.out(run.history.length ? renderTable(run.history, historyColumns) : "no transitions yet");
  if (run.policyReceipts.length) {
    s.p.out("");
    s.p.out(renderTable(run.policyReceipts, receiptColumns));
  }
  printWaiting(s, run);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Prints a run's stored log entries and, with `follow`, keeps reading until the run is terminal.
 * Entries are fetched after the last seen sequence number, so nothing prints twice.
 */
async function printLogs(s: Session, id: string, follow: boolean): Promise<void> {
  const notify = waitNotifier(s);
  let after = 0;
  let phase: string | undefined;
  let printed = 0;
  for (;;) {
    const page = await s.api.call("runLogs", { params: { id }, query: { after } });
    for (const e of page.entries) {
      if (s.format === "json") s.p.out(JSON.stringify(e));
      else {
        if (e.phase !== phase) s.p.out(`--- ${e.phase}`);
        s.p.out(e.text.replace(/\n$/, ""));
      }
      phase = e.phase;
      after = Math.max(after, e.seq);
      printed++;
    }
    if (!follow || page.finished) {
      if (printed === 0 && s.format !== "json") s.p.err(page.finished ? "the run left no logs" : "no logs yet: add --follow to wait for them");
      return;
    }
    // The API's live stream is server-sent events; a short poll of the stored entries is enough here.
    if (page.entries.length === 0) {
      // A run waiting for a person would keep us here forever: say what it needs instead. Held
      // in QUEUED by approval policies, someone else may approve it any moment: keep waiting,
      // saying why; UNCONFIRMED and PENDING_REVIEW need this person's next step: stop here.
      const run = await s.api.call("getRun", { params: { id } });
      if (run.state === "UNCONFIRMED" || run.state === "PENDING_REVIEW") return;
      notify(run);
      await sleep(1000);
    }
  }
}

/**
 * Prints a new run's logs until it ends or waits for a person, then says how it ended. Scripts
 * that trigger and follow a run learn from the exit code whether it succeeded.
 */
export async function followRun(s: Session, created: Run): Promise<void> {
  if (s.format !== "json") s.p.out(`run ${created.id} (${created.type}) triggered on stack ${created.stackId}`);
  await printLogs(s, created.id, true);
  await reportHowFollowEnded(s, created.id);
}

/** After following a run's logs: exit 0 when it finished, 1 when it failed, 4 when it waits for a person (saying what to do). */
async function reportHowFollowEnded(s: Session, id: string): Promise<void> {
  const final = await s.api.call("getRun", { params: { id } });
  if (final.state === "UNCONFIRMED" || final.state === "PENDING_REVIEW") {
    // Exit 4: scripts tell "waits for a person" apart from success (0) and failure (1).
    const why = final.waiting ?? { reason: "it waits for a person", next: `gantry run show ${final.id}` };
    throw new CliError("waiting", `run ${final.id} is ${final.state}: ${why.reason}`, [`next: ${why.next}`]);
  }
  if (final.state !== "FINISHED") throw new CliError("api", `run ${final.id} ended ${final.state}${final.failureReason ? `: ${final.failureReason}` : ""}`);
  if (s.format !== "json") s.p.out(`run ${final.id} finished`);
}

/** `gantry run ...`: trigger runs and act on them. */
export function runCommand(rt: Runtime, program: Command): void {
  const run = program.command("run").description("trigger runs, follow their logs, confirm, discard, stop or retry them");

  run
    .command("trigger <stack>")
    .description("trigger a run of the stack's branch (or of a commit)")
    .addOption(new Option("--type <type>", "run type").choices(["TRACKED", "PROPOSED", "TASK", "DESTROY"]).default("TRACKED"))
    .option("--commit <sha>", "run this commit instead of the head of the branch")
    .option("--command <command>", "TASK runs: the shell command to perform")
    .option("--follow", "print the logs until the run ends")
    .action(async (id: string, o: { type: "TRACKED" | "PROPOSED" | "TASK" | "DESTROY"; commit?: string; command?: string; follow?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      const created = await s.api.call("createRun", { params: { id }, body: { type: o.type, commitSha: o.commit, command: o.command } });
      if (!o.follow) return printOne(s.p, s.format, created, runDetails);
      await followRun(s, created);
    });

  run
    .command("list <stack>")
    .description("runs of a stack, newest first")
    .option("--limit <n>", "how many runs (default 50)", parseIntArg)
    .action(async (id: string, o: { limit?: number }, cmd: Command) => {
      const s = session(rt, cmd);
      const page = await s.api.call("listStackRuns", { params: { id }, query: { limit: o.limit } });
      printList(s.p, s.format, page.items, columns, "no runs");
    });

  run.command("show <run>").description("a run with its transition history").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printRunDetail(s, await s.api.call("getRun", { params: { id } }));
  });

  run
    .command("logs <run>")
    .description("print a run's logs (secrets masked)")
    .option("-f, --follow", "keep printing until the run ends")
    .action(async (id: string, o: { follow?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      await printLogs(s, id, Boolean(o.follow));
      if (o.follow) await reportHowFollowEnded(s, id);
    });

  const actions = [
    { verb: "confirm", endpoint: "confirmRun", description: "confirm an UNCONFIRMED run so it applies" },
    { verb: "discard", endpoint: "discardRun", description: "discard an UNCONFIRMED or PENDING_REVIEW run" },
    { verb: "cancel", endpoint: "cancelRun", description: "cancel a run that has not started" },
    { verb: "stop", endpoint: "stopRun", description: "stop a run a worker is executing" },
    { verb: "retry", endpoint: "retryRun", description: "trigger a new run like a failed, stopped, canceled or discarded one" },
  ] as const;
  for (const a of actions) {
    run.command(`${a.verb} <run>`).description(a.description).action(async (id: string, _o, cmd: Command) => {
      const s = session(rt, cmd);
      printOne(s.p, s.format, await s.api.call(a.endpoint, { params: { id } }), runDetails);
    });
  }
}
