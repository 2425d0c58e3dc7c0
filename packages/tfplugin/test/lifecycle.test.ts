import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestMirror, createWorkspace, providerHeader } from "./helpers/workspace.js";
import type { TestMirror, Workspace } from "./helpers/workspace.js";

interface StateResource {
  address: string;
  values: Record<string, unknown>;
}

// One real terraform workspace taken through a whole lifecycle, step by step.
describe("real terraform against a tfplugin provider", () => {
  let mirror: TestMirror;
  let ws: Workspace;

  const config = (a: { size: number; zone?: string }, extra = ""): string =>
    providerHeader(ws.dataDir) +
    `
resource "things_thing" "a" {
  name = "alpha"
  size = ${a.size}
  tags = { env = "dev" }
  ${a.zone ? `zone = "${a.zone}"` : ""}
  payload = { list = ["x", "y"], n = 1, nested = { ok = true } }
  big     = 12345678901234567890.123456789
  password_wo = "hunter2"
  items = [{ key = "k1" }, { key = "k2" }]
  rule {
    port = 80
  }
  rule {
    port = 443
    cidr = "10.0.0.0/8"
  }
}

resource "things_thing" "b" {
  name = "beta"
  note = things_thing.a.arn
}

data "things_lookup" "a" {
  id = things_thing.a.id
}

output "looked_up_name" {
  value = data.things_lookup.a.name
}
${extra}`;

  async function ok(args: string[]): Promise<string> {
    const r = await ws.terraform(args);
    if (r.code !== 0) throw new Error(`terraform ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  async function state(): Promise<Map<string, Record<string, unknown>>> {
    const doc = JSON.parse(await ok(["show", "-json"])) as { values?: { root_module?: { resources?: StateResource[] } } };
    return new Map((doc.values?.root_module?.resources ?? []).map((r) => [r.address, r.values]));
  }

  async function planJson(): Promise<{ resource_changes: { address: string; change: { actions: string[]; after_unknown: Record<string, unknown>; replace_paths?: unknown } }[] }> {
    await ok(["plan", "-out=tfplan"]);
    return JSON.parse(await ok(["show", "-json", "tfplan"])) as Awaited<ReturnType<typeof planJson>>;
  }

  const dataFiles = (): string[] => readdirSync(ws.dataDir).filter((f) => f.endsWith(".json"));

  beforeAll(async () => {
    mirror = await buildTestMirror();
    ws = createWorkspace(mirror, "lifecycle");
  });
  afterAll(() => mirror?.cleanup());

  it("installs from the filesystem mirror and writes a lock file", async () => {
    ws.writeConfig(config({ size: 3 }));
    await ok(["init"]);
    expect(readFileSync(join(ws.dir, ".terraform.lock.hcl"), "utf8")).toContain('provider "example.com/test/things"');
  });

  it("plans a create with computed values unknown, and unknowns flowing into other resources", async () => {
    const plan = await planJson();
    const byAddress = new Map(plan.resource_changes.map((c) => [c.address, c.change]));
    expect(byAddress.get("things_thing.a")?.actions).toEqual(["create"]);
    expect(byAddress.get("things_thing.a")?.after_unknown).toMatchObject({ id: true, arn: true, note: true });
    // b.note comes from a.arn, unknown until a is created
    expect(byAddress.get("things_thing.b")?.after_unknown).toMatchObject({ note: true });
    expect(byAddress.get("data.things_lookup.a")?.actions).toEqual(["read"]);
  });

  it("applies, and the unknowns are resolved to the created values", async () => {
    await ok(["apply", "tfplan"]);
    const s = await state();
    const a = s.get("things_thing.a");
    const b = s.get("things_thing.b");
    expect(a?.id).toMatch(/^thing-/);
    expect(a?.zone).toBe("zone-a"); // default
    expect(a?.rule).toEqual([
      { port: 80, cidr: null },
      { port: 443, cidr: "10.0.0.0/8" },
    ]);
    expect(b?.note).toBe(a?.arn);
    // dynamic values keep their shape, big numbers their digits, write-only values stay out of state
    expect(a?.payload).toEqual({ list: ["x", "y"], n: 1, nested: { ok: true } });
    expect(a?.big).toBe(Number("12345678901234567890.123456789")); // JSON.parse of terraform's output rounds...
    expect(readFileSync(join(ws.root, "terraform.tfstate"), "utf8")).toContain("12345678901234567890.123456789"); // ...state keeps every digit
    expect(a?.password_wo).toBeNull();
    expect(JSON.parse(readFileSync(join(ws.dataDir, `${String(a?.id)}.json`), "utf8")).password_wo_seen).toBe("hunter2");
    expect(a?.items).toEqual([
      { key: "k1", uid: `${String(a?.id)}/k1` },
      { key: "k2", uid: `${String(a?.id)}/k2` },
    ]);
    expect(s.get("data.things_lookup.a")?.name).toBe("alpha");
    expect(dataFiles()).toHaveLength(2);
    // re-planning right after apply finds nothing to do
    expect((await ws.terraform(["plan", "-detailed-exitcode"])).code).toBe(0);
  });

  it("updates in place", async () => {
    const before = (await state()).get("things_thing.a");
    ws.writeConfig(config({ size: 4 }));
    const plan = await planJson();
    expect(plan.resource_changes.find((c) => c.address === "things_thing.a")?.change.actions).toEqual(["update"]);
    await ok(["apply", "tfplan"]);
    const after = (await state()).get("things_thing.a");
    expect(after?.id).toBe(before?.id);
    expect(after?.size).toBe(4);
    expect(JSON.parse(readFileSync(join(ws.dataDir, `${String(after?.id)}.json`), "utf8"))).toMatchObject({ size: 4 });
  });

  it("replaces when a requires-replace attribute changes", async () => {
    const before = (await state()).get("things_thing.a");
    ws.writeConfig(config({ size: 4, zone: "zone-b" }));
    const plan = await planJson();
    const change = plan.resource_changes.find((c) => c.address === "things_thing.a")?.change;
    expect(change?.actions).toEqual(["delete", "create"]);
    expect(change?.replace_paths).toEqual([["zone"]]);
    await ok(["apply", "tfplan"]);
    const after = (await state()).get("things_thing.a");
    expect(after?.id).not.toBe(before?.id);
    expect(after?.zone).toBe("zone-b");
    expect(existsSync(join(ws.dataDir, `${String(before?.id)}.json`))).toBe(false);
  });

  it("refresh shows drift and a vanished object", async () => {
    const s = await state();
    const aFile = join(ws.dataDir, `${String(s.get("things_thing.a")?.id)}.json`);
    writeFileSync(aFile, JSON.stringify({ ...JSON.parse(readFileSync(aFile, "utf8")), name: "drifted" }));
    rmSync(join(ws.dataDir, `${String(s.get("things_thing.b")?.id)}.json`));
    const r = await ws.terraform(["plan", "-detailed-exitcode"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/~ name\s+= "drifted" -> "alpha"/);
    expect(r.stdout).toMatch(/things_thing\.b will be created/);
    await ok(["apply", "-auto-approve"]);
    expect((await ws.terraform(["plan", "-detailed-exitcode"])).code).toBe(0);
  });

  it("imports an existing object", async () => {
    writeFileSync(join(ws.dataDir, "manual-1.json"), JSON.stringify({ id: "manual-1", name: "imported", zone: "zone-a", size: 7, arn: "arn:test:zone-a:manual-1", note: "by hand" }));
    ws.writeConfig(config({ size: 4, zone: "zone-b" }, `\nresource "things_thing" "c" {\n  name = "imported"\n  size = 7\n  note = "by hand"\n}\n`));
    await ok(["import", "things_thing.c", "manual-1"]);
    const c = (await state()).get("things_thing.c");
    expect(c).toMatchObject({ id: "manual-1", name: "imported", size: 7, arn: "arn:test:zone-a:manual-1" });
    expect((await ws.terraform(["plan", "-detailed-exitcode"])).code).toBe(0);
    const missing = await ws.terraform(["import", "things_thing.c", "nope"]);
    expect(missing.code).not.toBe(0);
  });

  it("moves a resource to another type with a moved block", async () => {
    const before = (await state()).get("things_thing.c");
    ws.writeConfig(config({ size: 4, zone: "zone-b" }, `\nresource "things_label" "c" {\n  name = "imported"\n}\nmoved {\n  from = things_thing.c\n  to   = things_label.c\n}\n`));
    const r = await ws.terraform(["plan", "-detailed-exitcode"]);
    expect(r.stdout).toContain("things_thing.c has moved to things_label.c");
    expect(r.stdout).not.toMatch(/will be (created|destroyed)/);
    await ok(["apply", "-auto-approve"]);
    expect((await state()).get("things_label.c")).toEqual({ id: before?.id, name: "imported" });
  });

  it("destroys everything", async () => {
    await ok(["destroy", "-auto-approve"]);
    expect(dataFiles()).toEqual([]);
    expect((await state()).size).toBe(0);
  });
});
