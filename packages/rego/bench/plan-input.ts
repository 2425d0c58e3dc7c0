/** Generates a Spacelift plan-policy input whose `terraform` is a `terraform show -json` plan. */

const TYPES = ["aws_instance", "aws_s3_bucket", "aws_db_instance", "aws_s3_bucket_public_access_block", "aws_security_group"] as const;
const INSTANCE_TYPES = ["t3.micro", "t3.large", "m5.xlarge", "p4d.24xlarge", "x2iedn.32xlarge"];

function after(type: string, i: number): Record<string, unknown> {
  const tags: Record<string, string> = { owner: `team-${i % 7}`, env: i % 3 === 0 ? "prod" : "dev" };
  if (i % 5 !== 0) tags["cost-center"] = `cc-${i % 11}`;
  switch (type) {
    case "aws_instance":
      return { ami: "ami-123456", instance_type: INSTANCE_TYPES[i % INSTANCE_TYPES.length], tags };
    case "aws_s3_bucket":
      return { bucket: `bucket-${i}`, tags };
    case "aws_db_instance":
      return { engine: "postgres", instance_class: "db.t3.micro", publicly_accessible: i % 13 === 0, tags };
    case "aws_s3_bucket_public_access_block":
      return { bucket: `bucket-${i - 3}`, block_public_acls: true, block_public_policy: i % 17 !== 0, ignore_public_acls: true, restrict_public_buckets: true };
    default:
      return { name: `sg-${i}`, ingress: [{ from_port: 22, to_port: 22, cidr_blocks: ["10.0.0.0/8"] }], tags };
  }
}

/** A plan input with `n` resource changes (creates, updates and deletes). */
export function planInput(n: number): Record<string, unknown> {
  const changes = [];
  for (let i = 0; i < n; i++) {
    const type = TYPES[i % TYPES.length]!;
    const actions = i % 10 === 9 ? ["delete"] : i % 4 === 0 ? ["update"] : ["create"];
    changes.push({
      address: `module.m${i % 20}.${type}.r${i}`,
      mode: "managed",
      type,
      name: `r${i}`,
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: { actions, before: actions[0] === "create" ? null : after(type, i + 1), after: actions[0] === "delete" ? null : after(type, i) },
    });
  }
  return {
    spacelift: { request: { timestamp_ns: 1_700_000_000_000_000_000 }, stack: { id: "infra", labels: ["prod"] } },
    terraform: { format_version: "1.2", terraform_version: "1.7.5", resource_changes: changes },
  };
}
