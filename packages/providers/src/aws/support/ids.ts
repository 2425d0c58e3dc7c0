import { randomBytes } from "node:crypto";

/** A new AWS-style resource id, e.g. `vpc-0a1b2c3d4e5f67890` (17 hex digits, as AWS issues them now). */
export function newResourceId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString("hex").slice(0, 17)}`;
}

/** A new IAM-style unique id (`AROA` + 17 upper-case characters). */
export function newUniqueId(prefix: string): string {
  return prefix + randomBytes(16).toString("hex").toUpperCase().slice(0, 17);
}

/** A generated name, as Terraform makes them when none is given: `<prefix><timestamp><random>`. */
export function generatedName(prefix = "terraform-"): string {
  const stamp = new Date().toISOString().replace(/[-:TZ.]/g, "");
  return `${prefix}${stamp}${randomBytes(4).toString("hex")}`;
}
