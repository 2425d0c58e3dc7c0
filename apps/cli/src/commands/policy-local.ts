import { existsSync, readFileSync } from "node:fs";
import type * as Rego from "@gantry/rego";
import { Option, type Command } from "commander";
import { usageError } from "../errors.js";
import { collect } from "../flags.js";
import type { Runtime } from "../runtime.js";

/** The Rego engine is loaded only by these commands, which need no server. */
async function loadRego(): Promise<typeof Rego> {
  return import("@gantry/rego");
}

function requireExisting(paths: readonly string[], flag: string): void {
  for (const p of paths) if (!existsSync(p)) throw usageError(`${flag} ${p}: no such file or directory`);
}

interface EvalFlags {
  data?: string[];
  input?: string;
  format: Rego.EvalFormat;
  v0Compatible?: boolean;
  fail?: boolean;
  failDefined?: boolean;
  sanitized?: boolean;
  explain?: Rego.ExplainMode;
}

interface CheckFlags {
  strict?: boolean;
  v0Compatible?: boolean;
  sanitized?: boolean;
}

interface TestFlags {
  sanitized?: boolean;
  run?: string;
  verbose?: boolean;
  format: "pretty" | "json";
  coverage?: boolean;
  threshold?: number;
  v0Compatible?: boolean;
  timeout?: number;
  exitZeroOnSkipped?: boolean;
}

/** Prints text the Rego formatters end with a newline; nothing at all when they give nothing. */
function print(rt: Runtime, text: string): void {
  if (text !== "") rt.out(text.replace(/\n$/, ""));
}


/**
 * `gantry policy eval` and `gantry policy test`: Gantry's Rego engine on local files, with
 * `opa eval` and `opa test` flags, output and exit statuses, so a policy can be tried before it
 * is saved.
 */
export function policyLocalCommands(rt: Runtime, policy: Command): void {
  policy
    .command("eval <query>")
    .description("evaluate a Rego query against local policy and data files, like opa eval")
    .option("-d, --data <path>", "a .rego or .json file, or a directory of them (repeatable)", collect)
    .option("-i, --input <file>", "the input document (JSON)")
    .addOption(new Option("--format <format>", "output format").choices(["json", "pretty", "raw", "values", "bindings"]).default("json"))
    .option("--v0-compatible", "parse the policies as Rego v0 (Spacelift's older syntax)")
    .option("--fail", "exit 1 when the result is undefined (as opa eval --fail)")
    .option("--fail-defined", "exit 1 when the result is defined (as opa eval --fail-defined)")
    .option("--sanitized", "provide Spacelift's sanitized() builtin, as PLAN policies have it (keyless hash)")
    .addOption(new Option("--explain <mode>", "print OPA's evaluation trace: before the result (--format pretty or raw), or under explanation (--format json); full omits the Unify events debug shows").choices(["full", "debug", "notes", "fails"]))
    .action(async (query: string, o: EvalFlags) => {
      const data = o.data ?? [];
      requireExisting(data, "--data");
      if (o.input) requireExisting([o.input], "--input");
      if (o.fail && o.failDefined) throw usageError("--fail and --fail-defined are mutually exclusive: choose one");
      if (o.explain && o.format !== "pretty" && o.format !== "raw" && o.format !== "json") throw usageError(`--explain prints OPA's trace with --format json, pretty or raw, not ${o.format}`);
      const rego = await loadRego();
      try {
        const loaded = rego.loadPolicyFiles(data, o.v0Compatible ? 0 : 1);
        const input = o.input === undefined ? undefined : rego.parseJSON(readFileSync(o.input, "utf8"));
        // print() goes to stderr, as with opa eval, so stdout stays the result document.
        const prepared = rego.compile({ modules: loaded.modules, data: loaded.data, sanitized: o.sanitized ?? false }).prepare(query);
        const opts = { input, print: (line: string) => rt.err(line) };
        let results: Rego.QueryResult[];
        if (o.explain && o.format === "json") {
          // As opa eval --explain --format json: one document, the trace under `explanation`.
          const explained = prepared.explain(opts);
          results = explained.results;
          print(rt, rego.formatExplainedJSON(results, explained.trace, o.explain));
        } else {
          if (o.explain) {
            // As opa eval --explain: the trace, then the result.
            const explained = prepared.explain(opts);
            results = explained.results;
            print(rt, rego.formatTrace(explained.trace, o.explain));
          } else results = prepared.eval(opts);
          print(rt, rego.formatEvalResults(results, o.format));
        }
        // opa eval's statuses: 1 when --fail finds the result undefined or --fail-defined defined.
        if ((o.fail && results.length === 0) || (o.failDefined && results.length > 0)) rt.setExitCode(1);
      } catch (err) {
        if (!(err instanceof rego.RegoError)) throw err;
        // As opa eval: the error in the chosen format on stdout, exit 2 (with or without --fail).
        print(rt, rego.formatEvalError(err, o.format));
        rt.setExitCode(2);
      }
    });

  policy
    .command("test <paths...>")
    .description("run the Rego tests (rules named test_*) in local files and directories, like opa test")
    .option("-r, --run <regex>", "only tests whose name (data.pkg.test_x) matches")
    .option("-v, --verbose", "list every test, with its print() output")
    .addOption(new Option("--format <format>", "output format").choices(["pretty", "json"]).default("pretty"))
    .option("--coverage", "report line coverage (with --format json: the coverage report)")
    .option("--threshold <percent>", "with --coverage: fail below this coverage", Number)
    .option("--timeout <ms>", "time limit of each test in milliseconds (default 5000)", Number)
    .option("-z, --exit-zero-on-skipped", "exit 0 even when tests were skipped (todo_test_*)")
    .option("--v0-compatible", "parse the policies as Rego v0")
    .option("--sanitized", "provide Spacelift's sanitized() builtin, as PLAN policies have it (keyless hash)")
    .action(async (paths: string[], o: TestFlags) => {
      requireExisting(paths, "path");
      let run: RegExp | undefined;
      try {
        run = o.run === undefined ? undefined : new RegExp(o.run);
      } catch (err) {
        throw usageError(`--run ${o.run}: not a regular expression (${(err as Error).message})`);
      }
      if (o.threshold !== undefined && !(o.threshold >= 0 && o.threshold <= 100)) throw usageError("--threshold must be a percentage between 0 and 100");
      const rego = await loadRego();
      try {
        const loaded = rego.loadPolicyFiles(paths, o.v0Compatible ? 0 : 1);
        const report = rego.runTests({ modules: loaded.modules, data: loaded.data, run, sanitized: o.sanitized ?? false, coverage: o.coverage || o.threshold !== undefined, timeoutMs: o.timeout });
        print(rt, o.format === "json" ? rego.formatTestsJSON(report) : rego.formatTestsPretty(report, { verbose: o.verbose }));
        // opa test's statuses, decided by the engine's own rule (2 for failures, 1 for errors under coverage).
        rt.setExitCode(rego.testExitCode(report, { threshold: o.threshold, exitZeroOnSkipped: o.exitZeroOnSkipped }));
      } catch (err) {
        if (!(err instanceof rego.RegoError)) throw err;
        rt.err(err.message);
        rt.setExitCode(1);
      }
    });

  policy
    .command("check <paths...>")
    .description("parse and compile Rego files with the type checker, like opa check; exit 1 listing every error")
    .option("--strict", "OPA's strict mode: unused imports and assignments, deprecated builtins, input/data shadowing")
    .option("--v0-compatible", "parse the policies as Rego v0")
    .option("--sanitized", "provide Spacelift's sanitized() builtin, as PLAN policies have it")
    .action(async (paths: string[], o: CheckFlags) => {
      requireExisting(paths, "path");
      const rego = await loadRego();
      try {
        const loaded = rego.loadPolicyFiles(paths, o.v0Compatible ? 0 : 1);
        const errors = rego.checkPolicies(loaded.modules, { strict: o.strict ?? false, sanitized: o.sanitized ?? false });
        if (errors.length > 0) {
          rt.err(rego.formatCheckErrors(errors).replace(/\n$/, ""));
          rt.setExitCode(1);
        }
      } catch (err) {
        if (!(err instanceof rego.RegoError)) throw err;
        rt.err(err.message);
        rt.setExitCode(1);
      }
    });
}
