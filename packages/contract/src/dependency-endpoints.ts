import { endpoint } from "./endpoint.js";
import { IdParams } from "./schemas/common.js";
import {
  CreateStackDependency, CreateStackDependencyReference, DependencyGraph, DependencyGraphQuery, DependencyParams, DeployedRuns, DeployStack, ReferenceParams,
  StackDependencies, StackDependency, StackDependencyReference, StackOutputs,
} from "./schemas/dependency.js";

const read = { kind: "space", role: "read" } as const;
const write = { kind: "space", role: "write" } as const;

/**
 * Stack dependencies (a DAG across spaces), output references and outputs. Changing a stack's
 * dependencies needs write on it and read on the upstream stack.
 */
export const dependencyEndpoints = {
  createStackDependency: endpoint({ method: "POST", path: "/api/v1/stacks/{id}/dependencies", tag: "dependencies", summary: "make the stack depend on another (write on the stack, read on the upstream); a cycle is refused and named", access: write, params: IdParams, body: CreateStackDependency, response: StackDependency, status: 201 }),
  listStackDependencies: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/dependencies", tag: "dependencies", summary: "the stack's upstream and downstream dependencies", access: read, params: IdParams, response: StackDependencies }),
  getStackDependency: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/dependencies/{dependencyId}", tag: "dependencies", summary: "one dependency of the stack with its references", access: read, params: DependencyParams, response: StackDependency }),
  deleteStackDependency: endpoint({ method: "DELETE", path: "/api/v1/stacks/{id}/dependencies/{dependencyId}", tag: "dependencies", summary: "remove a dependency and its references", access: write, params: DependencyParams, response: null, status: 204 }),
  createStackDependencyReference: endpoint({ method: "POST", path: "/api/v1/stacks/{id}/dependencies/references", tag: "dependencies", summary: "pass an output of an upstream stack to this stack's runs as an environment variable", access: write, params: IdParams, body: CreateStackDependencyReference, response: StackDependencyReference, status: 201 }),
  getStackDependencyReference: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/dependencies/references/{referenceId}", tag: "dependencies", summary: "one output reference of the stack", access: read, params: ReferenceParams, response: StackDependencyReference }),
  deleteStackDependencyReference: endpoint({ method: "DELETE", path: "/api/v1/stacks/{id}/dependencies/references/{referenceId}", tag: "dependencies", summary: "remove an output reference", access: write, params: ReferenceParams, response: null, status: 204 }),
  stackOutputs: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/outputs", tag: "dependencies", summary: "outputs of the stack's latest applied state, name to value (sensitive values masked)", access: read, params: IdParams, response: StackOutputs }),
  getDependencyGraph: endpoint({ method: "GET", path: "/api/v1/dependency-graph", tag: "dependencies", summary: "every dependency between stacks the caller can read, filtered by space or label", access: { kind: "authenticated" }, query: DependencyGraphQuery, response: DependencyGraph }),
  deployStack: endpoint({ method: "POST", path: "/api/v1/stacks/{id}/deploy", tag: "dependencies", summary: "queue a tracked run of the stack, and with withDependents of every stack downstream", access: write, params: IdParams, body: DeployStack, response: DeployedRuns, status: 201 }),
};
