import { ProvidersError } from "../../errors.js";
import type { CloudFile } from "../cloud/cloud-file.js";

/**
 * RDS refuses to delete a database with deletion protection, or without either skipping the
 * final snapshot or naming it; the AWS provider reports these at destroy time.
 */
export function checkRdsDeletion(what: string, state: { deletion_protection: boolean | null; skip_final_snapshot: boolean | null; final_snapshot_identifier: string | null }): void {
  if (state.deletion_protection) throw new ProvidersError("conflict", `deleting ${what} failed (InvalidParameterCombination): deletion_protection is enabled; set it to false and apply first`);
  if (!state.skip_final_snapshot && !state.final_snapshot_identifier) {
    throw new ProvidersError("invalid_config", `deleting ${what} failed: final_snapshot_identifier is required when skip_final_snapshot is false; set one of them and apply first`);
  }
}

/** Records a final snapshot in the simulated cloud, as RDS keeps one after deletion. */
export function recordFinalSnapshot(file: CloudFile, type: "aws_db_snapshot" | "aws_db_cluster_snapshot", snapshotId: string | null, source: string): void {
  if (!snapshotId) return;
  (file.objects[type] ??= {})[snapshotId] = { id: snapshotId, source, created: new Date().toISOString() };
}

/** A DNS name in the style of RDS endpoints. */
export function rdsHost(identifier: string, kind: "instance" | "cluster" | "cluster-ro", region: string): string {
  const infix = kind === "instance" ? "" : `${kind}-`;
  return `${identifier}.${infix}c9akciq32.${region}.rds.amazonaws.com`;
}
