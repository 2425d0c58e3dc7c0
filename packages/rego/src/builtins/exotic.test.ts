import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callJSON, callValues } from "./test-helpers.js";

describe("regex.globs_match", () => {
  it("decides whether two patterns share a string", () => {
    expect(callJSON("regex.globs_match", '"a.a.[0-9]+z"', '".b.b2359825792*594823z"')).toBe("true");
    expect(callJSON("regex.globs_match", '"[a-z]+"', '"[0-9]*"')).toBe("false");
    expect(callJSON("regex.globs_match", '"[^a-c]x"', '"[a-d]x"')).toBe("true");
    expect(callJSON("regex.globs_match", '"[^a-d]x"', '"[a-d]x"')).toBe("false");
  });
  it("reports malformed patterns like OPA", () => {
    expect(() => callJSON("regex.globs_match", '"pqrs]"', '"x"')).toThrow("input:pqrs], pos:5, set-close ']' with no preceding '['");
  });
});

describe("strings.render_template", () => {
  it("renders fields, conditionals and ranges", () => {
    const vars = '{"name": "web", "tags": ["a", "b"], "n": 0, "o": {"k": 1}}';
    expect(callJSON("strings.render_template", '"{{.name}}:{{range $i, $t := .tags}}{{if $i}},{{end}}{{$t}}{{end}};{{if .n}}yes{{else}}no{{end}};{{.o.k}};{{.missing}}"', vars)).toBe(
      '"web:a,b;no;1;<undefined>"',
    );
  });
  it("trims whitespace next to {{- and -}}", () => {
    expect(callJSON("strings.render_template", '"a  {{- .x -}}  b"', '{"x": 1}')).toBe('"a1b"');
  });
  it("refuses unterminated blocks", () => {
    expect(() => callJSON("strings.render_template", '"{{if .a}}x"', "{}")).toThrow(/unexpected EOF/);
  });
});

describe("crypto.parse_private_keys", () => {
  it("reads PEM bundles, plain or base64-encoded", () => {
    const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const keys = JSON.parse(callValues("crypto.parse_private_keys", [pem + pem])) as { kty: string }[];
    expect(keys.map((k) => k.kty)).toEqual(["EC", "EC"]);
    expect(JSON.parse(callValues("crypto.parse_private_keys", [Buffer.from(pem).toString("base64")]))).toHaveLength(1);
    expect(callJSON("crypto.parse_private_keys", '"nope"')).toBe("[]");
    expect(callJSON("crypto.parse_private_keys", '""')).toBe("null");
  });
});

describe("test.sleep", () => {
  it("blocks for the given duration", () => {
    const t = performance.now();
    callJSON("test.sleep", '"20ms"');
    expect(performance.now() - t).toBeGreaterThanOrEqual(18);
  });
});
