/**
 * `opa fmt` for Gantry: Rego modules in OPA's canonical layout, written in Rego v1 syntax.
 *
 * @example
 * formatModule("package p\nallow { input.x == 1 }", { file: "p.rego", regoVersion: 0 });
 * // "package p\n\nallow if input.x == 1\n"
 */
import { parseModule } from "../parser/module-parser.js";
import { RegoError } from "../errors.js";
import { SourceText } from "./source.js";
import { LineWriter } from "./writer.js";
import { ModuleFormatter } from "./rules.js";

export interface FormatOptions {
  file: string;
  /** The Rego version the source is written in (default 1). The output is always v1 syntax. */
  regoVersion?: 0 | 1;
  /**
   * Output that parses as v0 too: `import rego.v1` is added (OPA's `--v0-v1`). Otherwise
   * `import rego.v1` and `future.keywords` imports are dropped from v0 sources, where v1 makes
   * them redundant, and kept as written in v1 sources (as plain `opa fmt` keeps them).
   */
  v0v1?: boolean;
  /** Drop `import rego.v1` and `future.keywords` imports from v1 sources too (`--drop-v0-imports`). */
  dropV0Imports?: boolean;
}

/**
 * Formats one module. Throws the parser's RegoError when the source does not parse.
 */
export function formatModule(source: string, opts: FormatOptions): string {
  const version = opts.regoVersion ?? 1;
  const module = parseModule(source, opts.file, version);
  const src = new SourceText(source, opts.file);
  const writer = new LineWriter([...src.comments]);
  new ModuleFormatter(writer, src).writeModule(module, {
    keepV0Imports: !opts.v0v1 && version === 1 && !opts.dropV0Imports,
    addRegoV1Import: opts.v0v1 ?? false,
  });
  const out = writer.finish();
  try {
    parseModule(out, opts.file, 1);
  } catch (err) {
    // A v0 module may use names that are keywords in v1 (`in`, `if`, `every`, `contains`).
    if (!(err instanceof RegoError)) throw err;
    throw new RegoError(err.errors.map((d) => ({ ...d, message: `cannot be written as Rego v1 (a name that is a v1 keyword? rename it first): ${d.message}` })));
  }
  return out;
}
