/** Chaos scenarios about data: the database going away, a burst of pushes, secrets at rest and in transit. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { runLog } from "../../apps/worker/test/fixtures.js";
import { startPostgres } from "../postgres-server.js";
import { createDatabase } from "../resilience/cluster.js";
import { awaitRun, check, slowConfig, startRig } from "./rig.js";

/**
 * PostgreSQL stopped for `outageSeconds` mid-apply and started again: the API answers 503 fast
 * meanwhile, `/healthz` stays 200, and the run finishes once the database is back.
 */
export async function databaseStoppedAndStarted(outageSeconds: number): Promise<void> {
  const pgServer = await startPostgres();
  const rig = await startRig({ databaseUrl: await createDatabase(pgServer.url), heartbeatTimeoutSeconds: outageSeconds * 3 });
  try {
    const stack = await rig.admin.call("createStack", { body: { name: "db-restart", repository: rig.repo.path, autodeploy: true, workerPoolId: rig.poolId } });
    await rig.worker("patient");
    const run = await rig.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    await awaitRun(rig.admin, run.id, ["APPLYING"]);
    pgServer.halt();
    const t0 = Date.now();
    const res = await fetch(`${rig.url}/api/v1/stacks`, { headers: { authorization: `Bearer ${rig.adminKey}` } });
    check(res.status === 503 && Date.now() - t0 < 6000, `with the database down the API answered ${res.status} after ${Date.now() - t0} ms (expected 503 within 6 s)`);
    check((await fetch(`${rig.url}/healthz`)).status === 200, "/healthz failed while only the database was down");
    check((await fetch(`${rig.url}/readyz`)).status === 503, "/readyz said ready with the database down");
    await new Promise((r) => setTimeout(r, outageSeconds * 1000));
    pgServer.resume();
    const done = await awaitRun(rig.admin, run.id);
    check(done.state === "FINISHED", `the run ended ${done.state} (${done.failureReason ?? ""}) after the outage\n${await runLog(rig.admin, run.id)}`);
    const versions = await rig.admin.call("listStateVersions", { params: { id: stack.id } });
    check(versions.items.length === 1, `expected one state version, found ${versions.items.length}`);
  } finally {
    await rig.close();
    pgServer.stop();
  }
}

/**
 * `pushes` commits in quick succession, each queuing a tracked run: the runs apply one at a
 * time in commit order and the final state holds the last commit's value.
 */
export async function manyPushes(pushes: number, workers: number): Promise<void> {
  const rig = await startRig();
  try {
    const stack = await rig.admin.call("createStack", { body: { name: "pushes", repository: rig.repo.path, autodeploy: true, workerPoolId: rig.poolId } });
    for (let i = 0; i < workers; i++) await rig.worker(`pusher-${i}`);
    const runs: { id: string; sha: string }[] = [];
    for (let i = 1; i <= pushes; i++) {
      const sha = rig.repo.commit({ "main.tf": slowConfig(`v${i}`, 0) }, `push ${i}`);
      const run = await rig.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED", commitSha: sha } });
      runs.push({ id: run.id, sha });
    }
    const finishedAt: number[] = [];
    for (const r of runs) {
      const done = await awaitRun(rig.admin, r.id, undefined, 600_000);
      check(done.state === "FINISHED", `push ${runs.indexOf(r) + 1} ended ${done.state} (${done.failureReason ?? ""})`);
      check(done.commit.sha === r.sha, `run ${r.id} applied ${done.commit.sha}, not its commit ${r.sha}`);
      finishedAt.push(Date.parse(done.history.at(-1)!.at));
    }
    check(finishedAt.every((t, i) => i === 0 || t >= finishedAt[i - 1]!), "the runs did not finish in commit order");
    const versions = await rig.admin.call("listStateVersions", { params: { id: stack.id } });
    const latest = await rig.admin.call("getStateVersion", { params: { id: stack.id, versionId: versions.items[0]!.id } });
    const value = (latest.state as { outputs?: { value?: { value?: string } } }).outputs?.value?.value;
    check(value === `v${pushes}`, `the final state holds ${JSON.stringify(value)}, not the last commit's v${pushes}`);
  } finally {
    await rig.close();
  }
}

/** The forms of a secret a careless script might print, each of which must never come back. */
export function secretForms(secret: string): Record<string, string> {
  return {
    plain: secret,
    base64: Buffer.from(secret).toString("base64"),
    base64url: Buffer.from(secret).toString("base64url"),
    "url-encoded": encodeURIComponent(secret),
    "json-escaped": JSON.stringify(secret).slice(1, -1),
  };
}

/** Every file under `dir` (database, WAL, logs), read raw. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.size < 256 * 1024 * 1024) out.push({ path: p, bytes: readFileSync(p) });
  }
  return out;
}

/**
 * A write-only variable printed by a run in every form: none of the forms may appear in API
 * responses (run, logs, variables, audit), the server's own log output, or the data directory's
 * files (database and WAL). Returns nothing; throws listing every leak.
 */
export async function secretsNeverLeak(): Promise<void> {
  const rig = await startRig();
  try {
    // Characters that make the encoded forms differ from the plain one.
    const secret = `s3cr3t/${Math.random().toString(36).slice(2)}+"quoted"&more=yes`;
    const forms = secretForms(secret);
    const stack = await rig.admin.call("createStack", {
      body: {
        name: "secrets",
        repository: rig.repo.path,
        autodeploy: true,
        workerPoolId: rig.poolId,
        hooks: {
          beforeInit: [
            'printf "plain %s\\n" "$API_SECRET"',
            'printf "base64 %s\\n" "$(printf %s "$API_SECRET" | base64 -w0)"',
            'printf "base64url %s\\n" "$(printf %s "$API_SECRET" | base64 -w0 | tr "+/" "-_" | tr -d "=")"',
            'printf "urlenc %s\\n" "$(node -e "process.stdout.write(encodeURIComponent(process.env.API_SECRET))")"',
            'printf "json %s\\n" "$(node -e "process.stdout.write(JSON.stringify(process.env.API_SECRET).slice(1,-1))")"',
          ],
        },
      },
    });
    await rig.admin.call("putStackVariable", { params: { id: stack.id, name: "API_SECRET" }, body: { value: secret, writeOnly: true } });
    await rig.worker("secretive");
    const run = await rig.admin.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } });
    const done = await awaitRun(rig.admin, run.id);
    check(done.state === "FINISHED", `the run ended ${done.state} (${done.failureReason ?? ""})`);
    const where: Record<string, string | Buffer> = {
      "API getRun": JSON.stringify(await rig.admin.call("getRun", { params: { id: run.id } })),
      "API run logs": await runLog(rig.admin, run.id),
      "API stack configuration": JSON.stringify(await rig.admin.call("stackConfig", { params: { id: stack.id } })),
      "API audit events": JSON.stringify(await rig.admin.call("listAuditEvents", { query: {} })),
      "server log output": rig.server.output(),
      ...Object.fromEntries(rig.processes.filter((p) => p !== rig.server).map((p, i) => [`worker ${i} output`, p.output()])),
      ...Object.fromEntries(filesUnder(rig.dataDir).map((f) => [`file ${f.path}`, f.bytes])),
    };
    const leaks: string[] = [];
    for (const [form, value] of Object.entries(forms)) {
      for (const [place, content] of Object.entries(where)) {
        const found = typeof content === "string" ? content.includes(value) : content.includes(Buffer.from(value));
        if (found) leaks.push(`${form} form in ${place}`);
      }
    }
    check(leaks.length === 0, `the secret leaked: ${leaks.join("; ")}`);
  } finally {
    await rig.close();
  }
}
