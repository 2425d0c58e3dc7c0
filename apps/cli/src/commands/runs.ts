import { readFileSync } from "node:fs";
import type { ImportState, Run, StateVersion } from "@gantry/contract";
import type { Command } from "commander";
import { CliError, usageError } from "../errors.js";
import { printDone, printList, printOne, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

const runColumns: Column<Run>[] = [
  { header: "id", value: (r) => r.id },
  { header: "stack", value: (r) => r.stackId },
  { header: "type", value: (r) => r.type },
  { header: "state", value: (r) => r.state },
];

const versionColumns: Column<StateVersion>[] = [
  { header: "id", value: (v) => v.id },
  { header: "serial", value: (v) => String(v.serial) },
  { header: "lineage", value: (v) => v.lineage },
  { header: "run", value: (v) => v.runId ?? "-" },
  { header: "size", value: (v) => String(v.size) },
  { header: "created", value: (v) => v.createdAt },
];

/** The subcommand `name` of `parent`, created if the CLI does not have it yet. */
function sub(parent: Command, name: string, description: string): Command {
  return parent.commands.find((c) => c.name() === name) ?? parent.command(name).description(description);
}

/**
 * Run-engine commands beside `run.ts` (which triggers, lists, shows, follows, confirms, discards,
 * cancels, stops and retries runs): reviews (`gantry run review <run> --approve|--reject`),
 * Spacelift-style triggers
 * (`gantry stack deploy|preview|destroy <stack>`, `gantry stack task <stack> -- <command...>`)
 * and managed state (`gantry stack state list|show|import|export|rollback`). Adds to existing `run` and
 * `stack` commands when present.
 */
export function registerRunCommands(rt: Runtime, program: Command): void {
  const run = sub(program, "run", "trigger, follow and act on runs");
  run
    .command("review <run>")
    .description("approve or reject a run; APPROVAL policies decide again with the reviews")
    .option("--approve", "approve the run")
    .option("--reject", "reject the run")
    .option("--note <text>", "a note kept with the review")
    .action(async (id: string, o: { approve?: boolean; reject?: boolean; note?: string }, cmd: Command) => {
      if (Boolean(o.approve) === Boolean(o.reject)) throw new CliError("usage", "give exactly one of --approve or --reject");
      const s = session(rt, cmd);
      printOne(s.p, s.format, await s.api.call("reviewRun", { params: { id }, body: { decision: o.approve ? "approve" : "reject", note: o.note } }), runColumns);
    });

  const stack = sub(program, "stack", "manage stacks");
  const triggers = [
    ["deploy", "TRACKED", "trigger a tracked run: plan, then apply (after confirmation unless autodeploy)"],
    ["preview", "PROPOSED", "trigger a proposed run: plan only"],
    ["destroy", "DESTROY", "trigger a run that destroys the stack's resources (after confirmation unless autodeploy)"],
  ] as const;
  for (const [verb, type, description] of triggers) {
    const c = stack
      .command(`${verb} <stack>`)
      .description(description)
      .option("--commit <sha>", "run this commit instead of the head of the stack's branch");
    if (verb === "deploy") c.option("--with-dependents", "also queue tracked runs of every stack downstream; each waits for its upstreams and is skipped if one fails");
    c.action(async (id: string, o: { commit?: string; withDependents?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      if (o.withDependents) {
        if (o.commit) throw new CliError("usage", "--with-dependents runs the head of each stack's branch: leave out --commit");
        const { runIds } = await s.api.call("deployStack", { params: { id }, body: { withDependents: true } });
        const runs = await Promise.all(runIds.map((r) => s.api.call("getRun", { params: { id: r } })));
        return printList(s.p, s.format, runs, runColumns);
      }
      printOne(s.p, s.format, await s.api.call("createRun", { params: { id }, body: { type, commitSha: o.commit } }), runColumns);
    });
  }
  stack
    .command("task <stack> <command...>")
    .description("perform a command in the stack's workspace after init (write `--` before the command)")
    .action(async (id: string, words: string[], _o, cmd: Command) => {
      const s = session(rt, cmd);
      printOne(s.p, s.format, await s.api.call("createRun", { params: { id }, body: { type: "TASK", command: words.join(" ") } }), runColumns);
    });

  const state = sub(stack, "state", "the stack's managed state (admin)");
  state.command("list <stack>").description("state versions, newest first").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, (await s.api.call("listStateVersions", { params: { id } })).items, versionColumns, "no state yet");
  });
  state.command("show <stack> <version>").description("print one state version as JSON").action(async (id: string, versionId: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    const { state: doc } = await s.api.call("getStateVersion", { params: { id, versionId } });
    s.p.out(JSON.stringify(doc, null, 2));
  });
  state
    .command("import <stack> <file>")
    .description("make a terraform state file (terraform state pull, S3, Spacelift's state download) the stack's current version, lineage kept")
    .option("--force", "replace a state of another lineage or a newer serial (admin on the stack; export the current one first)")
    .action(async (id: string, file: string, o: { force?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(file === "-" ? 0 : file, "utf8"));
      } catch (err) {
        throw usageError(`cannot read ${file} as a terraform state (JSON): ${(err as Error).message}`);
      }
      const v = await s.api.call("importState", { params: { id }, body: { state: doc as ImportState["state"], force: o.force ?? false } });
      printDone(s.p, s.format, `state of ${id} imported: version ${v.id}, serial ${v.serial}, lineage ${v.lineage}`, { version: v });
    });
  state
    .command("export <stack>")
    .description("print the stack's current state (or --serial N: that version, by serial or id) as JSON, for terraform state push or another backend")
    // Not --version: commander gives that to the root command (gantry --version) wherever it appears.
    .option("--serial <n>", "the serial (or version id) of the version to export (default: the current one)")
    .action(async (id: string, o: { serial?: string }, cmd: Command) => {
      const s = session(rt, cmd);
      const { items } = await s.api.call("listStateVersions", { params: { id } });
      const chosen = o.serial === undefined ? items[0] : items.find((v) => v.id === o.serial || String(v.serial) === o.serial);
      if (!chosen) throw new CliError("api", o.serial === undefined ? `stack ${id} has no state yet` : `stack ${id} has no state version with serial or id ${o.serial}: see gantry stack state list ${id}`);
      const { state: doc } = await s.api.call("getStateVersion", { params: { id, versionId: chosen.id } });
      s.p.out(JSON.stringify(doc, null, 2));
    });
  state.command("rollback <stack> <version>").description("make an old version current (lock the stack first; no pending runs)").action(async (id: string, versionId: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    const v = await s.api.call("rollbackState", { params: { id, versionId } });
    printDone(s.p, s.format, `state of ${id} rolled back to version ${versionId} (now serial ${v.serial})`, { version: v });
  });
}
