/**
 * `gantry up` as people run it: a child process on a fresh data directory prints the URL and,
 * on the first start only, the admin key that the server saved with mode 0600.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, serveCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "gantry-cli-up-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const serve = (args: string[], env: Record<string, string>, ready: string) => serveCli(args, { env: { HOME: dir, ...env }, cwd: dir }, ready);
const up = (env: Record<string, string>) => serve(["up", "--port", "0"], env, "press Ctrl+C to stop");

describe("gantry up", () => {
  it("starts the server, prints the one-time admin key on first start only, and stops on SIGTERM", async () => {
    // The data directory comes from GANTRY_DATA_DIR here; relative paths resolve against the working directory.
    const first = await up({ GANTRY_DATA_DIR: "state" });
    const url = /Gantry is running at (http:\/\/\S+)/.exec(first.stdout)?.[1];
    const key = /^\s+(gnt_\S+)$/m.exec(first.stdout)?.[1];
    expect(url).toBeDefined();
    expect(key).toBeDefined();
    const keyFile = join(dir, "state", "admin-api-key");
    expect(readFileSync(keyFile, "utf8").trim()).toBe(key);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    const who = await runCli(["whoami"], { env: { GANTRY_URL: url, GANTRY_API_KEY: key, HOME: dir } });
    expect(who.code, who.stderr).toBe(0);
    expect(who.stdout).toMatch(/^user admin /m);

    // The in-process worker takes the run: it fails preparing, since the repository is missing.
    const asAdmin = { env: { GANTRY_URL: url, GANTRY_API_KEY: key, HOME: dir } };
    const stack = await runCli(["stack", "create", "--name", "nowhere", "--repository", join(dir, "no-such-repo.git")], asAdmin);
    expect(stack.code, stack.stderr).toBe(0);
    const run = await runCli(["run", "trigger", "nowhere", "--type", "PROPOSED", "--follow"], asAdmin);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("--- preparing");
    expect(run.stderr).toMatch(/^error: run \S+ ended FAILED: /m);

    const stopped = await first.stop();
    expect(stopped.code, stopped.stderr).toBe(0);

    const second = await up({ GANTRY_DATA_DIR: "state" });
    expect(second.stdout).toContain("Gantry is running at");
    expect(second.stdout).not.toContain("gnt_");
    expect((await second.stop()).code).toBe(0);
  });

  it("refuses an invalid port as a usage error", async () => {
    const r = await runCli(["up", "--port", "seventy"], { env: { HOME: dir }, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("must be a non-negative whole number");
  });

  it("gantry server takes the server's settings as flags and runs until SIGTERM", async () => {
    const server = await serve(["server", "--port", "0", "--data-dir=prod", "--log-level", "silent"], {}, "listening at");
    const url = /listening at (http:\/\/\S+)/.exec(server.stderr)?.[1];
    const key = readFileSync(join(dir, "prod", "admin-api-key"), "utf8").trim();
    const who = await runCli(["whoami", "-o", "json"], { env: { GANTRY_URL: url, GANTRY_API_KEY: key, HOME: dir } });
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ kind: "user", name: "admin" });
    expect((await server.stop()).code).toBe(0);

    const [unknown, invalid] = await Promise.all([
      runCli(["server", "--colour", "blue"], { env: { HOME: dir }, cwd: dir }),
      runCli(["server", "--port", "high", "--log-level", "loud"], { env: { HOME: dir }, cwd: dir }),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown argument "--colour"');
    // Every problem at once, each naming its flag.
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("--port");
    expect(invalid.stderr).toContain("--log-level");
  });
});
