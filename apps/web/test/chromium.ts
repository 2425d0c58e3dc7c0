/**
 * The web UI's build and Debian's headless chromium (through playwright-core, no browser
 * download), without vitest: the browser tests (browser.ts) and `npm run bench:web` both use it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Screenshots of the main pages land here for people to review (ignored by git). */
export const screenshotDir = join(web, "..", "..", "test-output", "screenshots");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  const index = join(web, "dist", "index.html");
  const sources = Math.max(newestSource(join(web, "src")), statSync(join(web, "index.html")).mtimeMs);
  return existsSync(index) && statSync(index).mtimeMs > sources;
}

/**
 * Builds apps/web/dist unless it is newer than every source file (`force`: always). Test files
 * run in parallel processes: a lock directory keeps two builds from emptying `dist` under each other.
 */
export function ensureWebBuild(opts: { force?: boolean } = {}): void {
  if (!opts.force && isFresh()) return;
  const lock = join(web, ".dist-build.lock");
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`waiting for another web UI build: remove ${lock} if no build is running`);
      spawnSync("sleep", ["0.5"]);
    }
  }
  try {
    if (!opts.force && isFresh()) return;
    // vitest sets NODE_ENV=test, which would make Vite bundle React's development build (60% larger
    // and slower): the UI under test must be the one people get.
    const r = spawnSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: web, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
    if (r.status !== 0) throw new Error(`building the web UI failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

