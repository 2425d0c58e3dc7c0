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

  it("masks the base64, base64url, URL-encoded and JSON-escaped forms, also split across chunks", () => {
    const secret = 'p@ss w/"q"?>~ü';
    const forms = {
      base64: Buffer.from(secret).toString("base64"),
      base64url: Buffer.from(secret).toString("base64url"),
      url: encodeURIComponent(secret),
      form: encodeURIComponent(secret).replace(/%20/g, "+"),
      json: JSON.stringify(secret).slice(1, -1),
      // The secret followed by more bytes, as in a Basic credential "secret:more".
      prefix: Buffer.from(`${secret}:and-more`).toString("base64"),
    };
    for (const [name, form] of Object.entries(forms)) {
      const text = `value=${form}!\n`;
      for (const size of [1, 2, 5, 7, text.length]) {
        const out = feed(new Masker([secret]), text, [size]);
        expect(out, `${name} in chunks of ${size}`).not.toContain(form.slice(0, 8));
        expect(out, name).toMatch(/^value=\*\*\*\*\*/);
      }
    }
  });

  it("masks each line of a multi-line secret in any of its forms", () => {
    const key = "line-one-AAAA\nline-two-BBBB";
    const m = new Masker([key]);
    const out = feed(m, `a line-two-BBBB b ${Buffer.from("line-one-AAAA").toString("base64")} c ${JSON.stringify(key)}\n`, [3]);
    expect(out).not.toContain("BBBB");
    expect(out).not.toContain(Buffer.from("line-one-AAAA").toString("base64"));
    expect(out).not.toContain("AAAA");
  });
});
