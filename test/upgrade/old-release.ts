/**
 * An older release of Gantry, built from this repository's history: a `git worktree` of the
 * commit in a temporary directory whose `node_modules` reuses this checkout's third-party
 * packages (symlinked one by one) but points the `@gantry/*` workspaces at the old sources, so
 * the old CLI runs the old server, worker and migrations.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface OldRelease {
  commit: string;
  root: string;
  /** The old CLI's entry point, for spawnGantry. */
  cliMain: string;
  remove(): void;
}

/** Where each workspace package sits in the old tree (only those the old commit has). */
function workspacesOf(root: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const group of ["apps", "packages"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) if (existsSync(join(dir, name, "package.json"))) found.set(name, join(dir, name));
  }
  return found;
}

export function checkOutOldRelease(ref: string): OldRelease {
  const commit = execFileSync("git", ["-C", repoRoot, "rev-parse", "--verify", `${ref}^{commit}`], { encoding: "utf8" }).trim();
  const dir = mkdtempSync(join(tmpdir(), "gantry-old-release-"));
  const root = join(dir, "src");
  execFileSync("git", ["-C", repoRoot, "worktree", "add", "--quiet", "--detach", root, commit]);
  const modules = join(root, "node_modules");
  mkdirSync(join(modules, "@gantry"), { recursive: true });
  for (const entry of readdirSync(join(repoRoot, "node_modules"))) {
    if (entry !== "@gantry") symlinkSync(join(repoRoot, "node_modules", entry), join(modules, entry));
  }
  const old = workspacesOf(root);
  for (const [name, path] of old) symlinkSync(path, join(modules, "@gantry", name));
  // Packages npm installed under a workspace (version conflicts) go beside the old workspace.
  for (const [name, path] of workspacesOf(repoRoot)) {
    const own = join(path, "node_modules");
    const target = old.get(name);
    if (target && existsSync(own) && !existsSync(join(target, "node_modules"))) symlinkSync(own, join(target, "node_modules"));
  }
  return {
    commit,
    root,
    cliMain: join(root, "apps", "cli", "src", "main.ts"),
    remove() {
      execFileSync("git", ["-C", repoRoot, "worktree", "remove", "--force", root]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
