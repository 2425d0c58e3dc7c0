import { describe, expect, it } from "vitest";
import { Masker } from "../src/masker.js";

/** Feeds `text` in pieces of the given sizes and returns what the masker released. */
function feed(m: Masker, text: string, sizes: number[]): string {
  let out = "";
  let i = 0;
  for (let k = 0; i < text.length; k++) {
    const n = sizes[k % sizes.length]!;
    out += m.push(text.slice(i, i + n));
    i += n;
  }
  return out + m.flush();
}

describe("Masker", () => {
  it("masks a secret split across every possible chunk boundary", () => {
    const text = "token=s3cr3t-value and again s3cr3t-value\n";
    for (let size = 1; size <= text.length; size++) {
      const out = feed(new Masker(["s3cr3t-value"]), text, [size]);
      expect(out, `chunks of ${size}`).toBe("token=***** and again *****\n");
    }
  });

  it("releases text that cannot be a secret at once, holding back only a possible prefix", () => {
    const m = new Masker(["hunter2"]);
    expect(m.push("plain text ")).toBe("plain text ");
    expect(m.push("then hun")).toBe("then ");
    expect(m.push("dreds")).toBe("hundreds");
    expect(m.push(" hunter2")).toBe(" *****");
  });

  it("learns values from ::add-mask:: and hides the command's argument", () => {
    const m = new Masker();
    const out = feed(m, "::add-mask::dyn4mic\nvalue is dyn4mic\n", [5, 3]);
    expect(out).toBe("::add-mask::*****\nvalue is *****\n");
  });

  it("masks multi-line secrets line by line", () => {
    const m = new Masker(["-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----\n"]);
    expect(feed(m, "key:\nAAAABBBBCCCC\n", [4])).toBe("key:\n*****\n");
  });
});
