import type { Worker, WorkerPool } from "@gantry/contract";
import type { Command } from "commander";
import { orDash, printDone, printJson, printList, printOne, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

const poolColumns: Column<WorkerPool>[] = [
  { header: "id", value: (p) => p.id },
  { header: "name", value: (p) => p.name },
  { header: "space", value: (p) => p.spaceId },
  { header: "description", value: (p) => orDash(p.description) },
  { header: "created", value: (p) => p.createdAt },
];

const workerColumns: Column<Worker>[] = [
  { header: "id", value: (w) => w.id },
  { header: "name", value: (w) => w.name },
  { header: "status", value: (w) => w.status },
  { header: "run", value: (w) => orDash(w.currentRunId) },
  { header: "last heartbeat", value: (w) => w.lastHeartbeatAt },
];

/** `gantry worker-pool ...`: private worker pools; a pool's token is printed once, on create or reset. */
export function workerPoolCommand(rt: Runtime, program: Command): void {
  const pool = program.command("worker-pool").description("manage private worker pools and see their workers");

  pool.command("list").description("worker pools you can read").action(async (_o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, (await s.api.call("listWorkerPools", {})).items, poolColumns, "no worker pools");
  });
  pool.command("show <id>").description("one worker pool").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printOne(s.p, s.format, await s.api.call("getWorkerPool", { params: { id } }), poolColumns);
  });
  pool
    .command("create")
    .description("create a worker pool; its token is shown once")
    .requiredOption("--name <name>", "display name")
    .option("--id <id>", "slug id (default: from the name)")
    .option("--space <id>", "space id (default: root)")
    .option("--description <text>", "description")
    .action(async (o: { name: string; id?: string; space?: string; description?: string }, cmd: Command) => {
      const s = session(rt, cmd);
      const created = await s.api.call("createWorkerPool", { body: { name: o.name, id: o.id, spaceId: o.space, description: o.description } });
      if (s.format === "json") return printJson(s.p, created);
      s.p.out(`created worker pool ${created.pool.id}; its token is shown only now (give it to the pool's workers):`);
      s.p.out(created.token);
    });
  pool.command("reset-token <id>").description("replace the pool's token; workers holding the old one are refused").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    const { token } = await s.api.call("resetWorkerPoolToken", { params: { id } });
    if (s.format === "json") return printJson(s.p, { token });
    s.p.out(`new token of worker pool ${id}, shown only now:`);
    s.p.out(token);
  });
  pool.command("delete <id>").description("delete a worker pool no stack uses").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    await s.api.call("deleteWorkerPool", { params: { id } });
    printDone(s.p, s.format, `worker pool ${id} deleted`, { deleted: { kind: "worker_pool", id } });
  });
  pool.command("workers <id>").description("workers of a pool with their status").action(async (id: string, _o, cmd: Command) => {
    const s = session(rt, cmd);
    printList(s.p, s.format, (await s.api.call("listWorkers", { params: { id } })).items, workerColumns, "no workers");
  });
}
