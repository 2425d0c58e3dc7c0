import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReattachedProvider } from "../src/index.js";
import type { ReattachedProvider } from "../src/index.js";
import { PROVIDER_ADDRESS, buildTestMirror, createWorkspace } from "./helpers/workspace.js";
import type { TestMirror, Workspace } from "./helpers/workspace.js";

describe("reattach mode", () => {
  let mirror: TestMirror;
  let provider: ReattachedProvider;

  beforeAll(async () => {
    mirror = await buildTestMirror();
    provider = await startReattachedProvider({ binary: mirror.binary, providerAddress: PROVIDER_ADDRESS, env: { TFPLUGIN_CODE_CACHE_DIR: mirror.codeCacheDir } });
  });
  afterAll(async () => {
    await provider?.stop();
    mirror?.cleanup();
  });

  function configFor(ws: Workspace, prefix: string): string {
    return `terraform {
  required_providers {
    things = { source = "${PROVIDER_ADDRESS}" }
  }
}
provider "things" {
  dir    = ${JSON.stringify(ws.dataDir)}
  prefix = "${prefix}"
}
resource "things_thing" "one" {
  name = "one"
}
resource "things_thing" "two" {
  name = "two"
  note = things_thing.one.arn
}
`;
  }

  it("serves two terraform processes at once, each with its own provider configuration", async () => {
    const reattach = JSON.parse(provider.reattachProviders) as Record<string, { Addr: { String: string }; Pid: number }>;
    expect(reattach[PROVIDER_ADDRESS]?.Addr.String).toMatch(/^127\.0\.0\.1:\d+$/);

    const red = createWorkspace(mirror, "red");
    const blue = createWorkspace(mirror, "blue");
    red.writeConfig(configFor(red, "red"));
    blue.writeConfig(configFor(blue, "blue"));
    const env = { TF_REATTACH_PROVIDERS: provider.reattachProviders };
    for (const ws of [red, blue]) expect((await ws.terraform(["init"])).code).toBe(0);

    const results = await Promise.all([red, blue].map((ws) => ws.terraform(["apply", "-auto-approve"], env)));
    for (const r of results) expect(r.code, r.stdout + r.stderr).toBe(0);

    for (const [ws, prefix] of [
      [red, "red"],
      [blue, "blue"],
    ] as const) {
      const files = readdirSync(ws.dataDir);
      expect(files).toHaveLength(2);
      for (const f of files) {
        // ids carry the configured prefix and the pid of the process that created them:
        // the long-lived provider, not a per-run one.
        expect(f.startsWith(`${prefix}-${provider.pid}-`)).toBe(true);
        expect(JSON.parse(readFileSync(join(ws.dataDir, f), "utf8")).name).toMatch(/^(one|two)$/);
      }
      const plan = await ws.terraform(["plan", "-detailed-exitcode"], env);
      expect(plan.code).toBe(0);
    }
  });
});
