import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/index.js";

describe("configuration", () => {
  it("takes flags over environment over defaults", () => {
    const c = loadConfig({ argv: { port: 9000 }, env: { GANTRY_PORT: "8000", GANTRY_DATA_DIR: "/var/lib/gantry" } });
    expect(c).toMatchObject({ port: 9000, dataDir: "/var/lib/gantry", host: "127.0.0.1", logLevel: "info", sessionTtlHours: 24 });
  });

  it("lists every problem at once, naming where each value came from", () => {
    let err: unknown;
    try {
      loadConfig({ argv: { port: "http" }, env: { GANTRY_LOG_LEVEL: "loud", GANTRY_ENCRYPTION_KEY: "short" } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain("flag --port");
    expect(problems.join("\n")).toContain("environment variable GANTRY_LOG_LEVEL");
    expect(problems.join("\n")).toContain("openssl rand -base64 32");
  });

  it("refuses OTLP headers that are malformed or have no endpoint, without repeating credentials", () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ env });
      } catch (e) {
        return (e as ConfigError).problems.join("\n");
      }
      return "";
    };
    const malformed = problems({ GANTRY_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces", GANTRY_OTLP_HEADERS: "Bearer s3cret-token" });
    expect(malformed).toContain("GANTRY_OTLP_HEADERS=(value hidden): must be key=value pairs");
    expect(malformed).not.toContain("s3cret-token");
    expect(problems({ GANTRY_OTLP_HEADERS: "authorization=Bearer s3cret-token" })).toContain("--otlp-headers has no effect without --otlp-traces-endpoint");
    expect(problems({ GANTRY_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces", GANTRY_OTLP_HEADERS: "authorization=Bearer abc, x-team=platform" })).toBe("");
  });
});
