import { readFileSync } from "node:fs";
import type { PolicySimulation } from "@gantry/contract";
import { Option, type Command } from "commander";
import { usageError } from "../errors.js";
import { parseIntArg } from "../flags.js";
import { orDash, printJson, renderTable, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

const resultColumns: Column<PolicySimulation["results"][number]>[] = [
  { header: "stack", value: (r) => r.stackId },
  { header: "run", value: (r) => r.runId },
  { header: "old", value: (r) => r.oldOutcome },
  { header: "new", value: (r) => r.newOutcome },
  { header: "appears", value: (r) => orDash(r.appeared.join("; ")) },
  { header: "disappears", value: (r) => orDash(r.disappeared.join("; ")) },
];

/** The simulation for people: the inputs whose verdict changes (all with --all), then the summary. */
function printSimulation(out: (line: string) => void, sim: PolicySimulation, all: boolean): void {
  const shown = all ? sim.results : sim.results.filter((r) => r.oldOutcome !== r.newOutcome || r.appeared.length || r.disappeared.length);
  out(`policy ${sim.policyId} (${sim.type}), saved version ${sim.oldVersion}${sim.newVersion !== sim.oldVersion ? `, tried version ${sim.newVersion}` : ""}`);
  if (shown.length) out(renderTable(shown, resultColumns));
  else if (sim.results.length) out(`no recorded input changes (${sim.results.length} replayed; --all lists them)`);
  out(sim.summary.text);
  if (sim.skipped.inputs || sim.skipped.stacks) out(`skipped ${sim.skipped.inputs} recorded input(s) of ${sim.skipped.stacks} stack(s) you cannot read`);
}

/**
 * `gantry policy simulate <policy> [--body-file new.rego] [--last N]`: a what-if on the server's
 * recorded inputs, before a change is saved. Kept apart from `policy.ts` and `policy-local.ts`
 * (local Rego tooling) so each stays one concept.
 */
export function policySimulateCommand(rt: Runtime, policy: Command): void {
  policy
    .command("simulate <policy>")
    .description("replay a policy, or a changed body (--body-file), on the inputs recorded on runs of the stacks it applies to: old and new outcome per run")
    .option("--body-file <path>", "try this Rego source instead of the saved body (nothing is saved)")
    .addOption(new Option("--rego-version <version>", "Rego version of --body-file (default: the policy's)").choices(["V0", "V1"]))
    .option("--last <n>", "the most recent recorded inputs per stack (default 10, at most 1000)", parseIntArg)
    .option("--all", "list every replayed input, not only those whose verdict changes")
    .action(async (id: string, o: { bodyFile?: string; regoVersion?: "V0" | "V1"; last?: number; all?: boolean }, cmd: Command) => {
      let body: string | undefined;
      if (o.bodyFile !== undefined) {
        try {
          body = readFileSync(o.bodyFile, "utf8");
        } catch (err) {
          throw usageError(`cannot read --body-file ${o.bodyFile}: ${(err as Error).message}`);
        }
      }
      const s = session(rt, cmd);
      const sim = await s.api.call("simulatePolicy", { params: { id }, body: { body, regoVersion: o.regoVersion, last: o.last } });
      if (s.format === "json") return printJson(s.p, sim);
      printSimulation((l) => s.p.out(l), sim, Boolean(o.all));
    });
}
