import { RObject } from "./collections.js";
import { HashIndex } from "./hash-index.js";
import type { Value } from "./types.js";
import { internalize } from "./internalize.js";

/** A key sequence: its canonical (internalized) keys and, once built, their shared index. */
interface Shape { next: Map<string, Shape>; keys: string[]; index: HashIndex | undefined }

/**
 * Builds the objects of one document so that objects with the same keys in the same order
 * share one key index (a trie of key sequences, like V8's hidden classes): less memory, and
 * lookup sites can cache a key's position per index (`RObject.getCached`). The index holds
 * internalized keys.
 */
export class ShapeTree {
  private readonly root: Shape = { next: new Map(), keys: [], index: undefined };

  /** The object with `keys[i]` -> `vals[i]`; a repeated key keeps its last value. */
  object(keys: readonly string[], vals: Value[]): RObject {
    let shape = this.root;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      let next = shape.next.get(k);
      if (!next) {
        // A repeated key leaves the shared-shape path.
        if (i > 0 && keys.lastIndexOf(k, i - 1) >= 0) return RObject.from(keys.map((key, j) => [key, vals[j]!] as [Value, Value]));
        next = { next: new Map(), keys: [...shape.keys, internalize(k)], index: undefined };
        shape.next.set(k, next);
      }
      shape = next;
    }
    if (!shape.index) {
      const index = new HashIndex();
      for (const key of shape.keys) index.insert(key);
      shape.index = index;
    }
    return RObject.fromShape(shape.index, vals);
  }
}
