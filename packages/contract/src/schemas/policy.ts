import { z } from "zod";
import { Description, Labels, Name, PageQuery, Slug, Timestamp } from "./common.js";

export const PolicyType = z.enum(["PLAN", "APPROVAL", "GIT_PUSH", "TRIGGER", "NOTIFICATION", "LOGIN", "ACCESS", "INITIALIZATION", "TASK"]);
export type PolicyType = z.infer<typeof PolicyType>;
export const RegoVersion = z.enum(["V0", "V1"]);

/**
 * The most characters a policy body, or its tests, may have: one bound for saving, checking and
 * simulating, so the editor can check whatever a save accepts.
 */
export const POLICY_SOURCE_MAX_CHARS = 1024 * 1024;

/**
 * The request size that carries a body and tests at their maximum even when every character
 * takes four bytes in JSON (multi-byte UTF-8, escaped quotes and newlines): the check route's limit.
 */
export const POLICY_REQUEST_MAX_BYTES = 2 * 4 * POLICY_SOURCE_MAX_CHARS + 64 * 1024;

/** A policy's own tests: saving runs them and refuses the change when one fails. */
const PolicyTests = z
  .string()
  .max(POLICY_SOURCE_MAX_CHARS)
  .describe("Rego test module(s) with test_ rules, e.g. `package spacelift` + `test_denies_prod if deny with input as {...}`; saving runs them and refuses the change when one fails (empty: no tests)");

export const Policy = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  type: PolicyType,
  body: z.string(),
  spaceId: z.string(),
  labels: Labels,
  regoVersion: RegoVersion,
  tests: z.string().describe("Rego test modules (test_ rules) run against the body on every change; empty when none"),
  version: z.string().describe("content hash of the body and Rego version: receipts name the version that decided"),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  warnings: z.array(z.string()).optional().describe("on create and update only: what Gantry decided for the caller, e.g. a body without regoVersion stored as V0 because it is Rego v0 syntax"),
});
export type Policy = z.infer<typeof Policy>;

export const CreatePolicy = z.strictObject({
  id: Slug.optional(),
  name: Name,
  description: Description.default(""),
  type: PolicyType,
  body: z.string().min(1, "must not be empty").max(POLICY_SOURCE_MAX_CHARS),
  spaceId: z.string().min(1).default("root"),
  labels: Labels.default([]),
  regoVersion: RegoVersion.optional().describe("Rego syntax of `body`; when absent V1, or V0 (with a warning) for a body that compiles only as Rego v0, as Spacelift's older policies"),
  tests: PolicyTests.default(""),
});
export type CreatePolicy = z.input<typeof CreatePolicy>;

export const UpdatePolicy = z.strictObject({
  name: Name.optional(),
  description: Description.optional(),
  body: z.string().min(1, "must not be empty").max(POLICY_SOURCE_MAX_CHARS).optional(),
  spaceId: z.string().min(1).optional(),
  labels: Labels.optional(),
  regoVersion: RegoVersion.optional().describe("Rego syntax of `body`; when absent the policy's, or the other version (with a warning) for a new body that compiles only as that one"),
  tests: PolicyTests.optional(),
});
export type UpdatePolicy = z.input<typeof UpdatePolicy>;

export const PolicyListQuery = PageQuery.extend({
  type: PolicyType.optional(),
});

/** `POST /policies/{id}/simulate`: replay the policy, or a changed body, on recorded inputs. */
export const SimulatePolicy = z.strictObject({
  body: z.string().min(1, "must not be empty").max(POLICY_SOURCE_MAX_CHARS).optional().describe("a changed body to try instead of the saved one (nothing is saved)"),
  regoVersion: RegoVersion.optional().describe("Rego version of `body` (default: the policy's)"),
  last: z.coerce.number().int().min(1).max(1000).default(10).describe("the most recent recorded inputs to replay per stack"),
});
export type SimulatePolicy = z.input<typeof SimulatePolicy>;

/** One recorded input replayed: what the saved body says of it and what the tried body says. */
export const SimulatedInput = z.object({
  stackId: z.string(),
  runId: z.string(),
  recordedAt: Timestamp,
  oldOutcome: z.string().describe("the saved body's outcome on this input now (deny, warn, approve, reject, trigger, allow, undecided, error)"),
  newOutcome: z.string().describe("the tried body's outcome"),
  appeared: z.array(z.string()).describe("\"rule: message\" the tried body says and the saved one does not"),
  disappeared: z.array(z.string()).describe("\"rule: message\" the saved body says and the tried one does not"),
});
export type SimulatedInput = z.infer<typeof SimulatedInput>;

export const PolicySimulation = z.object({
  policyId: z.string(),
  type: PolicyType,
  oldVersion: z.string(),
  newVersion: z.string(),
  results: z.array(SimulatedInput),
  summary: z.object({
    inputs: z.number().int(),
    stacks: z.number().int(),
    changed: z.number().int().describe("inputs whose outcome or messages differ"),
    newlyDenied: z.object({ inputs: z.number().int(), stacks: z.number().int() }).describe("inputs (and their stacks) the tried body newly denies or rejects"),
    newlyAllowed: z.object({ inputs: z.number().int(), stacks: z.number().int() }).describe("inputs the saved body denies or rejects and the tried one does not"),
    text: z.string().describe("one line for people: \"would newly deny 3 runs of 2 stacks\""),
  }),
  skipped: z.object({ stacks: z.number().int(), inputs: z.number().int() }).describe("recorded inputs of stacks the caller cannot read: not replayed, only counted"),
});
export type PolicySimulation = z.infer<typeof PolicySimulation>;
