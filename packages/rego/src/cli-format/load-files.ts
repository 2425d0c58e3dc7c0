import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join, relative } from "node:path";
import { RObject, fromJSONText } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { ModuleSource } from "../compiler/compiler.js";

/** Policies and data read from `-d` paths, as `opa eval -d` / `opa test` load them. */
export interface LoadedFiles { modules: ModuleSource[]; data: Value }

function walk(path: string, out: string[]): void {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith(".")) continue;
      walk(join(path, name), out);
    }
  } else out.push(path);
}

function mergeAt(root: Value, path: string[], doc: Value): Value {
  if (path.length === 0) {
    if (root instanceof RObject && doc instanceof RObject) {
      let out = root;
      for (const [k, v] of doc.entries()) {
        const prev = out.get(k);
        out = out.with(k, prev === undefined ? v : mergeAt(prev, [], v));
      }
      return out;
    }
    return doc;
  }
  const obj = root instanceof RObject ? root : RObject.empty;
  const [head, ...rest] = path as [string, ...string[]];
  return obj.with(head, mergeAt(obj.get(head) ?? RObject.empty, rest, doc));
}

/**
 * Loads `.rego` files as modules and `.json` files as data. A JSON file's document is placed at
 * the path of its directory relative to the `-d` argument (`a/b/data.json` -> `data.a.b`),
 * as OPA does; numbers keep full precision.
 *
 * @example
 * const { modules, data } = loadPolicyFiles(["policies/"], 1);
 */
export function loadPolicyFiles(paths: readonly string[], regoVersion: 0 | 1 = 1): LoadedFiles {
  const modules: ModuleSource[] = [];
  let data: Value = RObject.empty;
  for (const root of paths) {
    const files: string[] = [];
    walk(root, files);
    const base = statSync(root).isDirectory() ? root : dirname(root);
    for (const file of files) {
      const ext = extname(file);
      if (ext === ".rego") {
        modules.push({ file, source: readFileSync(file, "utf8"), regoVersion });
      } else if (ext === ".json" && !basename(file).startsWith(".")) {
        const rel = relative(base, dirname(file));
        const path = rel === "" ? [] : rel.split(/[\\/]/);
        data = mergeAt(data, path, fromJSONText(readFileSync(file, "utf8")));
      }
    }
  }
  return { modules, data };
}
