import { z } from "zod";
import { parseCidr } from "./notifications/cidr.js";

/** One setting: its flag, its environment variable and its schema. Nothing else reads `process.env`. */
const settings = {
  port: { env: "GANTRY_PORT", flag: "--port", schema: z.coerce.number().int().min(0).max(65535).default(4810) },
  host: { env: "GANTRY_HOST", flag: "--host", schema: z.string().min(1).default("127.0.0.1") },
  dataDir: { env: "GANTRY_DATA_DIR", flag: "--data-dir", schema: z.string().min(1).default(".gantry") },
  databaseUrl: {
    env: "GANTRY_DATABASE_URL",
    flag: "--database-url",
    schema: z.string().min(1).optional().describe("postgres://... for PostgreSQL; a file path for SQLite (default <data-dir>/gantry.db)"),
  },
  encryptionKey: {
    env: "GANTRY_ENCRYPTION_KEY",
    flag: "--encryption-key",
    schema: z
      .string()
      .refine((k) => Buffer.from(k, "base64").length === 32, "must be base64 of 32 random bytes (generate one with: openssl rand -base64 32)")
      .optional(),
  },
  logLevel: { env: "GANTRY_LOG_LEVEL", flag: "--log-level", schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info") },
  workerHeartbeatTimeoutSeconds: {
    env: "GANTRY_WORKER_HEARTBEAT_TIMEOUT_SECONDS",
    flag: "--worker-heartbeat-timeout-seconds",
    schema: z.coerce.number().int().min(2).max(3600).default(60).describe("a worker silent this long is declared gone and its runs fail"),
  },
  vcsPollSeconds: {
    env: "GANTRY_VCS_POLL_SECONDS",
    flag: "--vcs-poll-seconds",
    schema: z.coerce.number().int().min(0).max(86_400).default(60).describe("how often to git ls-remote the repositories stacks track (0: never; GitHub stacks use webhooks)"),
  },
  rateLimitLoginPerMinute: {
    env: "GANTRY_RATE_LIMIT_LOGIN_PER_MINUTE",
    flag: "--rate-limit-login-per-minute",
    schema: z.coerce.number().int().min(0).max(1_000_000).default(30).describe("login attempts per client IP a minute, on each replica (0: no limit)"),
  },
  rateLimitWebhooksPerMinute: {
    env: "GANTRY_RATE_LIMIT_WEBHOOKS_PER_MINUTE",
    flag: "--rate-limit-webhooks-per-minute",
    schema: z.coerce.number().int().min(0).max(1_000_000).default(600).describe("VCS webhook deliveries per client IP a minute, on each replica (0: no limit)"),
  },
  rateLimitStatePerMinute: {
    env: "GANTRY_RATE_LIMIT_STATE_PER_MINUTE",
    flag: "--rate-limit-state-per-minute",
    schema: z.coerce.number().int().min(0).max(1_000_000).default(3000).describe("terraform state backend requests per client IP a minute, on each replica; workers running many runs share their IP (0: no limit)"),
  },
  rateLimitRegistryPerMinute: {
    env: "GANTRY_RATE_LIMIT_REGISTRY_PER_MINUTE",
    flag: "--rate-limit-registry-per-minute",
    schema: z.coerce.number().int().min(0).max(1_000_000).default(3000).describe("module registry requests (discovery, versions, downloads, archives) per client IP a minute, on each replica; workers running many inits share their IP (0: no limit)"),
  },
  sessionTtlHours: { env: "GANTRY_SESSION_TTL_HOURS", flag: "--session-ttl-hours", schema: z.coerce.number().int().min(1).max(2160).default(24) },
  outboundAllow: {
    env: "GANTRY_OUTBOUND_ALLOW",
    flag: "--outbound-allow",
    schema: z
      .string()
      .default("")
      .refine((v) => v.split(",").map((c) => c.trim()).filter(Boolean).every((c) => parseCidr(c) !== null), "must be comma-separated CIDRs such as 127.0.0.0/8,10.1.0.0/16")
      .describe("private, loopback and link-local ranges webhooks and Slack may reach (comma-separated CIDRs; default: none; gantry up admits loopback)"),
  },
  notifyMaxAttempts: {
    env: "GANTRY_NOTIFY_MAX_ATTEMPTS",
    flag: "--notify-max-attempts",
    schema: z.coerce.number().int().min(1).max(100).default(10).describe("attempts per webhook or Slack delivery before it is given up (and reported as an internal error)"),
  },
  notifyBackoffSeconds: {
    env: "GANTRY_NOTIFY_BACKOFF_SECONDS",
    flag: "--notify-backoff-seconds",
    schema: z.coerce.number().min(0.01).max(3600).default(22).describe("delay before the second attempt; it doubles each time (22 s over 10 attempts spans about 6 h)"),
  },
  metricsToken: {
    env: "GANTRY_METRICS_TOKEN",
    flag: "--metrics-token",
    schema: z.string().min(16, "must be at least 16 characters").optional().describe("bearer token /metrics requires; without it /metrics answers only loopback callers"),
  },
  publicUrl: {
    env: "GANTRY_PUBLIC_URL",
    flag: "--public-url",
    schema: z.string().url().optional().describe("the URL people, workers and clouds reach this server at (default: the address it listens on)"),
  },
  oidcIssuer: {
    env: "GANTRY_OIDC_ISSUER",
    flag: "--oidc-issuer",
    schema: z
      .string()
      .url()
      .refine((u) => !u.includes("?") && !u.includes("#"), "must be a URL without query or fragment")
      .optional()
      .describe("issuer URL of the run identity tokens; clouds fetch <issuer>/.well-known/openid-configuration from it (default: the public URL)"),
  },
  oidcSigningAlgorithm: {
    env: "GANTRY_OIDC_SIGNING_ALGORITHM",
    flag: "--oidc-signing-algorithm",
    schema: z.enum(["RS256", "ES256"]).default("RS256").describe("which of the published keys signs run identity tokens"),
  },
  oidcTokenTtlSeconds: {
    env: "GANTRY_OIDC_TOKEN_TTL_SECONDS",
    flag: "--oidc-token-ttl-seconds",
    schema: z.coerce.number().int().min(5).max(43_200).default(3600).describe("lifetime of a run identity token; a rotated key stays published this long by default"),
  },
  otlpTracesEndpoint: {
    env: "GANTRY_OTLP_TRACES_ENDPOINT",
    flag: "--otlp-traces-endpoint",
    schema: z.string().url().optional().describe("OpenTelemetry: OTLP/HTTP traces URL (e.g. http://collector:4318/v1/traces) receiving spans of HTTP requests and of each run's life; off when unset"),
  },
  otlpHeaders: {
    env: "GANTRY_OTLP_HEADERS",
    flag: "--otlp-headers",
    schema: z
      .string()
      .regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, "must be key=value pairs separated by commas, e.g. authorization=Bearer abc,x-team=platform")
      .optional()
      .describe("headers sent to the OTLP collector, as key=value,key2=value2 (e.g. an auth token)"),
  },
  httpsPort: {
    env: "GANTRY_HTTPS_PORT",
    flag: "--https-port",
    schema: z.coerce.number().int().min(0).max(65535).optional().describe("also serve HTTPS on this port (the module registry needs it: terraform speaks its registry protocol over HTTPS only); gantry up uses --port + 1"),
  },
  tlsCertFile: {
    env: "GANTRY_TLS_CERT_FILE",
    flag: "--tls-cert-file",
    schema: z.string().min(1).optional().describe("PEM certificate (chain) for the HTTPS port; without it Gantry makes a local CA and certificate in <data-dir>/tls"),
  },
  tlsKeyFile: { env: "GANTRY_TLS_KEY_FILE", flag: "--tls-key-file", schema: z.string().min(1).optional().describe("PEM private key of --tls-cert-file") },
  registryHost: {
    env: "GANTRY_REGISTRY_HOST",
    flag: "--registry-host",
    schema: z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, "must be a hostname with an optional port, e.g. registry.example.com or 127.0.0.1:4811").optional().describe("the hostname module source addresses use (default: the HTTPS listener's address, e.g. 127.0.0.1:4811)"),
  },
  registryHostAliases: {
    env: "GANTRY_REGISTRY_HOST_ALIASES",
    flag: "--registry-host-aliases",
    schema: z
      .string()
      .default("")
      .refine((v) => v.split(",").map((h) => h.trim()).filter(Boolean).every((h) => /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(h)), "must be comma-separated dotted hostnames, e.g. spacelift.io")
      .describe("further hostnames runs resolve to this registry through their CLI config (e.g. spacelift.io, so Spacelift source addresses work unchanged)"),
  },
  moduleArchiveMaxBytes: {
    env: "GANTRY_MODULE_ARCHIVE_MAX_BYTES",
    flag: "--module-archive-max-bytes",
    schema: z.coerce.number().int().min(1024).max(4 * 1024 * 1024 * 1024).default(100 * 1024 * 1024).describe("largest module version archive (tar.gz of the module directory) the registry stores"),
  },
  shippedProvidersDir: {
    env: "GANTRY_SHIPPED_PROVIDERS_DIR",
    flag: "--shipped-providers-dir",
    schema: z.string().min(1).optional().describe("filesystem mirror holding the providers Gantry ships (its own, the AWS simulator), published into the provider registry at start-up (default: the providers package's build, dist/mirror)"),
  },
  runTimeLimitSeconds: {
    env: "GANTRY_RUN_TIME_LIMIT_SECONDS",
    flag: "--run-time-limit-seconds",
    schema: z.coerce
      .number()
      .int()
      .min(5)
      .max(7 * 86_400)
      .default(7200)
      .describe("how long one phase of a run (plan, or apply after confirmation) may execute on a worker before it is ended; its identity token expires no later"),
  },
} as const;

type Settings = typeof settings;
export type ServerConfig = { [K in keyof Settings]: z.output<Settings[K]["schema"]> };

/** Raised when configuration is invalid; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Every setting with its flag, variable and default, for `--help` and the docs. */
export const configReference = Object.entries(settings).map(([key, s]) => ({ key, env: s.env, flag: s.flag, description: s.schema.description ?? "" }));

/**
 * Parses configuration once: flags (camelCase keys, e.g. `{ port: 8080 }`) win over environment
 * variables, which win over defaults.
 */
/** Settings whose values may be credentials: an error about them never repeats the value. */
const secretSettings = new Set(["encryptionKey", "metricsToken", "otlpHeaders", "databaseUrl"]);

export function loadConfig(opts: { argv?: Record<string, string | number | boolean | undefined>; env?: Record<string, string | undefined> } = {}): ServerConfig {
  const env = opts.env ?? process.env;
  const argv = opts.argv ?? {};
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, s] of Object.entries(settings)) {
    const fromFlag = argv[key];
    const raw = fromFlag ?? (env[s.env] === "" ? undefined : env[s.env]);
    const source = fromFlag !== undefined ? `flag ${s.flag}` : `environment variable ${s.env}`;
    const parsed = (s.schema as z.ZodType).safeParse(raw);
    if (parsed.success) out[key] = parsed.data;
    else problems.push(`${source}=${secretSettings.has(key) ? "(value hidden)" : JSON.stringify(raw)}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  if (out.otlpHeaders !== undefined && out.otlpTracesEndpoint === undefined) problems.push("--otlp-headers has no effect without --otlp-traces-endpoint: set the endpoint (GANTRY_OTLP_TRACES_ENDPOINT) or drop the headers");
  if ((out.tlsCertFile === undefined) !== (out.tlsKeyFile === undefined)) problems.push("--tls-cert-file and --tls-key-file go together: give both (or neither, for a local CA)");
  if (problems.length) throw new ConfigError(problems);
  return out as ServerConfig;
}
