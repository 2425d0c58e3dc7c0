import type { dependencyEndpoints } from "@gantry/contract";
import type { Handlers } from "../http/handlers.js";
import type { Services } from "../services.js";

/** Handlers of the stack dependency endpoints: each one service call. */
export function dependencyHandlers(s: Services): Pick<Handlers, keyof typeof dependencyEndpoints> {
  return {
    createStackDependency: ({ actor, params, body }) => s.dependencies.create(actor, params.id, body),
    listStackDependencies: ({ actor, params }) => s.dependencies.list(actor, params.id),
    getStackDependency: ({ actor, params }) => s.dependencies.get(actor, params.id, params.dependencyId),
    deleteStackDependency: ({ actor, params }) => s.dependencies.delete(actor, params.id, params.dependencyId),
    createStackDependencyReference: ({ actor, params, body }) => s.dependencies.createReference(actor, params.id, body),
    getStackDependencyReference: ({ actor, params }) => s.dependencies.getReference(actor, params.id, params.referenceId),
    deleteStackDependencyReference: ({ actor, params }) => s.dependencies.deleteReference(actor, params.id, params.referenceId),
    stackOutputs: ({ actor, params }) => s.dependencies.outputs(actor, params.id),
    deployStack: ({ actor, params, body }) => s.dependencies.deploy(actor, params.id, body),
    getDependencyGraph: ({ actor, query }) => s.dependencies.organisationGraph(actor, query),
  };
}
