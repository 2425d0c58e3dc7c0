/**
 * Browser test helpers: builds the web UI when its sources are newer than the build, and starts
 * Debian's chromium headless through playwright-core (no browser download).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import axe from "axe-core";
import { chromium, type Browser, type Page } from "playwright-core";

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

/** Runs axe-core in the page; answers the serious and critical violations, described. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  // Runs in the page, where axe and document exist.
  const result = await page.evaluate(async () => {
    const w = globalThis as unknown as { axe: typeof axe; document: unknown };
    return w.axe.run(w.document as Parameters<typeof axe.run>[0], { resultTypes: ["violations"] });
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Logs in through the login page with an API key or a user name and password, and waits for the overview. */
export async function logInThroughPage(page: Page, url: string, how: { apiKey: string } | { username: string; password: string }): Promise<void> {
  await page.goto(`${url}/login`);
  if ("apiKey" in how) {
    await page.getByRole("button", { name: "Use an API key instead" }).click();
    await page.getByLabel("API key").fill(how.apiKey);
  } else {
    await page.getByLabel("User name").fill(how.username);
    await page.getByLabel("Password").fill(how.password);
  }
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${url}/`);
}
