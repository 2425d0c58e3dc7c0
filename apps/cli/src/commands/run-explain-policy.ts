import { Option, type Command } from "commander";
import { printJson } from "../output.js";
import { session, type Runtime } from "../runtime.js";

/**
 * `gantry run explain-policy <run> <policy> [--mode full|debug|notes|fails]`: OPA's evaluation trace
 * (`opa eval --explain`) of the policy over the input the run recorded for it, computed by the
 * server (the input is encrypted there and never sent), of the body that decided when the server
 * kept it, or of its current body with `--current` (the header says which). `-o json` prints the whole answer.
 */
export function runExplainPolicyCommand(rt: Runtime, program: Command): void {
  const run = program.commands.find((c) => c.name() === "run") ?? program.command("run").description("trigger, follow and act on runs");
  run
    .command("explain-policy <run> <policy>")
    .description("trace a policy over the input the run recorded for it, as opa eval --explain (why it denied, warned or said nothing)")
    .addOption(new Option("--mode <mode>", "full: every step but unifications; debug: every step; notes: trace() notes; fails: failed expressions").choices(["full", "debug", "notes", "fails"]).default("full"))
    .option("--current", "trace the policy's body as it is now (what an edit would have said), not the body that decided")
    .action(async (runId: string, policyId: string, o: { mode: "full" | "debug" | "notes" | "fails"; current?: boolean }, cmd: Command) => {
      const s = session(rt, cmd);
      const x = await s.api.call("explainRunPolicy", { params: { id: runId, policyId }, query: { mode: o.mode, body: o.current ? "current" : "decided" } });
      if (s.format === "json") return printJson(s.p, x);
      const body = x.tracedVersion === x.decidingVersion
        ? `the body that decided (version ${x.tracedVersion})`
        : x.body === "current"
          ? `its current body (version ${x.tracedVersion}; version ${x.decidingVersion ?? "unknown"} decided)`
          : `its current body (version ${x.tracedVersion}; ${x.decidingVersion ? `the body that decided, version ${x.decidingVersion}, was not kept` : "the receipt predates policy versions"})`;
      rt.out(`# ${x.type} policy ${x.policyId} (${x.policyName}) said ${x.outcome} at ${x.evaluatedAt}; ${body} over the input recorded then:`);
      if (x.trace !== "") rt.out(x.trace.replace(/\n$/, ""));
    });
}
