/**
 * The served OpenAPI document is complete (every mounted route is in it), valid for a standard
 * validator, and good enough to generate a typed client that type-checks. The document does not
 * depend on the database, so one dialect is enough.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

type Doc = { openapi: string; paths: Record<string, Record<string, { operationId?: string }>> };

describe("OpenAPI document", () => {
  let t: TestServer;
  let doc: Doc;
  beforeAll(async () => {
    t = await startTestServer("sqlite");
    const res = await fetch(`${t.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });
  afterAll(() => t?.stop());

  it("lists every mounted route", () => {
    const routes = t.server.routesForTests ?? [];
    expect(routes.length).toBeGreaterThan(50);
    const missing = routes
      // HEAD is Fastify's automatic twin of each GET.
      .filter((r) => r.method !== "HEAD")
      .map((r) => ({ method: r.method.toLowerCase(), path: r.url.replace(/:(\w+)/g, "{$1}") }))
      .filter(({ method, path }) => {
        const item = doc.paths[path];
        return !item || !(item[method] ?? item[`x-${method}`]);
      })
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(missing).toEqual([]);
    // And nothing in it that is not mounted.
    const mounted = new Set(routes.map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, "{$1}")}`));
    const ghost = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.replace(/^x-/, "")} ${path}`)).filter((k) => !mounted.has(k));
    expect(ghost).toEqual([]);
  });

  it("declares OpenAPI 3.1 and passes a standard validator", async () => {
    expect(doc.openapi).toBe("3.1.0");
    // The validator dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it("generates a typed client that type-checks", async () => {
    const source = astToString(await openapiTS(structuredClone(doc) as never));
    const dir = mkdtempSync(join(tmpdir(), "gantry-openapi-"));
    try {
      writeFileSync(join(dir, "api.d.ts"), source);
      // Uses of the generated types that only compile if the schemas came through as written.
      writeFileSync(
        join(dir, "use.ts"),
        [
          `import type { paths } from "./api.js";`,
          `type StackPage = paths["/api/v1/stacks"]["get"]["responses"]["200"]["content"]["application/json"];`,
          `export const ids = (p: StackPage): string[] => p.items.map((s) => s.id);`,
          `type NewStack = NonNullable<paths["/api/v1/stacks"]["post"]["requestBody"]>["content"]["application/json"];`,
          `export const s: NewStack = { name: "n", repository: "r" };`,
          `type Err = paths["/api/v1/stacks/{id}"]["get"]["responses"]["default"]["content"]["application/json"];`,
          `export const code = (e: Err): string => e.error.code;`,
          `export const cursorParam: paths["/api/v1/stacks"]["get"]["parameters"]["query"] = { cursor: "01H" };`,
        ].join("\n"),
      );
      const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
      const out = (() => {
        try {
          execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", join(dir, "use.ts")], { encoding: "utf8" });
          return "";
        } catch (err) {
          return String((err as { stdout?: string }).stdout);
        }
      })();
      expect(out).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // A compiler run over the whole generated API: ~15 s on a quiet 2-core machine, 40-70 s when
    // the rest of the suite shares it.
  }, 180_000);
});
