/** The four Spacelift-style plan policies of the benchmark, in Rego and hand-written TypeScript. */

export const REGO_POLICIES: Record<string, string> = {
  "required-tags.rego": `package spacelift.tags

required := {"owner", "env", "cost-center"}

taggable(rc) if rc.type in {"aws_instance", "aws_s3_bucket", "aws_db_instance", "aws_security_group"}

deny contains msg if {
  some rc in input.terraform.resource_changes
  some action in rc.change.actions
  action in {"create", "update"}
  taggable(rc)
  tags := object.get(rc.change.after, "tags", {})
  missing := {t | some t in required; not tags[t]}
  count(missing) > 0
  msg := sprintf("%s is missing required tags: %s", [rc.address, concat(", ", sort(missing))])
}
`,
  "no-public-databases.rego": `package spacelift.databases

deny contains sprintf("%s must not be publicly accessible", [rc.address]) if {
  some rc in input.terraform.resource_changes
  rc.type == "aws_db_instance"
  rc.change.after.publicly_accessible == true
}
`,
  "s3-public-access.rego": `package spacelift.s3

flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

blocks[b.change.after.bucket] := b if {
  some b in input.terraform.resource_changes
  b.type == "aws_s3_bucket_public_access_block"
  b.change.after != null
}

deny contains sprintf("%s: %s must be true", [b.address, flag]) if {
  some b in blocks
  some flag in flags
  not b.change.after[flag]
}

warn contains sprintf("%s has no public access block", [rc.address]) if {
  some rc in input.terraform.resource_changes
  rc.type == "aws_s3_bucket"
  "create" in rc.change.actions
  not blocks[rc.change.after.bucket]
}
`,
  "cost-warnings.rego": `package spacelift.cost

expensive := {"p4d.24xlarge", "x2iedn.32xlarge"}

created_instances := [rc |
  some rc in input.terraform.resource_changes
  rc.type == "aws_instance"
  "create" in rc.change.actions
]

warn contains sprintf("%s uses expensive instance type %s", [rc.address, rc.change.after.instance_type]) if {
  some rc in created_instances
  rc.change.after.instance_type in expensive
}

warn contains sprintf("plan creates %d instances", [count(created_instances)]) if count(created_instances) > 50
`,
};

/** The Rego queries the platform would run, one per policy document. */
export const QUERIES = ["data.spacelift.tags.deny", "data.spacelift.databases.deny", "data.spacelift.s3.deny", "data.spacelift.s3.warn", "data.spacelift.cost.warn"];

interface Change { address: string; type: string; change: { actions: string[]; after: Record<string, unknown> | null } }
interface Plan { terraform: { resource_changes: Change[] } }

/** The same four checks hand-written in TypeScript over the parsed JSON input. */
export function checkInTypeScript(input: unknown): string[][] {
  const changes = (input as Plan).terraform.resource_changes;
  const required = ["owner", "env", "cost-center"];
  const taggable = new Set(["aws_instance", "aws_s3_bucket", "aws_db_instance", "aws_security_group"]);
  const tagDeny = new Set<string>();
  for (const rc of changes) {
    if (!rc.change.actions.some((a) => a === "create" || a === "update") || !taggable.has(rc.type)) continue;
    const tags = ((rc.change.after ?? {}) as { tags?: Record<string, unknown> }).tags ?? {};
    const missing = required.filter((t) => !tags[t]).sort();
    if (missing.length > 0) tagDeny.add(`${rc.address} is missing required tags: ${missing.join(", ")}`);
  }
  const dbDeny = new Set<string>();
  for (const rc of changes) {
    if (rc.type === "aws_db_instance" && rc.change.after?.publicly_accessible === true) dbDeny.add(`${rc.address} must not be publicly accessible`);
  }
  const flags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
  const blocks = new Map<string, Change>();
  for (const rc of changes) {
    if (rc.type === "aws_s3_bucket_public_access_block" && rc.change.after) blocks.set(String(rc.change.after.bucket), rc);
  }
  const s3Deny = new Set<string>();
  for (const b of blocks.values()) for (const f of flags) if (!b.change.after![f]) s3Deny.add(`${b.address}: ${f} must be true`);
  const s3Warn = new Set<string>();
  for (const rc of changes) {
    if (rc.type === "aws_s3_bucket" && rc.change.actions.includes("create") && !blocks.has(String(rc.change.after?.bucket))) s3Warn.add(`${rc.address} has no public access block`);
  }
  const expensive = new Set(["p4d.24xlarge", "x2iedn.32xlarge"]);
  const created = changes.filter((rc) => rc.type === "aws_instance" && rc.change.actions.includes("create"));
  const costWarn = new Set<string>();
  for (const rc of created) {
    const t = String(rc.change.after?.instance_type);
    if (expensive.has(t)) costWarn.add(`${rc.address} uses expensive instance type ${t}`);
  }
  if (created.length > 50) costWarn.add(`plan creates ${created.length} instances`);
  return [tagDeny, dbDeny, s3Deny, s3Warn, costWarn].map((s) => [...s].sort());
}
