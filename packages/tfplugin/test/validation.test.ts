import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestMirror, createWorkspace, providerHeader } from "./helpers/workspace.js";
import type { TestMirror, Workspace } from "./helpers/workspace.js";

/** The source line terraform points at for the diagnostic whose text contains `needle`. */
function lineOf(output: string, needle: string): string | undefined {
  const blocks = output.split(/\n(?=Error: |Warning: )/);
  const block = blocks.find((b) => b.includes(needle));
  return block?.match(/on main\.tf line (\d+)/)?.[1];
}

function lineNumber(hcl: string, text: string): string {
  return String(hcl.split("\n").findIndex((l) => l.includes(text)) + 1);
}

describe("validation errors from real terraform", () => {
  let mirror: TestMirror;
  let ws: Workspace;

  beforeAll(async () => {
    mirror = await buildTestMirror();
    ws = createWorkspace(mirror, "validation");
    ws.writeConfig(providerHeader(ws.dataDir));
    const init = await ws.terraform(["init"]);
    expect(init.code).toBe(0);
  });
  afterAll(() => mirror?.cleanup());

  it("shows provider diagnostics on the offending attribute's line", async () => {
    const hcl =
      providerHeader(ws.dataDir) +
      `
resource "things_thing" "bad_name" {
  name = "Bad Name"
}

resource "things_thing" "bad_port" {
  name = "ok"
  rule {
    port = 80
  }
  rule {
    port = 70000
  }
}

resource "things_thing" "bad_size" {
  name = "unlucky"
  size = 13
}

resource "things_thing" "fractional" {
  name = "frac"
  size = 1.5
}
`;
    ws.writeConfig(hcl);
    const r = await ws.terraform(["validate"]);
    const out = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    expect(out).toContain('name "Bad Name" must be lowercase letters');
    expect(lineOf(out, 'name "Bad Name"')).toBe(lineNumber(hcl, 'name = "Bad Name"'));
    // an element of a repeated block: the second rule's port
    expect(out).toContain("port 70000 is out of range 1-65535");
    expect(lineOf(out, "port 70000")).toBe(lineNumber(hcl, "port = 70000"));
    // a resource-level rule pointing at one attribute
    expect(lineOf(out, "unlucky combination")).toBe(lineNumber(hcl, "size = 13"));
    // int attributes reject fractions
    expect(lineOf(out, "expected a whole number, got 1.5")).toBe(lineNumber(hcl, "size = 1.5"));
  });

  it("leaves type, unknown-attribute and missing-attribute errors to terraform without crashing", async () => {
    const hcl =
      providerHeader(ws.dataDir) +
      `
resource "things_thing" "wrong_type" {
  name = "x"
  size = "large"
}

resource "things_thing" "unknown_attr" {
  name   = "y"
  colour = "blue"
}

resource "things_thing" "missing" {
  size = 2
}
`;
    ws.writeConfig(hcl);
    const r = await ws.terraform(["validate"]);
    const out = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    expect(out).toMatch(/Incorrect attribute value type|a number is required/);
    expect(out).toContain('An argument named "colour" is not expected here');
    expect(out).toContain('The argument "name" is required');
    expect(out).not.toMatch(/plugin crashed|panic|Plugin did not respond/i);
  });

  it("reports provider configuration and data source errors on their lines", async () => {
    const hcl = `terraform {
  required_providers {
    things = { source = "example.com/test/things" }
  }
}
provider "things" {
  dir    = ${JSON.stringify(ws.dataDir)}
  prefix = ""
}

data "things_lookup" "missing" {
  id = "does-not-exist"
}
`;
    ws.writeConfig(hcl);
    const v = await ws.terraform(["plan"]);
    const out = v.stdout + v.stderr;
    expect(v.code).toBe(1);
    expect(lineOf(out, "prefix must not be empty")).toBe(lineNumber(hcl, 'prefix = ""'));

    ws.writeConfig(hcl.replace('prefix = ""', 'prefix = "p"'));
    const p = await ws.terraform(["plan"]);
    const pout = p.stdout + p.stderr;
    expect(p.code).toBe(1);
    expect(pout).toContain("thing does-not-exist not found");
    expect(lineOf(pout, "thing does-not-exist not found")).toBe(lineNumber(hcl, 'id = "does-not-exist"'));
  });
});
