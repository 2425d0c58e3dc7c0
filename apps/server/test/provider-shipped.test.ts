/**
 * The shipped providers at start-up, on both dialects: Gantry's provider is published under
 * Spacelift's addresses too (spacelift-io/spacelift and hashicorp/spacelift, 1.53.5, the same
 * build), its mirror answers exactly those addresses on registry.terraform.io and nothing else
 * there, and a restart skips every build whose size and time are unchanged without reading it
 * (a build changed on disk is read again and replaces the published one).
 */
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GantryClient } from "@gantry/contract";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShippedMirror } from "../../worker/test/shipped-providers.js";
import { loadConfig, startServer } from "../src/index.js";
import { dialects, startTestServer, type TestServer } from "./harness.js";
import { registryGet } from "./registry-client.js";

describe.each(dialects)("shipped providers (%s)", (dialect) => {
  let t: TestServer;
  let mirror: string;
  const encryptionKey = randomBytes(32).toString("base64");

  /** Restarts on the same database with a debug log, answering the start-up check's log line. */
  const restart = async () => {
    await t.server.close();
    const lines: string[] = [];
    const config = loadConfig({ argv: { port: 0, httpsPort: 0, dataDir: t.dataDir, databaseUrl: t.databaseUrl, encryptionKey, shippedProvidersDir: mirror }, env: {} });
    t.server = await startServer(config, { log: pino({ level: "debug" }, { write: (l: string) => void lines.push(l) }) });
    return lines.map((l) => JSON.parse(l) as { msg: string; skipped?: number; published?: unknown }).find((l) => l.msg.startsWith("shipped providers: checked"))!;
  };

  beforeAll(async () => {
    mirror = await buildShippedMirror({ spacelift: true });
    t = await startTestServer(dialect, { settings: { httpsPort: 0, shippedProvidersDir: mirror, encryptionKey } });
  }, 180_000);
  afterAll(async () => {
    await t?.server.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  it("publishes Gantry's provider under Spacelift's addresses, the same build under both", async () => {
    const providers = (await t.admin.call("listProviders", {})).items;
    expect(providers.map((p) => `${p.source} ${p.latestVersion}`)).toEqual([
      "gantry.dev/gantry/gantry 0.1.0", "registry.terraform.io/hashicorp/spacelift 1.53.5", "gantry.dev/sim/aws 0.1.0", "registry.terraform.io/spacelift-io/spacelift 1.53.5",
    ]);
    const sums = async (id: string) => (await t.admin.call("listProviderVersions", { params: { id, type: "spacelift" } })).items[0]!.platforms[0]!.sha256;
    expect(await sums("hashicorp")).toBe(await sums("spacelift-io"));
  });

  it("mirrors exactly those addresses on registry.terraform.io", async () => {
    const https = t.server.httpsUrl!;
    const ca = t.server.registry.caCertificatePem!;
    expect((await registryGet(https, ca, "/v1/mirror/registry.terraform.io/spacelift-io/spacelift/index.json", t.adminKey)).json()).toEqual({ versions: { "1.53.5": {} } });
    expect((await registryGet(https, ca, "/v1/mirror/registry.terraform.io/hashicorp/spacelift/index.json", t.adminKey)).json()).toEqual({ versions: { "1.53.5": {} } });
    // Another provider of the same namespace on the public registry is not Gantry's to answer.
    expect((await registryGet(https, ca, "/v1/mirror/registry.terraform.io/hashicorp/aws/index.json", t.adminKey)).status).toBe(404);
    expect((await registryGet(https, ca, "/v1/mirror/registry.terraform.io/sim/aws/index.json", t.adminKey)).status).toBe(404);
  });

  it("skips unchanged builds on restart without reading them; reads a build again when it changed", async () => {
    const simBinary = join(mirror, "gantry.dev/sim/aws/0.1.0/linux_amd64/terraform-provider-aws_v0.1.0");
    // The restarted server listens on another port: a client for whichever is running.
    const published = async () => (await new GantryClient({ baseUrl: t.server.url, token: t.adminKey }).call("listProviderVersions", { params: { id: "sim", type: "aws" } })).items[0]!.platforms[0]!.sha256;
    const before = await published();
    expect(await restart()).toMatchObject({ skipped: 4, published: 0 });

    // A new time on the same bytes: read again, found equal, nothing republished.
    const t0 = new Date("2026-01-01T00:00:00Z");
    utimesSync(simBinary, t0, t0);
    expect(await restart()).toMatchObject({ skipped: 3, published: 0 });

    // Same size and time, other bytes: the fingerprint says unchanged, so the bytes are not read.
    const original = readFileSync(simBinary);
    const tampered = Buffer.from(original);
    tampered[tampered.length - 2] = tampered[tampered.length - 2] === 0x20 ? 0x09 : 0x20;
    writeFileSync(simBinary, tampered);
    utimesSync(simBinary, t0, t0);
    expect(await restart()).toMatchObject({ skipped: 4, published: 0 });
    expect(await published()).toBe(before);

    // A rebuild (a new time): read, found different, published in place of the old build.
    utimesSync(simBinary, t0, new Date(t0.getTime() + 60_000));
    expect(await restart()).toMatchObject({ skipped: 3, published: 1 });
    expect(await published()).not.toBe(before);
    expect(await restart()).toMatchObject({ skipped: 4, published: 0 });
  }, 120_000);
});
