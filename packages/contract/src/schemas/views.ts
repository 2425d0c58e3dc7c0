import { z } from "zod";
import { POLICY_SOURCE_MAX_CHARS, PolicyType, RegoVersion } from "./policy.js";

/** What a plan does to one resource, in the words a reviewer uses (terraform's action lists folded). */
export const PlanAction = z.enum(["create", "update", "replace", "delete", "read", "no-op", "forget"]);
export type PlanAction = z.infer<typeof PlanAction>;

/**
 * One top-level attribute of a planned resource change. Sensitive values (marked by terraform, or
 * holding a write-only value of the stack) are never sent: `sensitive` is set and both sides are null.
 */
export const PlanAttributeChange = z.object({
  name: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  sensitive: z.boolean(),
  unknownAfter: z.boolean().describe("known only after apply"),
});
export type PlanAttributeChange = z.infer<typeof PlanAttributeChange>;

export const PlanResourceChange = z.object({
  address: z.string(),
  type: z.string(),
  providerName: z.string(),
  action: PlanAction,
  actionReason: z.string().nullable().describe("terraform's reason for a replacement or a deletion"),
  replacePaths: z.array(z.string()).describe("attributes that force the replacement"),
  attributes: z.array(PlanAttributeChange).describe("changed attributes for update and replace; every attribute for create and delete"),
});
export type PlanResourceChange = z.infer<typeof PlanResourceChange>;

export const PlanOutputChange = z.object({ name: z.string(), action: PlanAction, before: z.unknown().nullable(), after: z.unknown().nullable(), sensitive: z.boolean(), unknownAfter: z.boolean() });

/** A run's plan as a reviewer reads it; `available` is false until the run has planned. */
export const RunPlan = z.object({
  available: z.boolean(),
  summary: z.object({ create: z.number().int(), update: z.number().int(), replace: z.number().int(), delete: z.number().int() }),
  resources: z.array(PlanResourceChange).describe("resources the plan changes, no-ops left out"),
  outputs: z.array(PlanOutputChange),
});
export type RunPlan = z.infer<typeof RunPlan>;

/** One resource instance in a stack's latest state: its address and kind, never its attribute values. */
export const StateResource = z.object({
  address: z.string(),
  mode: z.enum(["managed", "data"]),
  type: z.string(),
  providerName: z.string(),
  module: z.string().nullable(),
});

export const StackResources = z.object({
  managed: z.boolean().describe("false when the stack keeps its state in its own backend: Gantry has no state to read"),
  serial: z.number().int().nullable(),
  runId: z.string().nullable(),
  createdAt: z.string().nullable(),
  resources: z.array(StateResource),
});
export type StackResources = z.infer<typeof StackResources>;

/** A policy body (and optional test module) to compile and test without saving it: the editor's check as you type. */
export const CheckPolicy = z.strictObject({
  body: z.string().max(POLICY_SOURCE_MAX_CHARS),
  type: PolicyType,
  regoVersion: RegoVersion.optional().describe("Rego syntax of `body` and `tests`; when absent it is detected as a save without regoVersion detects it (see `detectFrom`)"),
  detectFrom: RegoVersion.default("V1").describe("without regoVersion: the version tried first, as a save does (a policy's current version when updating it, V1 for a new policy); a body that compiles only as the other is checked as the other, with a warning"),
  tests: z.string().max(POLICY_SOURCE_MAX_CHARS).optional().describe("a Rego module of `test_` rules run against the body (`policy test`)"),
});

export const PolicyCheckError = z.object({ code: z.string(), message: z.string(), file: z.enum(["policy", "tests"]).nullable(), row: z.number().int().nullable(), col: z.number().int().nullable() });
export type PolicyCheckError = z.infer<typeof PolicyCheckError>;

export const PolicyTestResult = z.object({ name: z.string(), outcome: z.enum(["pass", "fail", "error", "skip"]), message: z.string().nullable(), durationMs: z.number() });

export const PolicyCheck = z.object({
  errors: z.array(PolicyCheckError).describe("compile errors; empty when the body compiles"),
  tests: z.array(PolicyTestResult).nullable().describe("null when no tests were given or the modules do not compile"),
  regoVersion: RegoVersion.describe("the Rego version the body was checked as: the one given, or the one a save would detect"),
  warnings: z.array(z.string()).describe("what a save would warn about, e.g. a body without regoVersion that would be stored as V0"),
});
export type PolicyCheck = z.infer<typeof PolicyCheck>;
