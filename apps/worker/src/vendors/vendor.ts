import type { Job, RunDelta } from "@gantry/contract";
import type { AdministrativeRun } from "../admin/administrative-run.js";
import type { LogSink } from "../log-sink.js";

/** What every adapter gets from the executor: the prepared run, shared by all vendors. */
export interface VendorRun {
  job: Job;
  /** The checked-out repository (or the restored workspace of an apply phase). */
  workspace: string;
  /** The stack's project root inside the workspace: where the tool runs. */
  project: string;
  /** The run's private directory, outside the archived workspace: secrets go here. */
  runDir: string;
  log: LogSink;
  signal: AbortSignal;
  /** The run's environment (contexts, credentials, run metadata); read when a phase starts. */
  env: () => Record<string, string>;
  /** Set for administrative (terraform) stacks: the Gantry provider's reattachment. */
  admin?: AdministrativeRun;
  /** Where the server is, for adapters that point the tool at it (terraform's state backend). */
  serverUrl: string;
  /** Runs one step of the tool as a span of the run's trace (a no-op wrapper when tracing is off). */
  step?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

/** The plan's document for policies and the UI, and its counts. */
export interface PlanDocument {
  /** JSON the server stores and hands to plan policies under the vendor's key (input.terraform, input.kubernetes, input.ansible). */
  planJson: string;
  delta: RunDelta;
}

export interface PlanResult {
  /**
   * The tool already showed resource changes while the document is still being made (terraform's
   * `show -json` is a full start): the server may let a tracked run apply before it arrives.
   */
  earlyApply: boolean;
  document: Promise<PlanDocument>;
}

/**
 * One tool behind Gantry's phases. The executor owns everything around it (workspace, hooks,
 * logs, masking, reports, the state machine); an adapter only maps a phase to the tool's commands.
 * `plan` leaves in the project directory whatever `apply` needs, since the workspace is archived
 * between the two when a run waits for confirmation.
 */
export interface VendorAdapter {
  /** Prepares the tool in the project (terraform init; a version check for others). */
  init(): Promise<void>;
  /** Previews the change (a destroy run previews deleting everything the stack made). */
  plan(destroy: boolean): Promise<PlanResult>;
  /** Carries out what `plan` previewed. */
  apply(destroy: boolean): Promise<void>;
  /** Destroys everything the run's state holds without a plan to confirm (module test runs end with it); absent: the tool has no such step. */
  destroyAll?(): Promise<void>;
  /** The stack's outputs after a tracked apply, when the server cannot read them from managed state; null: none. */
  outputs(): Promise<Record<string, unknown> | null>;
  /** The plan artifact stored with the run (terraform's plan file; the manifests or playbook result of others). */
  savedPlan(): Buffer;
}
