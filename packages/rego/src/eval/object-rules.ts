import { HashIndex, RObject, RSet, equals } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { Rule } from "../ast/types.js";
import { ruleSuffix } from "../compiler/rule-tree.js";
import { conflict } from "./errors.js";
import { ValueMap } from "./value-map.js";
import { markRuleValue } from "./documents.js";

type Slot = { leaf?: Value; set?: Value[]; sub?: Tree };
type Tree = ValueMap<Slot>;

/**
 * Collects the entries of the object that ref-head rules define (`p[k] := v`, `p[k].x := v`,
 * `p[k] contains v`) and builds it once they have all run. Two rules giving one key different
 * values, or a key both a leaf and a prefix, is OPA's "object keys must be unique" conflict.
 */
export interface ObjectBuilder {
  /** One solution of rule `r`: the head's suffix (keys) then the value, as one list. */
  insert(r: Rule, kv: readonly Value[]): void;
  /** The object (each leaf marked as a rule's value, see documents.ts). */
  build(): RObject;
}

/** The builder for `rules` (the rules of one node). */
export function objectBuilder(rules: readonly Rule[]): ObjectBuilder {
  return rules.every((r) => r.kind !== "set" && ruleSuffix(r).length === 1) ? new FlatBuilder() : new TreeBuilder();
}

/**
 * One level of keys, each to a value (`blocks[b.bucket] := b`, the usual shape): the keys go
 * straight into the object's own index, with none of the tree's per-key slots.
 */
class FlatBuilder implements ObjectBuilder {
  private readonly index = new HashIndex();
  private readonly vals: Value[] = [];

  insert(r: Rule, kv: readonly Value[]): void {
    const v = kv[1]!;
    const i = this.index.insert(kv[0]!);
    if (i >= 0) this.vals.push(v);
    else if (!equals(this.vals[-i - 1]!, v)) throw conflict("object keys must be unique", r.loc);
  }

  build(): RObject {
    for (const v of this.vals) markRuleValue(v);
    return RObject.fromShape(this.index, this.vals);
  }
}

/** Any mix of depths and set leaves: a tree of slots, built into nested objects at the end. */
class TreeBuilder implements ObjectBuilder {
  private readonly root: Tree = new ValueMap();

  insert(r: Rule, kv: readonly Value[]): void {
    const v = kv[kv.length - 1]!;
    let t = this.root;
    for (let i = 0; i < kv.length - 1; i++) {
      const key = kv[i]!;
      let slot = t.get(key);
      if (!slot) { slot = {}; t.set(key, slot); }
      if (i === kv.length - 2) {
        if (r.kind === "set") {
          if (slot.leaf !== undefined || slot.sub) throw conflict("object keys must be unique", r.loc);
          (slot.set ??= []).push(v);
        } else {
          if ((slot.leaf !== undefined && !equals(slot.leaf, v)) || slot.sub || slot.set) throw conflict("object keys must be unique", r.loc);
          slot.leaf = v;
        }
      } else {
        if (slot.leaf !== undefined || slot.set) throw conflict("object keys must be unique", r.loc);
        slot.sub ??= new ValueMap();
        t = slot.sub;
      }
    }
  }

  build(): RObject {
    const build = (t: Tree): RObject => RObject.from(t.entries().map(([k, s]) =>
      [k, s.leaf !== undefined ? markRuleValue(s.leaf) : s.set ? RSet.from(s.set) : build(s.sub!)] as [Value, Value]));
    return build(this.root);
  }
}
