import type { CreateStack, Stack } from "@gantry/contract";
import type { z } from "zod";
import { fromBool, parseJson, toBool } from "../db/rows.js";
import type { StacksTable } from "../db/schema.js";
import { vendorFromRow } from "./vendor.js";

export function stackFromRow(r: StacksTable): Stack {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    spaceId: r.space_id,
    repository: r.repository,
    branch: r.branch,
    projectRoot: r.project_root,
    additionalProjectGlobs: parseJson(r.additional_project_globs),
    labels: parseJson(r.labels),
    autodeploy: toBool(r.autodeploy),
    autoretry: toBool(r.autoretry),
    administrative: toBool(r.administrative),
    manageState: toBool(r.manage_state),
    protectFromDeletion: toBool(r.protect_from_deletion),
    enableLocalPreview: toBool(r.enable_local_preview),
    smartSanitization: r.smart_sanitization === undefined ? true : toBool(r.smart_sanitization),
    ...vendorFromRow(r),
    workflowTool: r.workflow_tool as Stack["workflowTool"],
    terraformVersion: r.terraform_version,
    hooks: parseJson(r.hooks),
    workerPoolId: r.worker_pool_id,
    vcsIntegrationId: r.vcs_integration_id ?? null,
    lockedBy: r.locked_by,
    lockNote: r.locked_by ? r.lock_note ?? null : null,
    state: r.state as Stack["state"],
    drift: r.drift_detected_at ? { detectedAt: r.drift_detected_at, resources: parseJson<string[]>(r.drift_resources ?? "[]"), runId: r.drift_run_id ?? "" } : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

type Settings = Omit<z.output<typeof CreateStack>, "id" | "name">;

/** The columns that hold a stack's settings, from API field values (the vendor's: see vendor.ts). */
export function settingsToColumns(s: Partial<Settings>): Partial<StacksTable> {
  const cols: Partial<StacksTable> = {};
  if (s.description !== undefined) cols.description = s.description;
  if (s.spaceId !== undefined) cols.space_id = s.spaceId;
  if (s.repository !== undefined) cols.repository = s.repository;
  if (s.branch !== undefined) cols.branch = s.branch;
  if (s.projectRoot !== undefined) cols.project_root = s.projectRoot;
  if (s.additionalProjectGlobs !== undefined) cols.additional_project_globs = JSON.stringify(s.additionalProjectGlobs);
  if (s.labels !== undefined) cols.labels = JSON.stringify([...new Set(s.labels)]);
  if (s.autodeploy !== undefined) cols.autodeploy = fromBool(s.autodeploy);
  if (s.autoretry !== undefined) cols.autoretry = fromBool(s.autoretry);
  if (s.administrative !== undefined) cols.administrative = fromBool(s.administrative);
  if (s.manageState !== undefined) cols.manage_state = fromBool(s.manageState);
  if (s.protectFromDeletion !== undefined) cols.protect_from_deletion = fromBool(s.protectFromDeletion);
  if (s.enableLocalPreview !== undefined) cols.enable_local_preview = fromBool(s.enableLocalPreview);
  if (s.smartSanitization !== undefined) cols.smart_sanitization = fromBool(s.smartSanitization);
  if (s.workflowTool !== undefined) cols.workflow_tool = s.workflowTool;
  if (s.terraformVersion !== undefined) cols.terraform_version = s.terraformVersion;
  if (s.hooks !== undefined) cols.hooks = JSON.stringify(s.hooks);
  if (s.workerPoolId !== undefined) cols.worker_pool_id = s.workerPoolId;
  if (s.vcsIntegrationId !== undefined) cols.vcs_integration_id = s.vcsIntegrationId;
  return cols;
}
