import { RObject } from "./collections.js";
import { HashIndex } from "./hash-index.js";
import type { Value } from "./types.js";
import { internalize } from "./internalize.js";

/** A key sequence: its canonical (internalized) keys and, once built, their shared index. */
export interface Shape {
  readonly next: Map<string, Shape>;
  readonly keys: readonly string[];
  index: HashIndex | undefined;
  /** The last key sequence that extended this one: the likeliest next key of a document. */
  hint: Shape | undefined;
  /**
   * This shape's last key (internalized), when its JSON text is the key itself (no character a
   * JSON string must escape): a parser can then match it in place, without slicing the key.
   */
  readonly plainKey: string | undefined;
  /**
   * The parser's last string value under this shape's last key, when its text is the value
   * itself: the likeliest value there in the next object of the same keys.
   */
  lastValue: string | undefined;
}

/** Whether a JSON string token with these characters needs no escape: text and value agree. */
function isPlain(k: string): boolean {
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if (c < 0x20 || c === 34 || c === 92) return false;
  }
  return true;
}

/**
 * Builds the objects of one document so that objects with the same keys in the same order
 * share one key index (a trie of key sequences, like V8's hidden classes): less memory, and
 * lookup sites can cache a key's position per index (`RObject.getCached`). The index holds
 * internalized keys.
 */
export class ShapeTree {
  /** The empty key sequence, where every object starts. */
  readonly root: Shape = { next: new Map(), keys: [], index: undefined, hint: undefined, plainKey: undefined, lastValue: undefined };

  /**
   * The shape `shape` extended by key `k`, or undefined when `k` is already one of its keys
   * (the object then leaves the shared-shape path; build it with `RObject.from`).
   */
  extend(shape: Shape, k: string): Shape | undefined {
    let next = shape.next.get(k);
    if (!next) {
      if (shape.keys.includes(k)) return undefined;
      const key = internalize(k);
      next = { next: new Map(), keys: [...shape.keys, key], index: undefined, hint: undefined, plainKey: isPlain(key) ? key : undefined, lastValue: undefined };
      shape.next.set(k, next);
    }
    shape.hint = next;
    return next;
  }

  /** The object of `shape`'s keys with values `vals` (aligned with them). */
  objectOf(shape: Shape, vals: Value[]): RObject {
    if (!shape.index) {
      const index = new HashIndex();
      for (const key of shape.keys) index.insert(key);
      shape.index = index;
    }
    return RObject.fromShape(shape.index, vals);
  }

  /** The object with `keys[i]` -> `vals[i]`; a repeated key keeps its last value. */
  object(keys: readonly string[], vals: Value[]): RObject {
    let shape: Shape | undefined = this.root;
    for (let i = 0; i < keys.length && shape; i++) shape = this.extend(shape, keys[i]!);
    return shape ? this.objectOf(shape, vals) : RObject.from(keys.map((key, j) => [key, vals[j]!] as [Value, Value]));
  }
}
