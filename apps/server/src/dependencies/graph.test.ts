import { describe, expect, it } from "vitest";
import { allUpstream, cycleIfAdded, downstreamInOrder, type DependencyEdge } from "./graph.js";

const e = (stack: string, upstream: string): DependencyEdge => ({ stack, upstream });

describe("cycleIfAdded", () => {
  it.each([
    { name: "self", edges: [], added: e("a", "a"), cycle: ["a", "a"] },
    { name: "two stacks", edges: [e("b", "a")], added: e("a", "b"), cycle: ["a", "b", "a"] },
    { name: "three stacks", edges: [e("b", "a"), e("c", "b")], added: e("a", "c"), cycle: ["a", "c", "b", "a"] },
    { name: "diamond stays acyclic", edges: [e("b", "a"), e("c", "a")], added: e("d", "b"), cycle: null },
    { name: "second parent of a diamond", edges: [e("b", "a"), e("c", "a"), e("d", "b")], added: e("d", "c"), cycle: null },
    { name: "unrelated edge", edges: [e("b", "a")], added: e("c", "d"), cycle: null },
  ])("$name", ({ edges, added, cycle }) => {
    expect(cycleIfAdded(edges, added)).toEqual(cycle);
  });
});

describe("graph walks", () => {
  const edges = [e("b", "a"), e("c", "a"), e("d", "b"), e("d", "c"), e("x", "y")];
  it("orders the downstream closure so every stack follows its upstreams", () => {
    expect(downstreamInOrder(edges, "a")).toEqual(["b", "c", "d"]);
    expect(downstreamInOrder(edges, "c")).toEqual(["d"]);
    expect(downstreamInOrder(edges, "d")).toEqual([]);
  });
  it("collects every upstream transitively", () => {
    expect([...allUpstream(edges, "d")].sort()).toEqual(["a", "b", "c"]);
    expect([...allUpstream(edges, "a")]).toEqual([]);
  });
});
