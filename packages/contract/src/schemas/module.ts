import { z } from "zod";
import { Description, Labels, Slug, Timestamp } from "./common.js";

/**
 * A registry name part (module name, provider, namespace) as Terraform's module registry
 * protocol accepts it: letters, digits, '-' and '_', starting and ending with a letter or digit.
 */
const RegistryPart = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?$/, "must be letters, digits, '-' and '_' (as Terraform's registry protocol accepts), starting and ending with a letter or digit");
const ProviderName = z.string().min(1).max(64).regex(/^[a-z0-9]+$/, "must be a Terraform provider name: lowercase letters and digits (aws, google, azurerm)");

/**
 * What a version is now: offered to terraform only when ACTIVE (or FAILED when the module offers
 * failed versions). PENDING: its test cases are still running.
 */
export const ModuleVersionState = z.enum(["PENDING", "ACTIVE", "FAILED", "YANKED"]);
export type ModuleVersionState = z.infer<typeof ModuleVersionState>;

export const Module = z.object({
  id: z.string(),
  name: z.string(),
  terraformProvider: z.string(),
  namespace: z.string(),
  description: z.string(),
  repository: z.string(),
  branch: z.string(),
  projectRoot: z.string(),
  spaceId: z.string(),
  labels: Labels,
  sharedWith: z.array(z.string()),
  workerPoolId: z.string().nullable(),
  protectFromDeletion: z.boolean(),
  triggerConsumers: z.enum(["NONE", "PROPOSED", "TRACKED"]),
  offerFailedVersions: z.boolean(),
  /** The exact address to write in a `source =` line. */
  source: z.string(),
  /** The newest ACTIVE version, if any. */
  latestVersion: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Module = z.infer<typeof Module>;

const ModuleSettings = {
  description: Description,
  namespace: RegistryPart,
  repository: z.string().min(1).max(2048),
  branch: z.string().min(1).max(255),
  projectRoot: z.string().max(1024).refine((p) => !p.split("/").includes("..") && !p.startsWith("/"), "must be a relative path inside the repository (no '..', no leading '/')"),
  spaceId: z.string().min(1),
  labels: Labels,
  sharedWith: z.array(z.string().min(1)).max(100),
  workerPoolId: z.string().min(1).nullable(),
  protectFromDeletion: z.boolean(),
  triggerConsumers: z.enum(["NONE", "PROPOSED", "TRACKED"]).describe("when a version is published, queue this type of run for every consumer stack whose version constraint admits it"),
  offerFailedVersions: z.boolean().describe("offer versions whose test cases failed to terraform anyway (default false: a failed version is left out of the versions list)"),
};

export const CreateModule = z.strictObject({
  id: Slug.optional(),
  name: RegistryPart,
  terraformProvider: ProviderName,
  description: ModuleSettings.description.default(""),
  namespace: ModuleSettings.namespace.default("gantry"),
  repository: ModuleSettings.repository,
  branch: ModuleSettings.branch.default("main"),
  projectRoot: ModuleSettings.projectRoot.default(""),
  spaceId: ModuleSettings.spaceId.default("root"),
  labels: ModuleSettings.labels.default([]),
  sharedWith: ModuleSettings.sharedWith.default([]),
  workerPoolId: ModuleSettings.workerPoolId.default(null),
  protectFromDeletion: ModuleSettings.protectFromDeletion.default(false),
  triggerConsumers: ModuleSettings.triggerConsumers.default("NONE"),
  offerFailedVersions: ModuleSettings.offerFailedVersions.default(false),
});
export type CreateModule = z.input<typeof CreateModule>;

export const UpdateModule = z.strictObject({
  description: ModuleSettings.description.optional(),
  namespace: ModuleSettings.namespace.optional(),
  repository: ModuleSettings.repository.optional(),
  branch: ModuleSettings.branch.optional(),
  projectRoot: ModuleSettings.projectRoot.optional(),
  spaceId: ModuleSettings.spaceId.optional(),
  labels: ModuleSettings.labels.optional(),
  sharedWith: ModuleSettings.sharedWith.optional(),
  workerPoolId: ModuleSettings.workerPoolId.optional(),
  protectFromDeletion: ModuleSettings.protectFromDeletion.optional(),
  triggerConsumers: ModuleSettings.triggerConsumers.optional(),
  offerFailedVersions: ModuleSettings.offerFailedVersions.optional(),
});
export type UpdateModule = z.input<typeof UpdateModule>;

/** What changed since the previous version, from git. */
export const ModuleChangelog = z.object({
  previousVersion: z.string().nullable(),
  commits: z.array(z.object({ sha: z.string(), author: z.string(), message: z.string() })),
  filesChanged: z.array(z.string()),
});
export type ModuleChangelog = z.infer<typeof ModuleChangelog>;

/** One test case of a version (from `tests` in the module's config file) and its TESTING run. */
export const ModuleVersionTest = z.object({
  name: z.string(),
  projectRoot: z.string().describe("the test's root module, relative to the repository root"),
  negative: z.boolean().describe("a negative test passes when its run fails"),
  runId: z.string().nullable(),
  runState: z.string().nullable(),
  outcome: z.enum(["PENDING", "PASSED", "FAILED"]),
});
export type ModuleVersionTest = z.infer<typeof ModuleVersionTest>;

/** What publishing a version does to the stacks that use the module. */
export const PublishImpact = z.object({
  version: z.string(),
  consumers: z.array(z.object({ stackId: z.string(), currentVersion: z.string(), constraint: z.string().nullable(), admits: z.boolean() })).describe("every consumer, and whether its constraint admits the new version"),
  triggered: z.array(z.object({ stackId: z.string(), runId: z.string(), type: z.string(), cause: z.string() })),
  skipped: z.array(z.object({ stackId: z.string(), reason: z.string() })),
  policyErrors: z.array(z.string()),
});
export type PublishImpact = z.infer<typeof PublishImpact>;

export const ModuleVersion = z.object({
  moduleId: z.string(),
  version: z.string(),
  state: ModuleVersionState,
  commit: z.string(),
  author: z.string(),
  message: z.string(),
  tag: z.string().nullable(),
  size: z.number().int(),
  sha256: z.string(),
  changelog: ModuleChangelog,
  tests: z.array(ModuleVersionTest).describe("the version's test cases and their TESTING runs (empty: none defined)"),
  publishedBy: z.string().nullable().describe("who published the version (a person, vcs:<source>, or an administrative stack's run); its delayed reaction acts as them"),
  impact: PublishImpact.nullable().describe("what becoming ACTIVE did (consumers, queued runs, skips, TRIGGER policy errors); null while the version waits on its tests, when they failed, or before it is worked out"),
  createdAt: Timestamp,
});
export type ModuleVersion = z.infer<typeof ModuleVersion>;

export const ModuleVersionParams = z.strictObject({ id: z.string().min(1).max(256), version: z.string().min(1).max(128) });

export const PublishModuleVersion = z.strictObject({
  ref: z.string().min(1).max(255).describe("a tag (v1.2.3 or 1.2.3), branch or commit; a non-tag ref takes its version from the module's config file"),
});


/** The answer to a publish: the version and which tags were skipped, and why. */
export const PublishResult = z.object({
  warnings: z.array(z.string()).describe("what was published with a caveat"),
  impact: z.array(PublishImpact),
  published: z.array(ModuleVersion),
  skipped: z.array(z.object({ ref: z.string(), reason: z.string() })),
});
export type PublishResult = z.infer<typeof PublishResult>;

export const UpdateModuleVersion = z.strictObject({
  state: z.enum(["ACTIVE", "YANKED"]).describe("YANKED hides the version from terraform's version list, except in the runs of stacks that already use it"),
});

/** A stack that uses the module, with the version terraform resolved at its last init. */
export const ModuleConsumer = z.object({
  stackId: z.string(),
  version: z.string(),
  newerMatchingVersion: z.string().nullable(),
  updatedAt: Timestamp,
});
export type ModuleConsumer = z.infer<typeof ModuleConsumer>;


