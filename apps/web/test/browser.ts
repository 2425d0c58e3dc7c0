/**
 * Browser test helpers: builds the web UI when its sources are newer than the build, starts
 * Debian's chromium headless through playwright-core (no browser download), and gives a test
 * file its whole set-up in one call (`webSession`) with the checks every page test makes
 * (`expectA11yClean`, `fieldProblem`).
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWorker, type RunningWorker } from "@gantry/worker";
import axe from "axe-core";
import { type Browser, type BrowserContextOptions, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { startTestServer, userWithRole, type DialectName, type TestServer } from "../../server/test/harness.js";
import { ensureWebBuild, launchChromium, screenshotDir } from "./chromium.js";

export { ensureWebBuild, launchChromium, screenshotDir };

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

/** Saves `<name>.png` of the whole page, or of one element of it, for people to review. */
export async function screenshot(what: Page | Locator, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await (isPage(what) ? what.screenshot({ path, fullPage: true }) : what.screenshot({ path }));
}

function isPage(x: Page | Locator): x is Page {
  return "goto" in x;
}

/** Logs in through the login page with an API key or a user name and password, and waits for the overview. */
export async function logInThroughPage(page: Page, url: string, how: LogIn): Promise<void> {
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

/** How a page logs in: with an API key, or with a user name and password. */
export type LogIn = { apiKey: string } | { username: string; password: string };

export interface WebSessionOptions<G> {
  /** The database the test server runs on (default SQLite). */
  dialect?: DialectName;
  /** Further server settings by key, as `startTestServer` takes them (e.g. `{ httpsPort: 0 }`). */
  settings?: Record<string, string | number>;
  /** Starts a real worker against the server first, for files whose tests run terraform. */
  worker?: { concurrency: number };
  /** The data the file needs, made through the API before the browser starts; the session's `given`. */
  given?: (t: TestServer) => Promise<G>;
  /** Who the session's page logs in as (default the server's admin key); `null` leaves it logged out. */
  logInAs?: ((t: TestServer, given: G) => LogIn) | null;
  /** Accept every confirm() the page asks (pages that ask before deleting). */
  acceptDialogs?: boolean;
  /** Options of the page's browser context (e.g. clipboard permissions). */
  context?: BrowserContextOptions;
  /** How long the set-up may take: a build, a server, terraform runs on a loaded machine. */
  setUpTimeoutMs?: number;
}

export interface WebSession<G> {
  /** The real server the file's tests drive. */
  readonly t: TestServer;
  readonly browser: Browser;
  /** The page logged in as `logInAs`, in a context of its own. */
  readonly page: Page;
  /** What the `given` option answered. */
  readonly given: G;
  /** A page in a fresh browser context, logged in as someone else (close its context when done). */
  pageAs(how: LogIn, opts?: { acceptDialogs?: boolean; context?: BrowserContextOptions }): Promise<Page>;
}

/**
 * The set-up every browser test file shares, registered as the file's (or describe block's)
 * `beforeAll`/`afterAll`: builds the UI if needed, starts a test server (and a worker), runs the
 * file's `given`, launches chromium and logs a page in. Read its fields inside tests and hooks:
 *
 * ```ts
 * const web = webSession({ given: async (t) => ({ readerKey: (await userWithRole(t, "reader", [...])).key }) });
 * it("...", async () => {
 *   const { t, page } = web;
 *   await page.goto(`${t.url}/stacks`);
 * });
 * ```
 */
export function webSession<G = undefined>(opts: WebSessionOptions<G> = {}): WebSession<G> {
  let t: TestServer | undefined;
  let worker: RunningWorker | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let given: { value: G } | undefined;

  async function pageAs(how: LogIn, o: { acceptDialogs?: boolean; context?: BrowserContextOptions } = {}): Promise<Page> {
    const p = await (await started("browser", browser).newContext(o.context)).newPage();
    if (o.acceptDialogs) p.on("dialog", (d) => void d.accept());
    await logInThroughPage(p, started("t", t).url, how);
    return p;
  }

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestServer(opts.dialect ?? "sqlite", { settings: opts.settings });
    if (opts.worker) {
      const workDir = mkdtempSync(join(tmpdir(), "gantry-web-worker-"));
      worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: opts.worker.concurrency, workDir, claimWaitMs: 5000 });
      await worker.ready;
    }
    given = { value: opts.given ? await opts.given(t) : (undefined as G) };
    browser = await launchChromium();
    page = await (await browser.newContext(opts.context)).newPage();
    if (opts.acceptDialogs) page.on("dialog", (d) => void d.accept());
    const how = opts.logInAs === undefined ? { apiKey: t.adminKey } : opts.logInAs?.(t, given.value);
    if (how) await logInThroughPage(page, t.url, how);
  }, opts.setUpTimeoutMs ?? 300_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await t?.stop();
  });

  return {
    get t() { return started("t", t); },
    get browser() { return started("browser", browser); },
    get page() { return started("page", page); },
    get given() { return started("given", given).value; },
    pageAs,
  };
}

/** A session field, or a clear error when it is read before the session's `beforeAll` ran. */
function started<T>(field: string, value: T | undefined): T {
  if (value === undefined) throw new Error(`webSession().${field} is read before the session started: read it inside a test or hook, not in the describe body`);
  return value;
}

/**
 * Runs axe-core in the light and the dark scheme (no serious or critical violation allowed) and
 * leaves the page in the light one. With a name, each scheme is also screenshot as
 * `<name>-<scheme>.png` (of `of` when given, else the whole page) for people to review.
 */
export async function expectA11yClean(page: Page, name?: string, opts: { of?: Locator } = {}): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousA11yViolations(page), name ? `${name} (${scheme})` : scheme).toEqual([]);
    if (name) await screenshot(opts.of ?? page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/**
 * The server's message shown at a field, found through the field's aria-describedby, once the
 * field is marked invalid (the server answers after the click, so this waits for the mark).
 * `form` is the page or the part of it the field is in.
 */
export async function fieldProblem(form: Page | Locator, label: string): Promise<string> {
  const field = form.getByLabel(label, { exact: true });
  await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
  const errorId = (await field.getAttribute("aria-describedby"))?.split(" ").find((i) => i.endsWith("-error"));
  expect(errorId, `${label} is marked invalid but names no error message in aria-describedby`).toBeDefined();
  // Ids are unique in the document: the message may sit outside the part of the page given.
  const page = isPage(form) ? form : form.page();
  return (await page.locator(`[id="${errorId}"]`).textContent())!;
}

/**
 * A `given` many admin pages share: space `team` (inheriting entities), its admin and a writer
 * there; log in with `logInAs: (_t, g) => ({ apiKey: g.adminKey })`.
 */
export async function teamWithAdminAndWriter(t: TestServer): Promise<{ adminKey: string; writerKey: string }> {
  await t.admin.call("createSpace", { body: { id: "team", name: "team", inheritEntities: true } });
  const admin = await userWithRole(t, "team-admin", [{ spaceId: "team", role: "admin" }]);
  const writerKey = (await userWithRole(t, "writer", [{ spaceId: "team", role: "write" }])).key;
  return { adminKey: admin.key, writerKey };
}
