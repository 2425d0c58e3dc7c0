import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** One module call terraform resolved from a registry, and the constraint the call gave. */
export interface ResolvedModule { key: string; source: string; version: string; constraint: string | null }

interface ModulesJson { Modules?: { Key: string; Source: string; Version?: string; Dir: string }[] }

/**
 * The `version` argument of `module "<name>"` in a directory's .tf files. Terraform does not
 * record constraints in modules.json, so the call is read from the code: the block is found by
 * name and its top-level `version = "..."` taken (enough for the literal constraints registry
 * calls use; an expression is not allowed there by terraform).
 */
function constraintOf(dir: string, name: string): string | null {
  if (!existsSync(dir)) return null;
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".tf"))) {
    const text = readFileSync(join(dir, f), "utf8");
    const start = new RegExp(`module\\s+"${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"\\s*\\{`).exec(text);
    if (!start) continue;
    let depth = 0;
    let i = start.index + start[0].length - 1;
    const bodyStart = i + 1;
    for (; i < text.length; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}" && --depth === 0) break;
    }
    const body = text.slice(bodyStart, i);
    // Only the block's own level: nested blocks (providers = {...}) are blanked out first.
    const flat = body.replace(/\{[^{}]*\}/g, "");
    return /^\s*version\s*=\s*"([^"]*)"/m.exec(flat)?.[1] ?? null;
  }
  return null;
}

/**
 * The registry modules of `.terraform/modules/modules.json` after init (local and git sources,
 * which have no version, are left out), each with its call's version constraint.
 */
export function resolvedModules(projectDir: string): ResolvedModule[] {
  const file = join(projectDir, ".terraform", "modules", "modules.json");
  if (!existsSync(file)) return [];
  const doc = JSON.parse(readFileSync(file, "utf8")) as ModulesJson;
  const dirs = new Map((doc.Modules ?? []).map((m) => [m.Key, resolve(projectDir, m.Dir)]));
  return (doc.Modules ?? [])
    .filter((m) => m.Key !== "" && m.Version)
    .map((m) => {
      const at = m.Key.lastIndexOf(".");
      const parentDir = at < 0 ? projectDir : dirs.get(m.Key.slice(0, at)) ?? projectDir;
      return { key: m.Key, source: m.Source, version: m.Version!, constraint: constraintOf(parentDir, m.Key.slice(at + 1)) };
    });
}
