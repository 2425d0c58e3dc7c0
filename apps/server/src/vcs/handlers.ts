import type { vcsEndpoints } from "@gantry/contract";
import type { Handlers } from "../http/handlers.js";
import type { Services } from "../services.js";

/** Handlers of the VCS endpoints: each one service call. */
export function vcsHandlers(s: Services): Pick<Handlers, keyof typeof vcsEndpoints> {
  return {
    listVcsIntegrations: ({ actor, query }) => s.vcsIntegrations.list(actor, query),
    getVcsIntegration: ({ actor, params }) => s.vcsIntegrations.get(actor, params.id),
    createVcsIntegration: ({ actor, body }) => s.vcsIntegrations.create(actor, body),
    updateVcsIntegration: ({ actor, params, body }) => s.vcsIntegrations.update(actor, params.id, body),
    deleteVcsIntegration: ({ actor, params }) => s.vcsIntegrations.delete(actor, params.id),
    notifyVcs: async ({ actor, body }) => {
      const { note, stacks } = await s.vcs.notify(actor, body);
      return { note, stacks };
    },
  };
}
