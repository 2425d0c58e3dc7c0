import { z } from "zod";
import { Timestamp } from "./common.js";

/** An environment variable name a reference may set (`TF_VAR_x` or any other). */
const EnvName = z.string().min(1).max(255).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name: letters, digits and '_', not starting with a digit");
/** A Terraform output name. */
const OutputName = z.string().min(1).max(255).regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "must be a Terraform output name");

/** An output of the upstream stack passed to the downstream stack's runs as an environment variable. */
export const StackDependencyReference = z.object({
  id: z.string(),
  dependencyId: z.string(),
  outputName: z.string(),
  inputName: z.string().describe("the environment variable the downstream run gets, e.g. TF_VAR_vpc_id"),
  triggerAlways: z.boolean().describe("trigger the dependent after every upstream change, not only when this output changed"),
  createdAt: Timestamp,
});
export type StackDependencyReference = z.infer<typeof StackDependencyReference>;

/** `stackId` depends on `dependsOnStackId`: it runs after it and may read its outputs. */
export const StackDependency = z.object({
  id: z.string(),
  stackId: z.string(),
  dependsOnStackId: z.string(),
  references: z.array(StackDependencyReference),
  createdAt: Timestamp,
});
export type StackDependency = z.infer<typeof StackDependency>;

export const CreateStackDependency = z.strictObject({
  dependsOnStackId: z.string().min(1).max(256).describe("the upstream stack"),
});

export const CreateStackDependencyReference = z.strictObject({
  dependencyId: z.string().min(1).max(256).describe("a dependency of this stack (see GET /stacks/{id}/dependencies)"),
  outputName: OutputName,
  inputName: EnvName,
  triggerAlways: z.boolean().default(false),
});

export const StackDependencies = z.object({
  dependsOn: z.array(StackDependency).describe("the stacks this one depends on (upstream)"),
  dependents: z.array(StackDependency).describe("the stacks that depend on this one (downstream) and the caller can read"),
});

export const DependencyParams = z.strictObject({ id: z.string().min(1).max(256), dependencyId: z.string().min(1).max(256) });
export const ReferenceParams = z.strictObject({ id: z.string().min(1).max(256), referenceId: z.string().min(1).max(256) });

/** Output name to value of the stack's latest applied state; sensitive values are masked. */
export const StackOutputs = z.record(z.string(), z.unknown());

export { MASKED_OUTPUT } from "../masked-output.js";

export const DeployStack = z.strictObject({
  withDependents: z.boolean().default(false).describe("also queue tracked runs of every stack downstream; each waits for its upstreams"),
});

export const DeployedRuns = z.object({ runIds: z.array(z.string()).describe("the stack's run first, then its dependents' in dependency order") });

export const DependencyGraphQuery = z.strictObject({
  spaceId: z.string().min(1).max(256).optional().describe("only dependencies touching stacks of this space (not its subspaces)"),
  label: z.string().min(1).max(255).optional().describe("only dependencies touching stacks carrying this label"),
});

/** A stack in the organisation's dependency graph. */
export const DependencyGraphStack = z.object({
  id: z.string(),
  name: z.string(),
  spaceId: z.string(),
  state: z.string(),
  matchesFilter: z.boolean().describe("false for a stack shown only because a matching stack depends on it or it on one"),
});

/** Every dependency between stacks the caller can read (edges to stacks they cannot read are left out). */
export const DependencyGraph = z.object({
  stacks: z.array(DependencyGraphStack).describe("the stacks at either end of a listed dependency, by id"),
  dependencies: z.array(z.object({ stackId: z.string(), dependsOnStackId: z.string() })).describe("stackId runs after dependsOnStackId"),
});
export type DependencyGraph = z.infer<typeof DependencyGraph>;
