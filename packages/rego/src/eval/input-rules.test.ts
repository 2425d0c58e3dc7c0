import { describe, expect, it } from "vitest";
import { compile, fromJSONText, toJSONText } from "../index.js";
import { isInputOnly } from "./input-rules.js";

const src = `package p
import rego.v1

blocks[b.bucket] := b if {
  some b in input.xs
  b.type == "block"
}
names contains x.name if {
  some x in input.xs
  x.n > 1
}
counted := count(input.xs)
from_data contains x if {
  some x in data.ys
}
uses_rule contains k if {
  some k, _ in blocks
}
warn contains x.name if {
  some x in input.xs
  x.type == "bucket"
  not blocks[x.name]
}
`;

describe("rules that depend on the input alone", () => {
  const policy = compile({ modules: [{ file: "p.rego", source: src }] });
  const node = (name: string) => policy.compiled.root.find(["p", name])!;

  it("are those that only walk the input and compare it with constants", () => {
    expect(isInputOnly(node("blocks"))).toBe(true);
    expect(isInputOnly(node("names"))).toBe(true);
    expect(isInputOnly(node("counted"))).toBe(false);
    expect(isInputOnly(node("from_data"))).toBe(false);
    expect(isInputOnly(node("uses_rule"))).toBe(false);
    expect(isInputOnly(node("warn"))).toBe(false);
  });

  const doc = (bucket: string) => fromJSONText(JSON.stringify({ xs: [
    { type: "block", bucket, name: "blk" }, { type: "bucket", name: "a", n: 2 }, { type: "bucket", name: "b", n: 1 },
  ] }));

  it("are computed once per input object and shared by the queries over it", () => {
    const input = doc("a");
    const warn = policy.prepare("data.p.warn");
    expect(toJSONText(warn.eval({ input })[0]!.expressions[0]!.value)).toBe('["b"]');
    // The second query over the same object finds `blocks` computed: it fits in fewer steps.
    const fresh = (): number => { let n = 1; for (;;) { try { warn.eval({ input: doc("a"), maxSteps: n }); return n; } catch { n++; } } };
    const needed = fresh();
    expect(() => warn.eval({ input, maxSteps: needed - 1 })).not.toThrow();
    expect(() => warn.eval({ input: doc("a"), maxSteps: needed - 1 })).toThrow(/steps/);
  });

  it("follow the input they were computed for, including one given with `with`", () => {
    const warn = policy.prepare("data.p.warn");
    const a = doc("a");
    const b = doc("b");
    expect(toJSONText(warn.eval({ input: a })[0]!.expressions[0]!.value)).toBe('["b"]');
    expect(toJSONText(warn.eval({ input: b })[0]!.expressions[0]!.value)).toBe('["a"]');
    expect(toJSONText(warn.eval({ input: a })[0]!.expressions[0]!.value)).toBe('["b"]');
    const q = policy.prepare('data.p.warn with input as {"xs": [{"type": "bucket", "name": "c"}]}');
    expect(toJSONText(q.eval({ input: a })[0]!.expressions[0]!.value)).toBe('["c"]');
  });
});
