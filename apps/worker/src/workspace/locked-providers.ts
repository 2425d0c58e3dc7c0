import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A provider version a dependency lock file pins. */
export interface LockedProvider { source: string; version: string }

/**
 * The providers `.terraform.lock.hcl` in the root module pins, read before init so the registry
 * can still list a yanked version this stack is locked to (terraform asks for the version list
 * before downloading even a locked provider). The file is the one terraform writes: one
 * `provider "<address>" { version = "x" ... }` block per provider; anything else is ignored.
 *
 * @example
 * lockedProviders("/work/project"); // [{ source: "registry.example.com/acme/demo", version: "1.1.0" }]
 */
export function lockedProviders(projectDir: string): LockedProvider[] {
  const file = join(projectDir, ".terraform.lock.hcl");
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "utf8");
  const out: LockedProvider[] = [];
  // A block's body holds no `}` before its end: hashes are a list in brackets.
  for (const m of text.matchAll(/provider\s+"([^"]+)"\s*\{([^}]*)\}/g)) {
    const version = /(?:^|\n)\s*version\s*=\s*"([^"]+)"/.exec(m[2]!)?.[1];
    if (version) out.push({ source: m[1]!, version });
  }
  return out.slice(0, 1000);
}
