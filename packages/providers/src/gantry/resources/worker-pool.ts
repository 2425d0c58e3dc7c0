import type { WorkerPool } from "@gantry/contract";
import { attr } from "@gantry/tfplugin";
import { call, callOrNull, idOf } from "../api.js";
import { kit } from "../kit.js";

const fromApi = (p: WorkerPool) => ({ id: p.id, slug: p.id, name: p.name, description: p.description, space_id: p.spaceId });

/**
 * `gantry_worker_pool`: a private worker pool. Its token (what `gantry worker --pool-token`
 * needs) is only known at creation, so it is kept, sensitive, in state; an imported pool has
 * none until it is replaced.
 */
export const workerPool = kit.resource({
  description: "A private worker pool; workers join it with its token.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    slug: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true }),
    name: attr.string({ required: true, requiresReplace: true }),
    description: attr.string({ optional: true, default: "", requiresReplace: true }),
    space_id: attr.string({ optional: true, default: "root", requiresReplace: true }),
    token: attr.string({ computed: true, sensitive: true, useStateForUnknown: true }),
  },
  async create({ planned, config, client }) {
    const created = await call(client, "createWorkerPool", {
      body: { ...(config.slug ? { id: config.slug } : {}), name: planned.name, description: planned.description, spaceId: planned.space_id },
    }, { id: "slug" });
    return { ...fromApi(created.pool), token: created.token };
  },
  async read({ state, client }) {
    const p = await callOrNull(client, "getWorkerPool", { params: { id: idOf(state) } });
    return p && fromApi(p);
  },
  // Every argument replaces the pool, so there is nothing to update in place.
  update: () => ({}),
  async delete({ state, client }) {
    await call(client, "deleteWorkerPool", { params: { id: idOf(state) } });
  },
  import: ({ id }) => ({ id, token: "" }),
});
