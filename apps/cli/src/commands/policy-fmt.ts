import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createTwoFilesPatch } from "diff";
import type { Command } from "commander";
import { usageError } from "../errors.js";
import type { Runtime } from "../runtime.js";

interface FmtFlags {
  write?: boolean;
  diff?: boolean;
  list?: boolean;
  fail?: boolean;
  v0Compatible?: boolean;
  v0V1?: boolean;
  dropV0Imports?: boolean;
}

/** The `.rego` files under the given paths, as `opa fmt` walks them (directories recursively). */
function regoFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, top: boolean): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw usageError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name), false);
    } else if (top || p.endsWith(".rego")) out.push(p);
  };
  for (const p of paths) walk(p, true);
  return out;
}

/**
 * `gantry policy fmt`: OPA's canonical formatting (`opa fmt`) written in Rego v1 syntax.
 * Without -w/-d/-l the formatted modules go to stdout. Exit 1 on a module that does not parse,
 * and with --fail when some file is not formatted.
 */
export function policyFmtCommand(rt: Runtime, policy: Command): void {
  policy
    .command("fmt <paths...>")
    .description("format Rego files as opa fmt does (Rego v1 syntax; --v0-compatible rewrites v0 sources to v1)")
    .option("-w, --write", "write the result to the files instead of stdout")
    .option("-d, --diff", "print a unified diff of the changes formatting would make")
    .option("-l, --list", "list the files whose formatting differs")
    .option("--fail", "exit 1 when some file is not formatted (with -l or -d, for CI)")
    .option("--v0-compatible", "the sources are Rego v0 (Spacelift's older syntax): rewrite them to v1 (if, contains, :=; import rego.v1 and future.keywords dropped)")
    .option("--v0-v1", "with --v0-compatible: output that parses as both v0 and v1 (keeps import rego.v1), as opa fmt --v0-v1")
    .option("--drop-v0-imports", "drop import rego.v1 and future.keywords from v1 sources too (redundant in v1)")
    .action(async (paths: string[], o: FmtFlags) => {
      if ([o.write, o.diff, o.list].filter(Boolean).length > 1 && !(o.list && o.diff)) throw usageError("choose one of -w, -d and -l (or -l with -d)");
      if (o.v0V1 && !o.v0Compatible) throw usageError("--v0-v1 rewrites v0 sources: add --v0-compatible");
      const rego = await import("@gantry/rego");
      const files = regoFiles(paths.map((p) => resolve(rt.cwd, p)));
      let failed = false;
      let changed = false;
      for (const file of files) {
        const source = readFileSync(file, "utf8");
        let formatted: string;
        try {
          formatted = rego.formatModule(source, { file, regoVersion: o.v0Compatible ? 0 : 1, v0v1: o.v0V1 ?? false, dropV0Imports: o.dropV0Imports ?? false });
        } catch (err) {
          if (!(err instanceof rego.RegoError)) throw err;
          rt.err(err.message);
          failed = true;
          continue;
        }
        const differs = formatted !== source;
        changed ||= differs;
        const shown = file.startsWith(rt.cwd + "/") ? file.slice(rt.cwd.length + 1) : file;
        if (o.list || o.diff) {
          if (differs && o.list) rt.out(shown);
          if (differs && o.diff) rt.out(createTwoFilesPatch(`a/${shown}`, `b/${shown}`, source, formatted, "", "").replace(/^=+\n/, "").replace(/\n$/, ""));
        } else if (o.write) {
          if (differs) writeFileSync(file, formatted);
        } else {
          rt.out(formatted.replace(/\n$/, ""));
        }
      }
      if (failed || (o.fail && changed)) rt.setExitCode(1);
    });
}
