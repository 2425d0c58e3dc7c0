/**
 * Every builtin function, by name. Each family lives in its own file and exports a list of
 * definitions; this module wraps them (error prefixes, see `wrapBuiltin`) and indexes them.
 *
 * @example
 * const count = builtins.get("count")!;
 * count.fn(["héllo"], ctx); // RNumber 5
 */
import { aggregateBuiltins } from "./aggregates.js";
import { ARG_TYPES } from "./arg-types.js";
import { cryptoBuiltins } from "./crypto.js";
import { jwtBuiltins } from "./jwt.js";
import { keyBuiltins } from "./keys.js";
import { graphBuiltins } from "./graph.js";
import { miscBuiltins } from "./misc.js";
import { netBuiltins } from "./net.js";
import { printBuiltins } from "./print.js";
import { renderTemplateBuiltins } from "./render-template.js";
import { semverBuiltins } from "./semver.js";
import { timeBuiltins } from "./time.js";
import { unitBuiltins } from "./units.js";
import { uriBuiltins } from "./uri.js";
import { uuidBuiltins } from "./uuid.js";
import { encodingBuiltins } from "./encoding.js";
import { globBuiltins } from "./glob.js";
import { globsMatchBuiltins } from "./globs-match.js";
import { jsonPathBuiltins } from "./json-paths.js";
import { regexBuiltins } from "./regex.js";
import { arrayBuiltins } from "./arrays.js";
import { numberBuiltins } from "./numbers.js";
import { objectBuiltins } from "./objects.js";
import { operatorBuiltins } from "./operators.js";
import type { BuiltinDef } from "./registry.js";
import { wrapBuiltin } from "./registry.js";
import { setBuiltins } from "./sets.js";
import { sanitizedBuiltins } from "./sanitized.js";
import { sprintfBuiltins } from "./sprintf.js";
import { stringBuiltins } from "./strings.js";
import { typeBuiltins } from "./types.js";

export { BuiltinError, Undefined, wrapBuiltin } from "./registry.js";
export { operandCheck, operandsAcceptable } from "./arg-types.js";
export { plainFormatParts } from "./sprintf.js";
export { sanitizeString, sanitizeValue } from "./sanitized.js";
export type { BuiltinContext, BuiltinDef, BuiltinErrorCode } from "./registry.js";

const families: BuiltinDef[][] = [
  operatorBuiltins, aggregateBuiltins, numberBuiltins, typeBuiltins, arrayBuiltins, objectBuiltins, setBuiltins,
  stringBuiltins, sprintfBuiltins, renderTemplateBuiltins, regexBuiltins, globBuiltins, globsMatchBuiltins, encodingBuiltins, jsonPathBuiltins,
  timeBuiltins, unitBuiltins, semverBuiltins, netBuiltins, graphBuiltins, cryptoBuiltins, uuidBuiltins, uriBuiltins, jwtBuiltins, keyBuiltins,
  printBuiltins, miscBuiltins, sanitizedBuiltins,
];

/** Builtins that exist only when a compile asks for them (Spacelift's plan-policy extensions). */
export const OPTIONAL_BUILTINS: ReadonlySet<string> = new Set(["sanitized"]);

function index(): Map<string, BuiltinDef> {
  const m = new Map<string, BuiltinDef>();
  for (const family of families) {
    for (const def of family) {
      if (m.has(def.name)) throw new Error(`builtin ${def.name} is registered twice`);
      const argTypes = def.argTypes ?? ARG_TYPES[def.name];
      m.set(def.name, wrapBuiltin(argTypes ? { ...def, argTypes } : def));
    }
  }
  return m;
}

/** All builtins by name. */
export const builtins: ReadonlyMap<string, BuiltinDef> = index();
