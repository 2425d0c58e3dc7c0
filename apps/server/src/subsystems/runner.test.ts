import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createPostgresDatabase } from "../../test/harness.js";
import { periodic } from "./periodic.js";
import { SubsystemRunner } from "./runner.js";
import type { Subsystem } from "./subsystem.js";

const log = pino({ level: "silent" });
const runners: SubsystemRunner[] = [];
function runner(opts: Partial<ConstructorParameters<typeof SubsystemRunner>[0]> = {}): SubsystemRunner {
  const r = new SubsystemRunner({ log, initialBackoffMs: 10, maxBackoffMs: 40, lockCheckMs: 100, ...opts });
  runners.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("subsystem runner", () => {
  it("restarts a subsystem that throws, with backoff, and reports it", async () => {
    let attempts = 0;
    const r = runner().add({
      name: "flaky",
      mode: "every-replica",
      async run({ signal }) {
        attempts++;
        if (attempts <= 2) throw new Error(`boom ${attempts}`);
        await new Promise((res) => signal.addEventListener("abort", res, { once: true }));
      },
    });
    r.start();
    await until("third attempt", () => attempts === 3);
    const [status] = r.status();
    expect(status).toMatchObject({ name: "flaky", state: "running", restarts: 2, lastError: "boom 2" });
  });

  it("treats a subsystem that returns on its own as failed and starts it again", async () => {
    let attempts = 0;
    const r = runner().add({ name: "quits", mode: "every-replica", run: async () => void attempts++ });
    r.start();
    await until("a restart", () => attempts >= 2);
    expect(r.status()[0]!.lastError).toMatch(/returned while it should still be running/);
  });

  it("stops subsystems in reverse order of registration, waiting for each", async () => {
    const stopped: string[] = [];
    const r = runner();
    for (const name of ["first", "second", "third"]) {
      r.add({
        name,
        mode: "every-replica",
        async run({ signal }) {
          await new Promise((res) => signal.addEventListener("abort", res, { once: true }));
          await new Promise((res) => setTimeout(res, 10));
          stopped.push(name);
        },
      });
    }
    r.start();
    await r.stop();
    expect(stopped).toEqual(["third", "second", "first"]);
    expect(r.status().map((s) => s.state)).toEqual(["stopped", "stopped", "stopped"]);
  });

  it("refuses two subsystems with one name", () => {
    const s: Subsystem = { name: "twice", mode: "every-replica", run: async () => undefined };
    expect(() => runner().add(s).add(s)).toThrow(/registered twice/);
  });

  it("runs a periodic round at start, on each wake, and never two rounds at once", async () => {
    let rounds = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const job = periodic({
      name: "tick",
      mode: "every-replica",
      intervalMs: 60_000,
      async round() {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise((res) => setTimeout(res, 20));
        rounds++;
        concurrent--;
      },
    });
    runner().add(job).start();
    await until("the first round", () => rounds === 1);
    job.wake();
    await until("a woken round", () => rounds === 2);
    await Promise.all([job.runNow(), job.runNow(), job.runNow()]);
    expect(maxConcurrent).toBe(1);
  });
});

/** A TCP proxy to PostgreSQL; `kill` drops every connection and refuses new ones. */
async function tcpProxy(target: URL): Promise<{ url(base: string): string; kill(): void }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => (client.destroy(), upstream.destroy());
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (base) => Object.assign(new URL(base), { port: String(port), hostname: "127.0.0.1" }).toString(),
    kill() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

describe("exclusive subsystems on PostgreSQL", () => {
  function counter(name: string, into: Map<string, number>, replica: string): Subsystem {
    return periodic({ name, mode: "exclusive", intervalMs: 20, round: async () => void into.set(replica, (into.get(replica) ?? 0) + 1) });
  }

  it("runs on one replica, and another takes over when the holder's connection dies or it stops", async () => {
    const url = await createPostgresDatabase();
    const rounds = new Map<string, number>();
    // Replica a reaches PostgreSQL through a proxy the test can cut, as if the process died.
    const proxyA = await tcpProxy(new URL(url));
    const a = runner({ postgresUrl: proxyA.url(url) }).add(counter("exclusive-job", rounds, "a"));
    a.start();
    await until("replica a to run", () => (rounds.get("a") ?? 0) > 0);
    const b = runner({ postgresUrl: url }).add(counter("exclusive-job", rounds, "b"));
    b.start();
    await until("replica b to stand by", () => b.status()[0]!.state === "standby");
    await new Promise((res) => setTimeout(res, 300));
    expect(rounds.get("b")).toBeUndefined();

    // Replica a dies (its connections drop and it never comes back): PostgreSQL releases its lock,
    // b takes over, and a stops running the job as soon as it notices.
    proxyA.kill();
    await until("replica b to take over", () => (rounds.get("b") ?? 0) > 0);
    await until("replica a to notice", () => a.status()[0]!.state === "standby");
    const aRounds = rounds.get("a");
    await new Promise((res) => setTimeout(res, 300));
    expect(rounds.get("a")).toBe(aRounds);

    // A graceful stop gives the lock back at once, to a replica standing by.
    const c = runner({ postgresUrl: url }).add(counter("exclusive-job", rounds, "c"));
    c.start();
    await until("replica c to stand by", () => c.status()[0]!.state === "standby");
    await b.stop();
    await until("replica c to take over", () => (rounds.get("c") ?? 0) > 0, 2000);
  });
});
