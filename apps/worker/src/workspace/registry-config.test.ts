import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { registryCliConfig } from "./registry-config.js";

describe("a run's registry CLI config", () => {
  it("gives every registry host (and the served address behind a DNS name) the registry token, and points aliases' modules and providers at Gantry", () => {
    const dir = mkdtempSync(join(tmpdir(), "gantry-registry-config-"));
    try {
      const { cliConfig } = registryCliConfig(dir, { hosts: ["registry.example.com", "spacelift.io"], serviceUrl: "https://10.0.0.5:4811", caCertificatePem: null, providerSources: [] }, "grt_1_secretsecretsecretsecret", {});
      for (const host of ["registry.example.com", "spacelift.io", "10.0.0.5:4811"]) expect(cliConfig).toContain(`credentials "${host}" {\n  token = "grt_1_secretsecretsecretsecret"\n}`);
      expect(cliConfig).toContain('host "spacelift.io" {');
      expect(cliConfig).toContain('"providers.v1" = "https://10.0.0.5:4811/v1/providers/"');
      expect(cliConfig).toContain('"modules.v1"   = "https://10.0.0.5:4811/v1/modules/"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
