import { ProvidersError } from "../../errors.js";

/** A JSON value as stored in a cloud file. */
export type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

/** One simulated cloud object: its attributes, named as the Terraform resource type names them. */
export type CloudObject = { [attribute: string]: JsonValue };

/** Which file an object lives in. IAM is global in AWS, so it uses the region `global`. */
export interface CloudScope {
  readonly accountId: string;
  readonly region: string;
}

/** The region name of the file holding global services (IAM). */
export const GLOBAL_REGION = "global";

/** Format marker written into every file, so a stray JSON file is never mistaken for one. */
export const CLOUD_FILE_FORMAT = "gantry.aws-sim/v1";

/**
 * The content of one account/region file. Objects are grouped by Terraform resource type and
 * keyed by their AWS id (bucket name, `vpc-...`, role name), so a person editing the file to
 * simulate drift finds them by the names they know.
 */
export interface CloudFile {
  format: typeof CLOUD_FILE_FORMAT;
  account_id: string;
  region: string;
  /** Raised on every write; lets tests and tools see that a write happened. */
  serial: number;
  objects: { [resourceType: string]: { [id: string]: CloudObject } };
}

/** An empty file for a scope. */
export function emptyCloudFile(scope: CloudScope): CloudFile {
  return { format: CLOUD_FILE_FORMAT, account_id: scope.accountId, region: scope.region, serial: 0, objects: {} };
}

/** Parses and checks a file's text; `where` names the file in errors. */
export function parseCloudFile(text: string, where: string): CloudFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ProvidersError("cloud_store", `simulated cloud file ${where} is not valid JSON: fix or delete it`, { cause: err });
  }
  if (!isRecord(parsed) || parsed["format"] !== CLOUD_FILE_FORMAT || !isRecord(parsed["objects"])) {
    throw new ProvidersError("cloud_store", `simulated cloud file ${where} is not a "${CLOUD_FILE_FORMAT}" file: fix or delete it`);
  }
  for (const [type, byId] of Object.entries(parsed["objects"])) {
    if (!isRecord(byId) || !Object.values(byId).every(isRecord)) {
      throw new ProvidersError("cloud_store", `simulated cloud file ${where}: objects.${type} must map ids to objects`);
    }
  }
  return parsed as unknown as CloudFile;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
