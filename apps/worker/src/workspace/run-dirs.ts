import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Run directories are named `run-<runId>-<pid>-<random>`: the pid of the worker process that
 * owns it is in the name, so ownership is known without a second file that a crash could leave
 * half-written. Several workers (and `gantry up`'s in-process one) may share one work dir.
 */
export function createRunDir(workDir: string, runId: string): string {
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  return mkdtempSync(join(workDir, `run-${runId}-${process.pid}-`));
}

const owned = /^run-[0-9A-Za-z]+-(\d+)-[^-]+$/;
/** Directories of older versions carry no pid; one untouched this long belongs to nobody. */
const LEGACY_GRACE_MS = 10 * 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the run directories whose owner process is gone (a worker killed mid-run leaves its
 * checkout, plan and provider caches behind); directories of live workers stay. Returns the
 * names removed.
 */
export function removeDeadRunDirs(workDir: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(workDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith("run-")) continue;
    const m = owned.exec(name);
    const path = join(workDir, name);
    const dead = m ? !alive(Number(m[1])) : now - statSync(path).mtimeMs > LEGACY_GRACE_MS;
    if (!dead) continue;
    rmSync(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
