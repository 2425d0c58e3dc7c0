import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { providerInstallation, providersInMirror } from "./provider-installation.js";

describe("the shipped providers' installation for every run", () => {
  it("mirrors the providers the mirror holds (shipped or put there by an operator), and nothing without a mirror", () => {
    const mirror = mkdtempSync(join(tmpdir(), "gantry-mirror-"));
    try {
      expect(providersInMirror(mirror)).toEqual([]);
      mkdirSync(join(mirror, "gantry.dev", "sim", "aws", "0.1.0"), { recursive: true });
      expect(providersInMirror(mirror)).toEqual(["gantry.dev/sim/aws"]);
      mkdirSync(join(mirror, "gantry.dev", "gantry", "gantry"), { recursive: true });
      expect(providersInMirror(mirror)).toEqual(["gantry.dev/gantry/gantry", "gantry.dev/sim/aws"]);
      // Spacelift's address, and a provider an operator mirrored for an offline installation.
      mkdirSync(join(mirror, "registry.terraform.io", "spacelift-io", "spacelift", "1.53.5"), { recursive: true });
      mkdirSync(join(mirror, "registry.terraform.io", "hashicorp", "random", "3.6.0"), { recursive: true });
      expect(providersInMirror(mirror)).toEqual(["gantry.dev/gantry/gantry", "gantry.dev/sim/aws", "registry.terraform.io/hashicorp/random", "registry.terraform.io/spacelift-io/spacelift"]);
      expect(providersInMirror(join(mirror, "missing"))).toEqual([]);
      expect(providersInMirror(undefined)).toEqual([]);
    } finally {
      rmSync(mirror, { recursive: true, force: true });
    }
  });

  it("includes the named providers from the mirror and excludes them from direct installation", () => {
    const block = providerInstallation("/srv/mirror", ["gantry.dev/gantry/gantry", "gantry.dev/sim/aws"]);
    expect(block).toContain('include = ["gantry.dev/gantry/gantry", "gantry.dev/sim/aws"]');
    expect(block).toContain('exclude = ["gantry.dev/gantry/gantry", "gantry.dev/sim/aws"]');
    expect(providerInstallation("/srv/mirror", [])).toBe("");
  });
});
