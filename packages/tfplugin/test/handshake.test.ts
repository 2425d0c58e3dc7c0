import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { credentials, makeGenericClientConstructor } from "@grpc/grpc-js";
import type { ChannelCredentials, Client } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPluginCertificate } from "../src/server/certificate.js";
import { MAGIC_COOKIE_VALUE } from "../src/server/handshake.js";
import { serviceDefinition } from "../src/server/proto.js";
import type { Message } from "../src/server/proto.js";
import { measureHandshake } from "../src/index.js";
import { buildProviderBinary } from "../src/packaging/index.js";
import { buildTestMirror } from "./helpers/workspace.js";
import type { TestMirror } from "./helpers/workspace.js";

type Call = (req: Message, cb: (err: Error | null, res?: Message) => void) => void;

function start(binary: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcessWithoutNullStreams; fields: string[] }> {
  const child = spawn(binary, [], { env: { PATH: process.env.PATH, TFPLUGIN_CODE_CACHE: "0", ...env } });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve({ child, fields: out.split("\n")[0]!.split("|") });
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}`)));
  });
}

function client(service: string, address: string, creds: ChannelCredentials): Client & Record<string, Call> {
  const Ctor = makeGenericClientConstructor(serviceDefinition(service), service);
  return new Ctor(address, creds, { "grpc.ssl_target_name_override": "localhost" }) as unknown as Client & Record<string, Call>;
}

const call = (c: Record<string, Call>, method: string, req: Message = {}): Promise<Message> =>
  new Promise((resolve, reject) => c[method]!(req, (err, res) => (err ? reject(err) : resolve(res ?? {}))));

const exited = (child: ChildProcessWithoutNullStreams): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once("exit", (code) => resolve(code)));

describe("go-plugin handshake", () => {
  let mirror: TestMirror;
  beforeAll(async () => {
    mirror = await buildTestMirror();
  });
  afterAll(() => mirror?.cleanup());

  it("builds reproducibly, so terraform lock files survive a rebuild", async () => {
    const again = join(mirror.root, "again");
    await buildProviderBinary({ entry: join(dirname(fileURLToPath(import.meta.url)), "fixture", "main.ts"), outFile: again });
    expect(readFileSync(again).equals(readFileSync(mirror.binary))).toBe(true);
  });

  it("explains itself and exits 1 when run by hand", async () => {
    const child = spawn(mirror.binary, [], { env: { PATH: process.env.PATH } });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    expect(await exited(child as ChildProcessWithoutNullStreams)).toBe(1);
    expect(err).toContain("Terraform provider plugin");
  });

  it("also starts from inside an ES-module package, and the mirror pins commonjs", async () => {
    const dir = join(mirror.root, "esm-scope");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }');
    copyFileSync(mirror.binary, join(dir, "provider"));
    const { child, fields } = await start(join(dir, "provider"), { TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, TF_DISABLE_PLUGIN_TLS: "1" });
    child.kill("SIGKILL");
    expect(fields[1]).toBe("6");
    expect(JSON.parse(readFileSync(join(mirror.mirrorDir, "package.json"), "utf8"))).toEqual({ type: "commonjs" });
  });

  it("serves mutual TLS with its own certificate and refuses clients without one", async () => {
    const terraformSide = createPluginCertificate();
    const { child, fields } = await start(mirror.binary, { TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: "5,6", PLUGIN_CLIENT_CERT: terraformSide.certPem });
    try {
      expect(fields.slice(0, 3)).toEqual(["1", "6", "tcp"]);
      expect(fields[4]).toBe("grpc");
      // field 6 is DER in unpadded base64, as Go's RawStdEncoding writes it
      const der = Buffer.from(fields[5]!, "base64");
      const serverCertPem = `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n")}\n-----END CERTIFICATE-----\n`;
      const good = client("tfplugin6.Provider", fields[3]!, credentials.createSsl(Buffer.from(serverCertPem), Buffer.from(terraformSide.keyPem), Buffer.from(terraformSide.certPem)));
      const schema = await call(good, "GetProviderSchema");
      expect(Object.keys(schema.resource_schemas as object).sort()).toEqual(["things_label", "things_thing"]);
      good.close();
      const stranger = createPluginCertificate();
      const bad = client("tfplugin6.Provider", fields[3]!, credentials.createSsl(Buffer.from(serverCertPem), Buffer.from(stranger.keyPem), Buffer.from(stranger.certPem)));
      await expect(call(bad, "GetProviderSchema")).rejects.toThrow();
      bad.close();
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("runs without TLS under TF_DISABLE_PLUGIN_TLS and exits on the controller's Shutdown", async () => {
    const { child, fields } = await start(mirror.binary, { TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, TF_DISABLE_PLUGIN_TLS: "1" });
    expect(fields[5]).toBe("");
    const health = client("grpc.health.v1.Health", fields[3]!, credentials.createInsecure());
    expect(await call(health, "Check", { service: "plugin" })).toEqual({ status: 1 });
    const provider = client("tfplugin6.Provider", fields[3]!, credentials.createInsecure());
    expect(await call(provider, "GetFunctions")).toMatchObject({ functions: {} });
    const controller = client("plugin.GRPCController", fields[3]!, credentials.createInsecure());
    const exit = exited(child);
    await call(controller, "Shutdown");
    expect(await exit).toBe(0);
    for (const c of [health, provider, controller]) c.close();
  });

  // Start-up time is measured by `npm run bench:providers`, not asserted here: tests share two
  // cores with everything else. This checks the mechanism that makes start-up fast.
  it("writes a V8 code cache on the first launch and starts from it afterwards", async () => {
    const env = { TFPLUGIN_CODE_CACHE_DIR: mirror.codeCacheDir };
    await measureHandshake(mirror.binary, { env });
    const cached = readdirSync(mirror.codeCacheDir).filter((f) => f.endsWith(".v8cache"));
    expect(cached).toHaveLength(1);
    const again = await measureHandshake(mirror.binary, { env });
    expect(again.line).toMatch(/^1\|6\|(tcp|unix)\|/);
    expect(readdirSync(mirror.codeCacheDir).filter((f) => f.endsWith(".v8cache"))).toEqual(cached);
  });
});
