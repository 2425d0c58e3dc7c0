import { z } from "zod";
import { Description, Hooks, Labels, Name, PageQuery, Slug, Timestamp } from "./common.js";
import { Vendor, vendorBlocks } from "./vendor.js";

export const WorkflowTool = z.enum(["TERRAFORM", "OPEN_TOFU"]);

/**
 * A relative path inside a directory, in its one normal form: never absolute, never climbing out
 * with `..`, no `.` or empty segments, no trailing `/` ("" is the directory itself). Refused
 * rather than normalized, so what is stored is what was sent.
 */
export const RelativePath = z
  .string()
  .max(1024)
  .refine(
    (p) => p === "" || p.split("/").every((seg) => seg !== "" && seg !== "." && seg !== "..") && !/[\\\0]/.test(p),
    "must be a relative path in normal form that stays inside its directory: no leading or trailing '/', no '.', '..' or empty segments, no '\\'",
  );

/** A git URL or local path. Credentials in URLs are refused: they would be shown to every reader. */
export const Repository = z
  .string()
  .min(1)
  .max(2048)
  .refine((r) => !/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(r) || /^ssh:\/\/git@/i.test(r), "must not carry credentials (user:password@): give the worker access through its own git configuration")
  .refine((r) => !r.startsWith("-"), "must not start with '-'");

export const StackState = z.enum([
  "NONE", "QUEUED", "PREPARING", "INITIALIZING", "PLANNING", "UNCONFIRMED", "CONFIRMED", "APPLYING",
  "PERFORMING", "DESTROYING", "PENDING_REVIEW", "FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED",
]);

/** What the last drift detection run found: the stack is drifted until a drift run finds nothing. */
export const StackDrift = z.object({
  detectedAt: Timestamp,
  resources: z.array(z.string()).describe("addresses of the resources whose real state differs from the code"),
  runId: z.string().describe("the drift detection run that found it"),
});
export type StackDrift = z.infer<typeof StackDrift>;

export const Stack = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  spaceId: z.string(),
  repository: z.string(),
  branch: z.string(),
  projectRoot: z.string(),
  additionalProjectGlobs: z.array(z.string()),
  labels: Labels,
  autodeploy: z.boolean(),
  autoretry: z.boolean(),
  administrative: z.boolean(),
  manageState: z.boolean(),
  protectFromDeletion: z.boolean(),
  enableLocalPreview: z.boolean(),
  smartSanitization: z.boolean().describe("plan policies see only the values terraform marks sensitive hashed (true), or every string hashed (false)"),
  vendor: Vendor.describe("the tool the stack runs: TERRAFORM (terraform or tofu, see workflowTool), KUBERNETES or ANSIBLE"),
  ...vendorBlocks,
  workflowTool: WorkflowTool,
  terraformVersion: z.string().nullable(),
  hooks: Hooks,
  workerPoolId: z.string().nullable(),
  vcsIntegrationId: z.string().nullable().describe("the VCS integration whose events and feedback the stack uses; null: matched by repository"),
  lockedBy: z.string().nullable(),
  lockNote: z.string().nullable().describe("why the stack is locked, as the person who locked it wrote it (lockStack's note); null without a note or a lock"),
  state: StackState,
  drift: StackDrift.nullable().describe("set while the last drift detection run found changes"),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Stack = z.infer<typeof Stack>;

const stackSettings = {
  description: Description,
  spaceId: z.string().min(1),
  repository: Repository.describe("any git URL or local path"),
  branch: z.string().min(1).max(255).regex(/^(?!-)[^\s~^:?*[\\]+$/, "must be a valid git branch name (no spaces, no ~^:?*[\\, not starting with '-')"),
  projectRoot: RelativePath,
  additionalProjectGlobs: z.array(z.string().min(1).max(1024)).max(100),
  labels: Labels,
  autodeploy: z.boolean(),
  autoretry: z.boolean(),
  administrative: z.boolean(),
  manageState: z.boolean(),
  protectFromDeletion: z.boolean(),
  enableLocalPreview: z.boolean(),
  smartSanitization: z.boolean(),
  vendor: Vendor,
  ...vendorBlocks,
  workflowTool: WorkflowTool,
  terraformVersion: z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, "must be an exact version such as 1.11.4").nullable(),
  hooks: Hooks,
  workerPoolId: z.string().min(1).nullable(),
  vcsIntegrationId: z.string().min(1).nullable(),
};

export const CreateStack = z.strictObject({
  id: Slug.optional().describe("defaults to a slug of the name"),
  name: Name,
  description: stackSettings.description.default(""),
  spaceId: stackSettings.spaceId.default("root"),
  repository: stackSettings.repository,
  branch: stackSettings.branch.default("main"),
  projectRoot: stackSettings.projectRoot.default(""),
  additionalProjectGlobs: stackSettings.additionalProjectGlobs.default([]),
  labels: stackSettings.labels.default([]),
  autodeploy: stackSettings.autodeploy.default(false),
  autoretry: stackSettings.autoretry.default(false),
  administrative: stackSettings.administrative.default(false),
  manageState: stackSettings.manageState.optional().describe("default: true for TERRAFORM stacks; other vendors keep no Terraform state"),
  protectFromDeletion: stackSettings.protectFromDeletion.default(false),
  enableLocalPreview: stackSettings.enableLocalPreview.default(false),
  smartSanitization: stackSettings.smartSanitization.default(true),
  vendor: stackSettings.vendor.optional().describe("default: the vendor of the settings block given (kubernetes, ansible, ...), else TERRAFORM"),
  kubernetes: stackSettings.kubernetes.optional(),
  ansible: stackSettings.ansible.optional(),
  pulumi: stackSettings.pulumi.optional(),
  cloudformation: stackSettings.cloudformation.optional(),
  workflowTool: stackSettings.workflowTool.default("TERRAFORM"),
  terraformVersion: stackSettings.terraformVersion.default(null),
  hooks: Hooks.default(Hooks.parse({})),
  workerPoolId: stackSettings.workerPoolId.default(null),
  vcsIntegrationId: stackSettings.vcsIntegrationId.default(null),
});
export type CreateStack = z.input<typeof CreateStack>;

export const UpdateStack = z.strictObject({
  name: Name.optional(),
  ...Object.fromEntries(Object.entries(stackSettings).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof stackSettings]: z.ZodOptional<(typeof stackSettings)[K]>;
  },
});
export type UpdateStack = z.input<typeof UpdateStack>;

/** Orders of the stacks list; a leading "-" reverses one. Ties are broken by id. */
export const StackSort = z.enum(["name", "-name", "state", "-state", "space", "-space", "lastRun", "-lastRun", "updated", "-updated"], {
  error: "must be one of name, state, space, lastRun or updated, with a leading '-' for descending order (e.g. -lastRun)",
});
export type StackSort = z.infer<typeof StackSort>;

/** The newest run of a stack, as the stacks list shows it. */
export const StackLastRun = z.object({
  id: z.string(),
  type: z.string(),
  state: z.string(),
  commitSha: z.string().nullable(),
  createdAt: Timestamp,
});
export type StackLastRun = z.infer<typeof StackLastRun>;

/** A stack in the list: the stack and its newest run. */
export const StackListItem = Stack.extend({ lastRun: StackLastRun.nullable().describe("the stack's newest run; null when it has none") });
export type StackListItem = z.infer<typeof StackListItem>;

export const StackListQuery = PageQuery.extend({
  spaceId: z.string().optional(),
  label: z.string().optional().describe("only stacks carrying this label"),
  state: StackState.optional().describe("only stacks in this state"),
  search: z.string().max(255).optional().describe("only stacks whose id or name contains this text (case-insensitive)"),
  drifted: z.enum(["true", "false"]).optional().describe("only stacks whose last drift detection run found changes (true), or only the others (false)"),
  sort: StackSort.optional().describe("order of the list (default: by id); lastRun orders by the newest run, stacks without runs first (last with -lastRun). The cursor of a sorted list is only valid with the same sort"),
});
