import { describe, expect, it } from "vitest";
import { attr, block } from "../schema/builders.js";
import { Unknown, isUnknown } from "../values.js";
import type { TfObject } from "../values.js";
import { planResource } from "./plan.js";

const fields = {
  id: attr.string({ computed: true }),
  name: attr.string({ required: true }),
  rule: block.list({
    port: attr.int({ required: true, requiresReplace: true }),
    proto: attr.string({ optional: true, default: "tcp" }),
    rule_id: attr.string({ computed: true }),
  }),
  tag: block.set({ key: attr.string({ required: true }), tag_id: attr.string({ computed: true }) }),
  meta: block.map({ value: attr.string({ optional: true }) }),
};

describe("planResource", () => {
  it("plans computed parts of nested blocks as unknown and applies nested defaults on create", () => {
    const config: TfObject = { id: null, name: "n", rule: [{ port: 80, proto: null, rule_id: null }], tag: [{ key: "a", tag_id: null }], meta: { x: { value: "v" } } };
    const { planned, requiresReplace } = planResource(fields, null, config, config);
    expect(isUnknown(planned.id)).toBe(true);
    const rule = (planned.rule as TfObject[])[0]!;
    expect(rule.proto).toBe("tcp");
    expect(isUnknown(rule.rule_id)).toBe(true);
    expect(isUnknown((planned.tag as TfObject[])[0]!.tag_id)).toBe(true);
    expect(planned.meta).toEqual({ x: { value: "v" } });
    expect(requiresReplace).toEqual([]);
  });

  it("keeps prior computed values when nothing changes, and reports nested requires-replace paths with indexes", () => {
    const prior: TfObject = {
      id: "i",
      name: "n",
      rule: [
        { port: 80, proto: "tcp", rule_id: "r0" },
        { port: 443, proto: "tcp", rule_id: "r1" },
      ],
      tag: [{ key: "a", tag_id: "t0" }],
      meta: {},
    };
    const config: TfObject = {
      id: null,
      name: "n",
      rule: [
        { port: 80, proto: null, rule_id: null },
        { port: 443, proto: null, rule_id: null },
      ],
      tag: [{ key: "a", tag_id: null }],
      meta: {},
    };
    // terraform proposes prior values for computed attributes the configuration leaves null
    const same = planResource(fields, prior, prior, config);
    expect(same.planned).toEqual(prior);
    expect(same.requiresReplace).toEqual([]);

    const changedConfig: TfObject = { ...config, rule: [{ port: 80, proto: null, rule_id: null }, { port: 8443, proto: null, rule_id: null }] };
    const proposed: TfObject = { ...prior, rule: [{ port: 80, proto: null, rule_id: "r0" }, { port: 8443, proto: null, rule_id: "r1" }] };
    const changed = planResource(fields, prior, proposed, changedConfig);
    expect(changed.requiresReplace).toEqual([["rule", 1, "port"]]);
    expect(isUnknown(changed.planned.id)).toBe(true);
    // set elements have no stable identity: their computed parts keep the proposed value
    expect((changed.planned.tag as TfObject[])[0]!.tag_id).toBe("t0");
  });

  it("leaves unknown nested values alone", () => {
    const config: TfObject = { id: null, name: "n", rule: Unknown, tag: [], meta: {} };
    expect(planResource(fields, null, config, config).planned.rule).toBe(Unknown);
  });
});
