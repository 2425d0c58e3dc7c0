import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { provider } from "../../test/fixture/provider.js";
import { attr, providerKit, t } from "../index.js";
import { objectTypeOf } from "../schema/object-type.js";
import { Unknown, isUnknown } from "../values.js";
import type { TfObject } from "../values.js";
import { ProviderService } from "./provider-service.js";
import type { Message } from "./proto.js";
import { fromDynamicValue, toDynamicValue } from "./wire.js";

const thingType = objectTypeOf(provider.definition.resources.things_thing!.definition.schema);
const providerType = objectTypeOf(provider.definition.schema);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const thing = (v: Partial<Record<string, unknown>>): TfObject =>
  ({ id: null, name: null, zone: null, size: null, tags: null, secret: null, arn: null, note: null, payload: null, big: null, password_wo: null, items: null, rule: [], ...v }) as TfObject;

async function configure(service: ProviderService, peer: string, prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "tfplugin-svc-"));
  dirs.push(dir);
  const res = await service.configureProvider({ config: toDynamicValue({ dir, prefix }, providerType), terraform_version: "1.11.4" }, peer);
  expect(res.diagnostics).toEqual([]);
  return dir;
}

async function create(service: ProviderService, peer: string, name: string): Promise<TfObject> {
  const config = thing({ name });
  const plan = await service.planResourceChange({ type_name: "things_thing", prior_state: toDynamicValue(null, thingType), proposed_new_state: toDynamicValue(config, thingType), config: toDynamicValue(config, thingType) }, peer);
  const applied = await service.applyResourceChange({ type_name: "things_thing", prior_state: toDynamicValue(null, thingType), planned_state: plan.planned_state, config: toDynamicValue(config, thingType) }, peer);
  expect(applied.diagnostics).toEqual([]);
  return fromDynamicValue(applied.new_state, thingType) as TfObject;
}

describe("ProviderService", () => {
  it("keeps each connection's provider configuration apart", async () => {
    const service = new ProviderService(provider);
    const redDir = await configure(service, "ipv4:127.0.0.1:1111", "red");
    const blueDir = await configure(service, "ipv4:127.0.0.1:2222", "blue");
    // red applies after blue configured: it must still use red's settings
    const red = await create(service, "ipv4:127.0.0.1:1111", "r");
    const blue = await create(service, "ipv4:127.0.0.1:2222", "b");
    expect(red.id).toMatch(/^red-/);
    expect(blue.id).toMatch(/^blue-/);
    expect(readdirSync(redDir)).toEqual([`${String(red.id)}.json`]);
    expect(readdirSync(blueDir)).toEqual([`${String(blue.id)}.json`]);
    const stranger = await service.applyResourceChange({ type_name: "things_thing", prior_state: toDynamicValue(null, thingType), planned_state: toDynamicValue(thing({ name: "x" }), thingType), config: toDynamicValue(thing({ name: "x" }), thingType) }, "ipv4:127.0.0.1:3333");
    expect((stranger.diagnostics as Message[])[0]?.summary).toMatch(/not configured/);
  });

  it("plans computed values, defaults, requires-replace and use-state-for-unknown", async () => {
    const service = new ProviderService(provider);
    const peer = "p";
    const config = thing({ name: "n" });
    const createPlan = await service.planResourceChange({ type_name: "things_thing", prior_state: toDynamicValue(null, thingType), proposed_new_state: toDynamicValue(config, thingType), config: toDynamicValue(config, thingType) }, peer);
    const planned = fromDynamicValue(createPlan.planned_state, thingType) as TfObject;
    expect(isUnknown(planned.id) && isUnknown(planned.arn) && isUnknown(planned.note)).toBe(true);
    expect(planned.zone).toBe("zone-a");

    const prior = thing({ id: "i-1", name: "n", zone: "zone-a", arn: "arn:1", note: "x" });
    const changed = thing({ name: "n2", zone: "zone-b" });
    const proposed = { ...changed, id: "i-1", arn: "arn:1", note: "x" };
    const updatePlan = await service.planResourceChange({ type_name: "things_thing", prior_state: toDynamicValue(prior, thingType), proposed_new_state: toDynamicValue(proposed, thingType), config: toDynamicValue(changed, thingType) }, peer);
    const up = fromDynamicValue(updatePlan.planned_state, thingType) as TfObject;
    expect(up.id).toBe("i-1"); // useStateForUnknown
    expect(isUnknown(up.arn)).toBe(true); // computed, changes with the update
    expect(updatePlan.requires_replace).toEqual([{ steps: [{ attribute_name: "zone" }] }]);

    const same = await service.planResourceChange({ type_name: "things_thing", prior_state: toDynamicValue(prior, thingType), proposed_new_state: toDynamicValue(prior, thingType), config: toDynamicValue(thing({ name: "n" }), thingType) }, peer);
    expect(fromDynamicValue(same.planned_state, thingType)).toEqual(prior);
    expect(same.requires_replace).toEqual([]);
  });

  it("plans write-only attributes as null, passes them to create, and checks nested attributes", async () => {
    const kit = providerKit<null>();
    let seenPassword: unknown;
    const p = kit.provider({
      schema: {},
      configure: () => null,
      resources: {
        r: kit.resource({
          schema: {
            id: attr.string({ computed: true }),
            password: attr.string({ optional: true, writeOnly: true }),
            items: attr.nested("list", { key: attr.string({ required: true }), uid: attr.string({ computed: true }) }, { optional: true }),
            dyn: attr.dynamic({ optional: true }),
            big: attr.number({ optional: true }),
            labels: attr.set(t.string, { optional: true, validate: (v) => (v.includes("bad") ? "bad label" : undefined) }),
          },
          create: ({ planned, config }) => {
            seenPassword = config.password;
            return { id: "x", items: (planned.items ?? []).map((i) => ({ key: i.key, uid: `u-${i.key}` })) };
          },
          read: ({ state }) => state,
          update: () => ({}),
          delete: () => undefined,
        }),
      },
    });
    const service = new ProviderService(p);
    const type = objectTypeOf(p.definition.resources.r!.definition.schema);
    await service.configureProvider({ config: toDynamicValue({}, objectTypeOf({})) }, "c");
    const config = { id: null, password: "s3cret", items: [{ key: "a", uid: null }], dyn: ["x", 1], big: null, labels: null };
    const plan = await service.planResourceChange({ type_name: "r", prior_state: toDynamicValue(null, type), proposed_new_state: toDynamicValue(config, type), config: toDynamicValue(config, type) }, "c");
    const planned = fromDynamicValue(plan.planned_state, type) as TfObject;
    expect(planned.password).toBeNull();
    expect(isUnknown((planned.items as TfObject[])[0]?.uid)).toBe(true);
    const applied = await service.applyResourceChange({ type_name: "r", prior_state: toDynamicValue(null, type), planned_state: plan.planned_state, config: toDynamicValue(config, type) }, "c");
    expect(seenPassword).toBe("s3cret");
    const state = fromDynamicValue(applied.new_state, type) as TfObject;
    expect(state).toMatchObject({ id: "x", password: null, items: [{ key: "a", uid: "u-a" }], dyn: ["x", 1] });

    const invalid = await service.validateResourceConfig({ type_name: "r", config: toDynamicValue({ ...config, labels: ["ok", "bad"], items: Unknown }, type) });
    expect(invalid.diagnostics).toEqual([expect.objectContaining({ severity: 1, detail: "bad label", attribute: { steps: [{ attribute_name: "labels" }] } })]);
  });

  it("upgrades stored JSON state, keeping exact numbers", async () => {
    const service = new ProviderService(provider);
    const raw = '{"id":"i","name":"n","zone":"zone-a","size":12345678901234567890,"tags":{"a":"b"},"arn":"a","note":"n","rule":[{"port":22,"cidr":null}],"removed_attr":true}';
    const res = await service.upgradeResourceState({ type_name: "things_thing", version: 0, raw_state: { json: Buffer.from(raw) } });
    const state = fromDynamicValue(res.upgraded_state, thingType) as TfObject;
    expect(String(state.size)).toBe("12345678901234567890");
    expect(state).not.toHaveProperty("removed_attr");
    expect(state.rule).toEqual([{ port: 22, cidr: null }]);
  });

  it("moves state from another resource type when the target accepts it", async () => {
    const kit = providerKit<null>();
    const p = kit.provider({
      schema: {},
      configure: () => null,
      resources: {
        new_thing: kit.resource({
          schema: { id: attr.string({ computed: true }), name: attr.string({ required: true }) },
          moveState: ({ sourceTypeName, sourceState }) => (sourceTypeName === "old_thing" ? { id: String(sourceState.id), name: String(sourceState.title) } : null),
          create: () => ({}),
          read: ({ state }) => state,
          update: () => ({}),
          delete: () => undefined,
        }),
      },
    });
    const service = new ProviderService(p);
    expect((service.getProviderSchema().server_capabilities as Message).move_resource_state).toBe(true);
    const type = objectTypeOf(p.definition.resources.new_thing!.definition.schema);
    const moved = await service.moveResourceState({ source_provider_address: "example.com/x/y", source_type_name: "old_thing", source_schema_version: 0, source_state: { json: Buffer.from('{"id":"o-1","title":"hello","extra":1}') }, target_type_name: "new_thing" });
    expect(fromDynamicValue(moved.target_state, type)).toEqual({ id: "o-1", name: "hello" });
    const refused = await service.moveResourceState({ source_provider_address: "example.com/x/y", source_type_name: "other", source_state: { json: Buffer.from("{}") }, target_type_name: "new_thing" });
    expect((refused.diagnostics as Message[])[0]?.summary).toMatch(/cannot take state moved from example.com\/x\/y other/);
  });

  it("turns handler failures into diagnostics and keeps state truthful", async () => {
    const kit = providerKit<null>();
    const p = kit.provider({
      schema: {},
      configure: () => null,
      resources: {
        r: kit.resource({
          schema: { id: attr.string({ computed: true }), mode: attr.string({ required: true }) },
          create: ({ planned, diagnostics }) => {
            if (planned.mode === "throw") throw new Error("quota exceeded");
            diagnostics.error("cannot create", "try again", ["mode"]);
            return {};
          },
          read: ({ state }) => state,
          update: () => ({}),
          delete: ({ diagnostics }) => diagnostics.error("still in use"),
        }),
      },
    });
    const service = new ProviderService(p);
    const type = objectTypeOf(p.definition.resources.r!.definition.schema);
    await service.configureProvider({ config: toDynamicValue({}, objectTypeOf({})) }, "c");
    for (const mode of ["throw", "diag"]) {
      const planned = { id: Unknown, mode };
      const res = await service.applyResourceChange({ type_name: "r", prior_state: toDynamicValue(null, type), planned_state: toDynamicValue(planned, type), config: toDynamicValue({ id: null, mode }, type) }, "c");
      expect(fromDynamicValue(res.new_state, type)).toBeNull();
      expect((res.diagnostics as Message[]).map((d) => d.summary)).toEqual([mode === "throw" ? "quota exceeded" : "cannot create"]);
    }
    const prior = { id: "x", mode: "m" };
    const del = await service.applyResourceChange({ type_name: "r", prior_state: toDynamicValue(prior, type), planned_state: toDynamicValue(null, type), config: toDynamicValue(null, type) }, "c");
    expect(fromDynamicValue(del.new_state, type)).toEqual(prior);
    expect((del.diagnostics as Message[])[0]?.summary).toBe("still in use");
  });
});
