import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Job } from "@gantry/contract";
import { installationPlan } from "./installation-plan.js";
import { parseProviderUpstream, providerInstallation, providersInMirror } from "./provider-installation.js";

const registry = (providerSources: string[]) => ({ registry: { hosts: ["127.0.0.1:4811"], serviceUrl: "https://127.0.0.1:4811", caCertificatePem: null, providerSources } }) as unknown as Job;

describe("where a run installs its providers", () => {
  it("uses the worker's filesystem mirror only for what Gantry's registry does not serve", () => {
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
      const others = ["registry.terraform.io/hashicorp/random", "registry.terraform.io/spacelift-io/spacelift"];
      // A registry that serves both: the filesystem mirror keeps only what the registry does not serve.
      const plan = installationPlan(registry(["gantry.dev/gantry/*", "gantry.dev/sim/*", "127.0.0.1:4811/acme/*"]), mirror, "none");
      expect(plan.gantryMirror).toEqual({ url: "https://127.0.0.1:4811/v1/mirror/", include: ["gantry.dev/gantry/*", "gantry.dev/sim/*"] });
      // The registry's own host goes through providers.v1 (terraform's mirror client cannot address a host with a port).
      expect(plan.gantryRegistry).toEqual({ include: ["127.0.0.1:4811/acme/*"] });
      expect(plan.filesystem).toEqual({ dir: mirror, include: others });
      // A registry that has not published the simulator: it comes from the worker's mirror.
      expect(installationPlan(registry(["gantry.dev/gantry/*"]), mirror, "none").filesystem).toEqual({ dir: mirror, include: ["gantry.dev/sim/aws", ...others] });
      // No registry at all (no HTTPS): both from the worker's mirror, as before.
      expect(installationPlan({ registry: null } as unknown as Job, mirror, "direct")).toEqual({ filesystem: { dir: mirror, include: ["gantry.dev/gantry/gantry", "gantry.dev/sim/aws", ...others] }, upstream: "direct" });
    } finally {
      rmSync(mirror, { recursive: true, force: true });
    }
  });

  it("writes Gantry's mirror first, excludes what it hosts from the upstream, and stays offline without one", () => {
    const gantryMirror = { url: "https://127.0.0.1:4811/v1/mirror/", include: ["gantry.dev/sim/*"] };
    const offline = providerInstallation({ gantryMirror, upstream: "none" });
    expect(offline).toContain('url     = "https://127.0.0.1:4811/v1/mirror/"');
    expect(offline).not.toContain("direct");
    const direct = providerInstallation({ gantryMirror, upstream: "direct" });
    expect(direct).toContain('direct {\n    exclude = ["gantry.dev/sim/*"]');
    const upstream = providerInstallation({ gantryMirror, upstream: { mirrorUrl: "https://mirror.example.com/providers/" } });
    expect(upstream).toContain('url = "https://mirror.example.com/providers/"\n    exclude = ["gantry.dev/sim/*"]');
    expect(providerInstallation({ upstream: "direct" })).toBe("");
    const withRegistry = providerInstallation({ gantryMirror, gantryRegistry: { include: ["127.0.0.1:4811/acme/*"] }, upstream: "none" });
    expect(withRegistry).toContain('direct {\n    include = ["127.0.0.1:4811/acme/*"]');
    expect(providerInstallation({ upstream: "none" })).toBe("provider_installation {\n}\n");
  });

  it("parses the upstream setting, refusing what terraform could not use", () => {
    expect(parseProviderUpstream(undefined)).toBe("none");
    expect(parseProviderUpstream("direct")).toBe("direct");
    expect(parseProviderUpstream("https://mirror.example.com/p")).toEqual({ mirrorUrl: "https://mirror.example.com/p/" });
    expect(parseProviderUpstream("http://mirror.example.com/")).toMatchObject({ error: expect.stringContaining("must be an https:// URL") });
    expect(parseProviderUpstream("mirror")).toMatchObject({ error: expect.stringContaining("is not a URL") });
  });
});
