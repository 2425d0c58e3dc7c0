import type { Worker, WorkerPool } from "@gantry/contract";
import type { WorkerPoolsTable, WorkersTable } from "../db/schema.js";

export const poolFromRow = (r: WorkerPoolsTable): WorkerPool => ({
  id: r.id, name: r.name, description: r.description, spaceId: r.space_id, createdAt: r.created_at, updatedAt: r.updated_at,
});

export const workerFromRow = (r: WorkersTable): Worker => ({
  id: r.id, poolId: r.pool_id, name: r.name, status: r.status as Worker["status"], currentRunId: r.current_run_id,
  lastHeartbeatAt: r.last_heartbeat_at, createdAt: r.created_at,
});
