/**
 * End to end: the real `gantry` command, as child processes, against a real server started in
 * this process. Steps that depend on each other run in order inside one test; independent
 * checks run side by side to keep wall time down (each child costs a TypeScript start-up).
 */
import { statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, serveCli, type CliOptions } from "./run-cli.js";
import { startTestServer, type TestServer } from "./server.js";

let t: TestServer;
let asAdmin: CliOptions;

beforeAll(async () => {
  t = await startTestServer();
  asAdmin = { env: { GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey, HOME: t.scratch, XDG_CONFIG_HOME: join(t.scratch, "xdg") }, cwd: t.scratch };
});
afterAll(async () => t?.stop());

const gantry = (args: string[], opts: CliOptions = asAdmin) => runCli(args, opts);

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("the tour", () => {
  it("creates a space, stack, context and policy, attaches them and explains why they apply", async () => {
    const policyFile = join(t.scratch, "guard.rego");
    writeFileSync(policyFile, 'package spacelift\n\ndeny contains "no" if { false }\n');

    // The space first: everything else lives in or above it.
    const space = await gantry(["space", "create", "--id", "app", "--name", "App", "--inherit", "--label", "tier:app"]);
    expect(space.code, space.stderr).toBe(0);
    expect(space.stdout).toMatch(/^id:\s+app$/m);
    expect(space.stdout).toMatch(/^inherit:\s+yes$/m);

    const [stack, context, policy] = await Promise.all([
      gantry(["stack", "create", "--name", "app-dev", "--repository", "/srv/git/infra.git", "--branch", "main", "--project-root", "projects/app/dev", "--label", "team:app", "--label", "env:dev", "--space", "app", "--autodeploy"]),
      gantry(["context", "create", "--id", "shared-env", "--name", "Shared env"]),
      gantry(["policy", "create", "--id", "guard", "--name", "Guard", "--type", "PLAN", "--body-file", policyFile, "--label", "autoattach:team:app"]),
    ]);
    expect(stack.code, stack.stderr).toBe(0);
    expect(context.code, context.stderr).toBe(0);
    expect(policy.code, policy.stderr).toBe(0);
    expect(stack.stdout).toMatch(/^labels:\s+team:app, env:dev$/m);

    // The server holds exactly what the flags said.
    const saved = await t.admin.call("getStack", { params: { id: "app-dev" } });
    expect(saved).toMatchObject({ spaceId: "app", repository: "/srv/git/infra.git", branch: "main", projectRoot: "projects/app/dev", labels: ["team:app", "env:dev"], autodeploy: true, autoretry: false });
    expect((await t.admin.call("getPolicy", { params: { id: "guard" } })).body).toContain("deny contains");

    const [plain, secret, attach] = await Promise.all([
      gantry(["context", "var", "set", "shared-env", "AWS_REGION", "eu-west-1"]),
      gantry(["context", "var", "set", "shared-env", "DB_PASSWORD", "--write-only"], { ...asAdmin, input: "hunter2-very-secret\n" }),
      gantry(["stack", "attach", "context", "app-dev", "shared-env", "--priority", "2"]),
    ]);
    for (const r of [plain, secret, attach]) expect(r.code, r.stderr).toBe(0);
    expect(secret.stdout).not.toContain("hunter2");

    const [vars, varsJson, explain] = await Promise.all([
      gantry(["context", "var", "list", "shared-env"]),
      gantry(["context", "var", "list", "shared-env", "-o", "json"]),
      gantry(["stack", "explain", "app-dev"]),
    ]);
    expect(vars.code, vars.stderr).toBe(0);
    expect(vars.stdout).toMatch(/^AWS_REGION\s+eu-west-1\s+no\s/m);
    expect(vars.stdout).toMatch(/^DB_PASSWORD\s+\(write-only\)\s+yes\s/m);
    expect(vars.stdout + varsJson.stdout).not.toContain("hunter2");
    const parsed = JSON.parse(varsJson.stdout) as { name: string; value: string | null; writeOnly: boolean }[];
    expect(parsed.find((v) => v.name === "DB_PASSWORD")).toMatchObject({ value: null, writeOnly: true });

    // Stdin carried the secret without its trailing newline: the checksum is of the bare value.
    const { createHash } = await import("node:crypto");
    const dbPassword = (await t.admin.call("contextConfig", { params: { id: "shared-env" } })).variables.find((v) => v.name === "DB_PASSWORD");
    expect(dbPassword?.checksum).toBe(createHash("sha256").update("hunter2-very-secret").digest("hex"));

    expect(explain.code, explain.stderr).toBe(0);
    const text = explain.stdout;
    expect(text).toContain("stack app-dev in space app");
    // The context: direct attachment with its priority, found in root through the inheriting space.
    expect(text).toMatch(/contexts, highest precedence first:\n\s+1\. shared-env \(Shared env\), space root\n\s+attached directly, priority 2\n\s+reached through spaces app -> root/);
    // The policy: by the autoattach label matching the stack's label.
    expect(text).toMatch(/policies:\n\s+- guard \(Guard\) PLAN, space root\n\s+label autoattach:team:app matched stack label team:app\n\s+reached through spaces app -> root/);
    expect(text).toContain("integrations: none");

    // Detach, and explain no longer lists the context.
    const detach = await gantry(["stack", "detach", "context", "app-dev", "shared-env"]);
    expect(detach.code, detach.stderr).toBe(0);
    const after = await gantry(["stack", "explain", "app-dev", "-o", "json"]);
    expect((JSON.parse(after.stdout) as { contexts: unknown[] }).contexts).toEqual([]);
  });

  it("prints the raw API objects with -o json, before or after the command", async () => {
    await t.admin.call("createStack", { body: { id: "json-stack", name: "json-stack", repository: "/srv/git/x.git", labels: ["a"] } });
    const [show, list, file] = await Promise.all([
      gantry(["-o", "json", "stack", "show", "json-stack"]),
      gantry(["stack", "list", "--label", "a", "-o", "json"]),
      gantry(["stack", "file", "set", "json-stack", "conf/app.ini", join(t.scratch, "app.ini"), "-o", "json"]),
    ]);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toEqual(await t.admin.call("getStack", { params: { id: "json-stack" } }));
    expect((JSON.parse(list.stdout) as { id: string }[]).map((s) => s.id)).toEqual(["json-stack"]);
    // The local file does not exist: a usage error naming it, and nothing sent.
    expect(file.code).toBe(2);
    expect(file.stderr).toContain("app.ini");
  });

  it("sends mounted files base64 and updates only the given fields", async () => {
    await t.admin.call("createStack", { body: { id: "files-stack", name: "files-stack", repository: "/srv/git/x.git", labels: ["keep"] } });
    const local = join(t.scratch, "settings.bin");
    writeFileSync(local, Buffer.from([0, 1, 2, 250, 255]));
    const spec = join(t.scratch, "update.json");
    writeFileSync(spec, JSON.stringify({ description: "from the file", branch: "develop" }));
    const [file, update] = await Promise.all([
      gantry(["stack", "file", "set", "files-stack", "conf/settings.bin", local]),
      gantry(["stack", "update", "files-stack", "--from-file", spec, "--branch", "release", "--no-autodeploy"]),
    ]);
    expect(file.code, file.stderr).toBe(0);
    expect(update.code, update.stderr).toBe(0);
    const config = await t.admin.call("stackConfig", { params: { id: "files-stack" } });
    expect(Buffer.from(config.files[0]?.content ?? "", "base64")).toEqual(Buffer.from([0, 1, 2, 250, 255]));
    const stack = await t.admin.call("getStack", { params: { id: "files-stack" } });
    // The flag wins over the file; fields named nowhere keep their values.
    expect(stack).toMatchObject({ description: "from the file", branch: "release", autodeploy: false, labels: ["keep"] });
  });
});

describe("runs, locks and worker pools", () => {
  it("triggers a run, shows its history, cancels it, and locks the stack", async () => {
    // startServer runs no worker, so the run waits in READY for us to cancel it.
    const pool = await gantry(["worker-pool", "create", "--name", "Pool A", "--id", "pool-a"]);
    expect(pool.code, pool.stderr).toBe(0);
    expect(pool.stdout).toMatch(/^gwp_\S+$/m);
    await t.admin.call("createStack", { body: { id: "run-stack", name: "run-stack", repository: "/srv/git/x.git" } });
    const trigger = await gantry(["run", "trigger", "run-stack", "--type", "PROPOSED", "-o", "json"]);
    expect(trigger.code, trigger.stderr).toBe(0);
    const run = JSON.parse(trigger.stdout) as { id: string; type: string };
    expect(run.type).toBe("PROPOSED");

    const [list, cancel, lock, badTask] = await Promise.all([
      gantry(["run", "list", "run-stack"]),
      gantry(["run", "cancel", run.id]),
      gantry(["stack", "lock", "run-stack", "--note", "maintenance"]),
      gantry(["run", "trigger", "run-stack", "--type", "TASK"]),
    ]);
    expect(list.stdout).toMatch(new RegExp(`^${run.id}\\s+run-stack\\s+PROPOSED\\s`, "m"));
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(/^state:\s+CANCELED$/m);
    expect(lock.code, lock.stderr).toBe(0);
    expect(await t.admin.call("getStack", { params: { id: "run-stack" } })).toMatchObject({ lockedBy: expect.any(String), lockNote: "maintenance" });
    expect(lock.stdout).toMatch(/^lock note:\s+maintenance$/m);
    expect(badTask.code).toBe(1);
    expect(badTask.stderr).toMatch(/^ {2}command: /m);

    const [preview, state, review] = await Promise.all([
      gantry(["stack", "unlock", "run-stack"]).then(() => gantry(["stack", "preview", "run-stack", "-o", "json"])),
      gantry(["stack", "state", "list", "run-stack"]),
      gantry(["run", "review", run.id]),
    ]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(JSON.parse(preview.stdout)).toMatchObject({ stackId: "run-stack", type: "PROPOSED" });
    expect(state.code, state.stderr).toBe(0);
    expect(state.stdout.trim()).toBe("no state yet");
    expect(review.code).toBe(2);
    expect(review.stderr).toContain("--approve or --reject");

    const show = await gantry(["run", "show", run.id]);
    expect(show.stdout).toMatch(/^\S+\s+-\s+QUEUED\s+user:admin/m);
    expect(show.stdout).toMatch(/\s+CANCELED\s+user:admin/m);
  });
});

describe("gantry worker", () => {
  it("joins a pool with its token, shows up in the pool's workers, and stops on SIGTERM; a bad token exits 1", async () => {
    const { token } = await t.admin.call("createWorkerPool", { body: { id: "remote", name: "Remote" } });
    const env = { GANTRY_URL: t.url, HOME: t.scratch };
    const [worker, refused] = await Promise.all([
      serveCli(["worker", "--name", "box", "--work-dir", join(t.scratch, "worker")], { env: { ...env, GANTRY_WORKER_TOKEN: token } }, "worker connected"),
      gantry(["worker"], { env: { ...env, GANTRY_WORKER_TOKEN: "gwp_not_a_token" } }),
    ]);
    const workers = await gantry(["worker-pool", "workers", "remote"]);
    expect(workers.stdout).toMatch(/^\S+\s+box#1\s+IDLE\s/m);
    expect((await worker.stop()).code).toBe(0);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: the server refused the worker: .*GANTRY_WORKER_TOKEN/m);
  });
});

describe("failures", () => {
  it("says a command is unknown and exits 2 with --help too, while known commands still show their help", async () => {
    const [top, nested, withFlag, known, knownLeaf] = await Promise.all([
      gantry(["stak", "--help"]),
      gantry(["stack", "nope", "--help"]),
      gantry(["-o", "json", "stack", "nope", "-h"]),
      gantry(["stack", "--help"]),
      gantry(["stack", "list", "--help"]),
    ]);
    expect(top.code, top.stderr).toBe(2);
    expect(top.stderr).toContain("unknown command 'stak'");
    expect(top.stdout).toBe("");
    for (const r of [nested, withFlag]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain("unknown command 'nope' for 'gantry stack'");
    }
    expect(known.code).toBe(0);
    expect(known.stdout).toContain("Usage: gantry stack");
    expect(knownLeaf.code).toBe(0);
    expect(knownLeaf.stdout).toContain("Usage: gantry stack list");
  });

  it("exits 1 with the field paths of invalid input, 2 for usage errors, 3 when unreachable", async () => {
    const badJson = join(t.scratch, "bad.json");
    writeFileSync(badJson, "{ not json");
    const unknownField = join(t.scratch, "unknown.json");
    writeFileSync(unknownField, JSON.stringify({ name: "x", repository: "/r", colour: "blue" }));
    const port = await closedPort();
    const [invalid, unknown, missing, badChoice, badInt, badFile, unknownCmd, unreachable, noServer] = await Promise.all([
      gantry(["stack", "create", "--name", "bad", "--repository", "/r", "--project-root", "../escape", "--label", " padded", "--terraform-version", "latest"]),
      gantry(["stack", "create", "--from-file", unknownField]),
      gantry(["stack", "show", "no-such-stack"]),
      gantry(["stack", "create", "--name", "x", "--repository", "/r", "--workflow-tool", "PULUMI"]),
      gantry(["stack", "attach", "context", "a", "b", "--priority", "high"]),
      gantry(["space", "create", "--from-file", badJson]),
      gantry(["stak", "list"]),
      gantry(["space", "list"], { env: { GANTRY_URL: `http://127.0.0.1:${port}`, GANTRY_API_KEY: "gnt_x", HOME: t.scratch, XDG_CONFIG_HOME: join(t.scratch, "none") } }),
      gantry(["space", "list"], { env: { HOME: t.scratch, XDG_CONFIG_HOME: join(t.scratch, "none") } }),
    ]);

    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^error: invalid request body$/m);
    expect(invalid.stderr).toMatch(/^ {2}projectRoot: must be a relative path/m);
    expect(invalid.stderr).toMatch(/^ {2}labels\[0\]: must not start or end with white space$/m);
    expect(invalid.stderr).toMatch(/^ {2}terraformVersion: must be an exact version/m);
    expect(invalid.stdout).toBe("");

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("colour: unknown field");

    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*no-such-stack/m);

    for (const usage of [badChoice, badInt, badFile, unknownCmd, noServer]) expect(usage.code, usage.stderr).toBe(2);
    expect(badChoice.stderr).toContain("PULUMI");
    expect(badInt.stderr).toContain("must be a non-negative whole number");
    expect(badFile.stderr).toContain("not valid JSON");
    expect(unknownCmd.stderr).toContain("unknown command 'stak'");
    expect(noServer.stderr).toContain("gantry login");

    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain(`cannot reach the Gantry server at http://127.0.0.1:${port}`);
  });
});

describe("access and audit", () => {
  it("grants roles by username, creates a key that works, and finds it all in the audit trail", async () => {
    const withPassword = { ...asAdmin, env: { ...asAdmin.env, GANTRY_PASSWORD: "a long enough password" } };
    const [space, dave] = await Promise.all([
      gantry(["space", "create", "--id", "ops", "--name", "Ops"]),
      gantry(["user", "create", "dave", "-o", "json"], withPassword),
    ]);
    expect(space.code, space.stderr).toBe(0);
    expect(dave.code, dave.stderr).toBe(0);
    const daveId = (JSON.parse(dave.stdout) as { id: string }).id;

    const [grant, team, key] = await Promise.all([
      gantry(["role", "grant", "--space", "ops", "--role", "write", "--user", "dave", "-o", "json"]),
      gantry(["team", "create", "Operators"]),
      gantry(["api-key", "create", "dave-ci", "--user", "dave"]),
    ]);
    expect(grant.code, grant.stderr).toBe(0);
    expect(JSON.parse(grant.stdout)).toMatchObject({ spaceId: "ops", role: "write", subjectType: "user", subjectId: daveId });
    expect(team.code, team.stderr).toBe(0);
    expect(key.code, key.stderr).toBe(0);
    const secret = /^(gnt_\S+)$/m.exec(key.stdout)?.[1] ?? "";
    expect(secret).not.toBe("");

    const asDave = { env: { GANTRY_URL: t.url, GANTRY_API_KEY: secret, HOME: t.scratch } };
    const [member, whoami, roles, audit, forbidden] = await Promise.all([
      gantry(["team", "add-member", "Operators", "dave"]),
      gantry(["whoami"], asDave),
      gantry(["role", "list", "--space", "ops"]),
      gantry(["audit", "list", "--action", "role_binding.create", "--space", "ops", "-o", "json"]),
      gantry(["context", "create", "--name", "not allowed", "--space", "ops"], asDave),
    ]);
    expect(member.code, member.stderr).toBe(0);
    expect(member.stdout).toMatch(new RegExp(`^members:\\s+${daveId}$`, "m"));
    expect(whoami.stdout).toMatch(/^user dave .*\n\s+write on ops \(role binding\)$/m);
    expect(roles.stdout).toMatch(new RegExp(`\\sops\\s+write\\s+user:${daveId}\\s`));
    const events = (JSON.parse(audit.stdout) as { items: { action: string; spaceId: string }[] }).items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "role_binding.create", spaceId: "ops" });
    // Write is not admin: contexts need admin on their space.
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(/^error: /m);

    const bindingId = (JSON.parse(grant.stdout) as { id: string }).id;
    const revoke = await gantry(["role", "revoke", bindingId]);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect((await t.admin.call("listRoleBindings", { query: { spaceId: "ops" } })).items.map((b) => b.id)).not.toContain(bindingId);
  });
});

describe("login profiles", () => {
  it("saves a profile with mode 0600 that later commands use, with the environment winning", async () => {
    const home = join(t.scratch, "login-home");
    const xdg = join(home, "config");
    const base = { HOME: home, XDG_CONFIG_HOME: xdg };
    const create = await gantry(["user", "create", "carol", "--display-name", "Carol"], { ...asAdmin, env: { ...asAdmin.env, GANTRY_PASSWORD: "correct horse battery staple" } });
    expect(create.code, create.stderr).toBe(0);

    const [byKey, byPassword, wrongPassword] = await Promise.all([
      gantry(["login", "--url", t.url, "--api-key", t.adminKey], { env: base }),
      gantry(["login", "--url", t.url, "--username", "carol", "--profile", "carol"], { env: { ...base, XDG_CONFIG_HOME: join(home, "config2") }, input: "correct horse battery staple\n" }),
      gantry(["login", "--url", t.url, "--username", "carol", "--profile", "x"], { env: { ...base, XDG_CONFIG_HOME: join(home, "config3"), GANTRY_PASSWORD: "wrong password here" } }),
    ]);
    expect(byKey.code, byKey.stderr).toBe(0);
    expect(byKey.stdout).toContain("as admin");
    expect(byPassword.code, byPassword.stderr).toBe(0);
    expect(byPassword.stdout).toContain("as carol");
    expect(wrongPassword.code).toBe(1);

    const file = join(xdg, "gantry", "profiles.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The password is never saved, only the session token.
    const { readFileSync } = await import("node:fs");
    const carolFile = readFileSync(join(home, "config2", "gantry", "profiles.json"), "utf8");
    expect(carolFile).not.toContain("correct horse");
    expect(carolFile).toContain('"kind": "session"');

    const [fromProfile, envWins, carol, missingProfile] = await Promise.all([
      gantry(["whoami"], { env: base }),
      gantry(["whoami"], { env: { ...base, GANTRY_API_KEY: "gnt_not_a_real_key" } }),
      gantry(["space", "list", "-o", "json"], { env: { ...base, XDG_CONFIG_HOME: join(home, "config2") } }),
      gantry(["--profile", "nope", "whoami"], { env: base }),
    ]);
    expect(fromProfile.code, fromProfile.stderr).toBe(0);
    expect(fromProfile.stdout).toMatch(/^user admin .* from profile default$/m);
    expect(envWins.code).toBe(1);
    expect(envWins.stderr).toContain("token is not valid");
    // carol holds no role: the session works, and she sees no space.
    expect(carol.code, carol.stderr).toBe(0);
    expect(JSON.parse(carol.stdout)).toEqual([]);
    expect(missingProfile.code).toBe(2);
    expect(missingProfile.stderr).toContain('no profile named "nope"');
  });
});
