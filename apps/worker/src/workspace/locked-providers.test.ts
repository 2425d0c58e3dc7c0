import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockedProviders } from "./locked-providers.js";

describe("lockedProviders", () => {
  it("reads each provider block's address and version from the lock file terraform writes", () => {
    const dir = mkdtempSync(join(tmpdir(), "gantry-lock-"));
    try {
      expect(lockedProviders(dir)).toEqual([]);
      writeFileSync(join(dir, ".terraform.lock.hcl"), `# This file is maintained automatically by "terraform init".\n\nprovider "registry.example.com/acme/demo" {\n  version     = "1.1.0"\n  constraints = "~> 1.0"\n  hashes = [\n    "h1:abc=",\n    "zh:0123",\n  ]\n}\n\nprovider "registry.terraform.io/hashicorp/random" {\n  version = "3.6.0"\n  hashes  = ["h1:x="]\n}\n`);
      expect(lockedProviders(dir)).toEqual([{ source: "registry.example.com/acme/demo", version: "1.1.0" }, { source: "registry.terraform.io/hashicorp/random", version: "3.6.0" }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
