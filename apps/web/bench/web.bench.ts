/**
 * `npm run bench:web`: headless Chromium against a Gantry server (SQLite, as `gantry up` runs)
 * seeded with 10,000 stacks in 100 spaces and 100,000 runs. Measures the first load of the
 * Overview and Stacks pages (cold browser cache, until their data is on screen and the page
 * answers), client-side navigation from the stacks list to a stack page (p50/p95), and the gzip
 * size of the JavaScript the first page loads. Spaces go through the API; stacks and runs are
 * written with the server's own query builder in large batches (the API would take minutes).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { GantryClient } from "@gantry/contract";
import pino from "pino";
import type { Page } from "playwright-core";
import { ulid } from "ulid";
import { loadConfig, startServer } from "../../server/src/index.js";
import { ensureWebBuild, launchChromium } from "../test/chromium.js";

const STACKS = Number(process.env.BENCH_STACKS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 100_000);
const SPACES = 100;
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const NAVIGATIONS = Number(process.env.BENCH_NAVIGATIONS ?? 40);

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function seed(server: Awaited<ReturnType<typeof startServer>>, admin: GantryClient): Promise<string[]> {
  const db = server.runEngineForTests!.core.db;
  for (let i = 0; i < SPACES; i++) await admin.call("createSpace", { body: { id: `space-${i}`, name: `space ${i}`, inheritEntities: true } });
  const now = Date.now();
  const at = (msAgo: number) => new Date(now - msAgo).toISOString();
  const states = ["FINISHED", "FINISHED", "FINISHED", "FAILED", "NONE"];
  const stackIds = Array.from({ length: STACKS }, (_, i) => `svc-${String(i).padStart(5, "0")}`);
  for (let b = 0; b < stackIds.length; b += 500) {
    await db.insertInto("stacks").values(stackIds.slice(b, b + 500).map((id, k) => {
      const i = b + k;
      return {
        id, name: id, description: "", space_id: `space-${i % SPACES}`, repository: "https://example.com/infra.git", branch: "main", project_root: `services/${id}`,
        additional_project_globs: "[]", labels: JSON.stringify([`team:${i % 7}`, i % 3 === 0 ? "env:prod" : "env:dev"]), autodeploy: 0, autoretry: 0, administrative: 0,
        manage_state: 1, protect_from_deletion: 0, enable_local_preview: 0, workflow_tool: "TERRAFORM", terraform_version: null, hooks: "{}", worker_pool_id: null,
        locked_by: null, state: states[i % states.length]!, created_at: at(90 * 86_400_000), updated_at: at(i * 1000),
      };
    })).execute();
  }
  // Runs: ten per stack, oldest first (ULIDs made in time order), each a few minutes long.
  const perStack = Math.max(1, Math.floor(RUNS / STACKS));
  const rows = [];
  for (let r = 0; r < perStack; r++) {
    for (let i = 0; i < stackIds.length; i++) {
      const created = now - (perStack - r) * 3_600_000 - i * 10;
      rows.push({
        id: ulid(created), stack_id: stackIds[i]!, pool_id: "default", type: r % 4 === 0 ? "PROPOSED" : "TRACKED", state: (r + i) % 9 === 0 ? "FAILED" : "FINISHED",
        blocking: r % 4 === 0 ? 0 : 1, commit_sha: randomBytes(20).toString("hex"), commit_branch: "main", commit_message: `change ${r} of ${stackIds[i]}`, commit_author: "Ada",
        command: null, triggered_by: "admin", worker_id: null, token_hash: null, failure_reason: null, delta: JSON.stringify({ added: r % 3, changed: 1, deleted: 0 }),
        created_at: new Date(created).toISOString(), updated_at: new Date(created + 60_000 + ((r * 7919 + i) % 240) * 1000).toISOString(), source: "git",
      });
    }
  }
  for (let b = 0; b < rows.length; b += 500) await db.insertInto("runs").values(rows.slice(b, b + 500)).execute();
  return stackIds;
}

/** The JavaScript the first page loads (its entry script and the modules it preloads), gzipped. */
function firstPageJsGzip(dist: string): { files: string[]; bytes: number } {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  return { files, bytes: files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f))).length, 0) };
}

async function main() {
  ensureWebBuild({ force: true });
  const web = join(dirname(fileURLToPath(import.meta.url)), "..");
  const dataDir = mkdtempSync(join(tmpdir(), "gantry-bench-web-"));
  const server = await startServer(loadConfig({ argv: { port: 0, dataDir, encryptionKey: randomBytes(32).toString("base64") }, env: {} }), { log: pino({ level: "silent" }) });
  const admin = new GantryClient({ baseUrl: server.url, token: server.adminApiKey! });
  const browser = await launchChromium();
  try {
    const t0 = performance.now();
    const stackIds = await seed(server, admin);
    console.log(`seeded ${STACKS} stacks in ${SPACES} spaces and ${Math.floor(RUNS / STACKS) * STACKS} runs in ${ms(performance.now() - t0)}`);

    // The API calls behind the pages, without the browser: where the time goes.
    const api: Record<string, number[]> = { overview: [], "list stacks": [], "stack (the page's header)": [], "stack's 50 runs": [], "stack + its runs, in parallel": [] };
    for (let i = 0; i < 20; i++) {
      let t1 = performance.now(); await admin.call("getOverview", {}); api.overview!.push(performance.now() - t1);
      t1 = performance.now(); await admin.call("listStacks", { query: { limit: 100 } }); api["list stacks"]!.push(performance.now() - t1);
      t1 = performance.now(); await admin.call("getStack", { params: { id: stackIds[i + 20]! } }); api["stack (the page's header)"]!.push(performance.now() - t1);
      t1 = performance.now(); await admin.call("listStackRuns", { params: { id: stackIds[i + 20]! }, query: { limit: 50 } }); api["stack's 50 runs"]!.push(performance.now() - t1);
      t1 = performance.now();
      await Promise.all([admin.call("getStack", { params: { id: stackIds[i]! } }), admin.call("listStackRuns", { params: { id: stackIds[i]! }, query: { limit: 50 } })]);
      api["stack + its runs, in parallel"]!.push(performance.now() - t1);
    }

    // One login; each measured load then starts in a fresh browser context (empty cache) with the cookie.
    const login = await browser.newContext();
    const lp = await login.newPage();
    await lp.goto(`${server.url}/login`);
    await lp.getByRole("button", { name: "Use an API key instead" }).click();
    await lp.getByLabel("API key").fill(server.adminApiKey!);
    await lp.getByRole("button", { name: "Log in" }).click();
    await lp.waitForURL(`${server.url}/`);
    const storageState = await login.storageState();
    await login.close();

    /** Navigation start to the page's data on screen, then one input event answered (interactive). */
    async function coldLoad(path: string, ready: (p: Page) => Promise<unknown>): Promise<number> {
      const ctx = await browser.newContext({ storageState });
      const page = await ctx.newPage();
      const start = performance.now();
      await page.goto(`${server.url}${path}`, { waitUntil: "commit" });
      await ready(page);
      await page.keyboard.press("Tab");
      // One frame after the key press: the page answered the input (runs in the page, where requestAnimationFrame exists).
      await page.evaluate(() => new Promise((r) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => r(null))));
      const took = performance.now() - start;
      await ctx.close();
      return took;
    }
    const overview: number[] = [];
    const stacks: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      overview.push(await coldLoad("/", (p) => p.getByRole("heading", { name: `Stacks (${STACKS})` }).waitFor()));
      stacks.push(await coldLoad("/stacks", (p) => p.getByRole("status").filter({ hasText: "more below" }).waitFor()));
    }

    // Client-side navigation: from the list to a stack page, until its runs are on screen. Timed
    // inside the page, from the click event to the frame painted with the first run's row: what
    // a person waits for. Also timed by the driver, which adds its own work (finding the link
    // among 100 rows, checking it can be clicked, polling for the row over the CDP connection).
    const ctx = await browser.newContext({ storageState });
    const page = await ctx.newPage();
    const nav: number[] = [];
    const navInPage: number[] = [];
    for (let i = 0; i < NAVIGATIONS; i++) {
      const id = stackIds[(i * 97) % 100]!;
      await page.goto(`${server.url}/stacks`);
      await page.getByRole("link", { name: id, exact: true }).waitFor();
      await page.evaluate(() => {
        // Runs in the page (document and MutationObserver exist there).
        const w = globalThis as unknown as { document: { addEventListener(t: string, f: () => void, o: object): void; querySelector(s: string): unknown; body: unknown }; MutationObserver: new (f: () => void) => { observe(n: unknown, o: object): void }; requestAnimationFrame(f: () => void): void; gantryNav: { click?: number; runs?: number; painted?: number } };
        w.gantryNav = {};
        w.document.addEventListener("click", () => { w.gantryNav.click = performance.now(); }, { capture: true, once: true });
        new w.MutationObserver(() => {
          if (w.gantryNav.click === undefined || w.gantryNav.runs !== undefined || !w.document.querySelector("[aria-labelledby=runs-h] tbody tr")) return;
          w.gantryNav.runs = performance.now();
          // The frame that shows the row: a task queued from the next animation frame runs after it is painted.
          w.requestAnimationFrame(() => setTimeout(() => { w.gantryNav.painted = performance.now(); }, 0));
        }).observe(w.document.body, { childList: true, subtree: true });
      });
      const start = performance.now();
      await page.getByRole("link", { name: id, exact: true }).click();
      await page.getByRole("heading", { level: 1, name: new RegExp(`^${id}`) }).waitFor();
      await page.getByRole("region", { name: "Runs" }).getByRole("row").nth(1).waitFor();
      nav.push(performance.now() - start);
      await page.waitForFunction(() => (globalThis as unknown as { gantryNav: { painted?: number } }).gantryNav.painted !== undefined);
      const inPage = await page.evaluate(() => (globalThis as unknown as { gantryNav: { click: number; painted: number } }).gantryNav);
      navInPage.push(inPage.painted - inPage.click);
    }
    await ctx.close();

    const js = firstPageJsGzip(join(web, "dist"));
    console.log(`\nweb UI, ${STACKS} stacks / ${Math.floor(RUNS / STACKS) * STACKS} runs, SQLite, headless chromium; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} cores (shared machine: figures are pessimistic)`);
    console.log(`first load of Overview, interactive: median ${ms(pct(overview, 50))}, max ${ms(Math.max(...overview))} (target < 1 s)`);
    console.log(`first load of Stacks, interactive:   median ${ms(pct(stacks, 50))}, max ${ms(Math.max(...stacks))} (target < 1 s)`);
    console.log(`navigating to a stack (${NAVIGATIONS}x), click to its runs painted: p50 ${ms(pct(navInPage, 50))}, p95 ${ms(pct(navInPage, 95))} (target p95 < 200 ms)`);
    console.log(`  the same, timed by the test driver (adds its own work): p50 ${ms(pct(nav, 50))}, p95 ${ms(pct(nav, 95))}`);
    for (const [k, v] of Object.entries(api)) console.log(`API ${k.padEnd(30)} p50 ${ms(pct(v, 50))}, p95 ${ms(pct(v, 95))}`);
    console.log(`JS of the first page, gzip:          ${(js.bytes / 1024).toFixed(1)} KB in ${js.files.length} file(s) (target < 250 KB)`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
