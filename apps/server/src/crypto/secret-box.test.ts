import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SecretBox } from "./secret-box.js";

describe("SecretBox", () => {
  const box = new SecretBox(randomBytes(32));

  it("round-trips with and without a context", () => {
    expect(box.decrypt(box.encrypt("plain")).toString()).toBe("plain");
    expect(box.decrypt(box.encrypt("bound", "row:1"), "row:1").toString()).toBe("bound");
  });

  it("refuses a bound value under another context or none", () => {
    const stored = box.encrypt("bound", "row:1");
    expect(stored.startsWith("v2.")).toBe(true);
    expect(() => box.decrypt(stored, "row:2")).toThrow(/does not belong here/);
    expect(() => box.decrypt(stored)).toThrow(/bound to a context/);
  });

  it("still reads values stored before contexts existed", () => {
    const legacy = box.encrypt("old");
    expect(legacy.startsWith("v1.")).toBe(true);
    expect(box.decrypt(legacy, "row:1").toString()).toBe("old");
  });
});
