/**
 * The simulator under the real terraform: plan JSON shaped like a real AWS plan, apply, drift
 * after editing the cloud file, replacement where AWS forces it, import, destroy.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { buildSimulatorMirror, changeOf, Workspace } from "./terraform-harness.js";

const CONFIG = (bucket: string, subnetCidr: string, instanceType: string) => `
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { team = "platform", env = "test" }
  }
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "main", env = "prod" }
}
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "${subnetCidr}"
  tags       = { vpc = aws_vpc.main.id }
}
resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_instance" "web" {
  ami                    = "ami-0abcdef1234567890"
  instance_type          = "${instanceType}"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.web.id]
}
resource "aws_s3_bucket" "logs" {
  bucket = "${bucket}"
}
resource "aws_s3_bucket_public_access_block" "logs" {
  bucket            = aws_s3_bucket.logs.id
  block_public_acls = true
}
resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  password            = "correct-horse-battery"
  publicly_accessible = false
  skip_final_snapshot = true
}
resource "aws_rds_cluster" "reports" {
  cluster_identifier  = "reports"
  engine              = "aurora-postgresql"
  master_password     = "correct-horse-battery"
  skip_final_snapshot = true
}
resource "aws_rds_cluster_instance" "reports_1" {
  identifier         = "reports-1"
  cluster_identifier = aws_rds_cluster.reports.id
  engine             = aws_rds_cluster.reports.engine
  instance_class     = "db.r6g.large"
}
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
data "aws_caller_identity" "me" {}
data "aws_region" "here" {}
output "account_id" { value = data.aws_caller_identity.me.account_id }
output "region" { value = data.aws_region.here.name }
`;

let mirrorDir: string;
beforeAll(async () => {
  ({ mirrorDir } = await buildSimulatorMirror());
}, 120_000);

describe("AWS simulator lifecycle with real terraform", () => {
  it("plans like AWS, applies, shows drift, replaces, imports and destroys", async () => {
    const ws = await Workspace.create(mirrorDir, { AWS_SIM_ALLOW_ANONYMOUS: "1" });
    await ws.writeConfig(CONFIG("acme-logs", "10.0.1.0/24", "t3.micro"));
    await ws.ok(["init"]);

    // --- plan: the JSON a plan policy sees
    await ws.ok(["plan", "-out=plan.bin"]);
    const plan = await ws.showPlan();
    expect(plan.resource_changes.map((c) => c.type).sort()).toEqual(
      ["aws_db_instance", "aws_iam_role", "aws_instance", "aws_rds_cluster", "aws_rds_cluster_instance", "aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_security_group", "aws_subnet", "aws_vpc"].sort(),
    );
    for (const change of plan.resource_changes) {
      expect(change.provider_name).toBe("gantry.dev/sim/aws");
      expect(change.change.actions).toEqual(["create"]);
      expect(change.change.before).toBeNull();
      expect(change.change.after_unknown["id"]).toBe(true);
    }
    const vpc = changeOf(plan, "aws_vpc.main").change;
    expect(vpc.after).toMatchObject({ cidr_block: "10.0.0.0/16", tags: { Name: "main", env: "prod" }, tags_all: { Name: "main", env: "prod", team: "platform" }, instance_tenancy: "default" });
    expect(vpc.after_unknown).toMatchObject({ arn: true, id: true, owner_id: true });
    // Unknown values flow: the subnet's vpc_id and a tag made from it are unknown, so is tags_all.
    const subnet = changeOf(plan, "aws_subnet.a").change;
    expect(subnet.after_unknown).toMatchObject({ vpc_id: true, tags: { vpc: true }, tags_all: true });
    const db = changeOf(plan, "aws_db_instance.orders").change;
    expect(db.after).toMatchObject({ instance_class: "db.t3.micro", engine: "postgres", publicly_accessible: false, storage_encrypted: false, allocated_storage: 20, tags_all: { team: "platform", env: "test" } });
    expect(db.after_sensitive).toMatchObject({ password: true });
    const sg = changeOf(plan, "aws_security_group.web").change.after;
    // Every rule field present, as in a real AWS plan (policies read them without null checks).
    expect(sg?.["ingress"]).toEqual([{ cidr_blocks: ["0.0.0.0/0"], description: "", from_port: 443, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: "tcp", security_groups: [], self: false, to_port: 443 }]);
    expect(changeOf(plan, "aws_instance.web").change.after).toMatchObject({ instance_type: "t3.micro", ami: "ami-0abcdef1234567890" });
    expect(changeOf(plan, "aws_s3_bucket_public_access_block.logs").change.after).toMatchObject({ block_public_acls: true, block_public_policy: false });

    // --- apply: ids and ARNs in AWS formats, objects in the cloud file
    await ws.ok(["apply", "plan.bin"]);
    const state = JSON.parse((await ws.ok(["show", "-json"])).stdout) as { values: { root_module: { resources: { address: string; values: Record<string, unknown> }[] }; outputs: Record<string, { value: unknown }> } };
    const values = (address: string) => state.values.root_module.resources.find((r) => r.address === address)?.values ?? {};
    expect(values("aws_vpc.main")["id"]).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(values("aws_vpc.main")["arn"]).toMatch(/^arn:aws:ec2:us-east-1:123456789012:vpc\/vpc-[0-9a-f]{17}$/);
    expect(values("aws_subnet.a")["tags_all"]).toEqual({ vpc: values("aws_vpc.main")["id"], team: "platform", env: "test" });
    expect(values("aws_s3_bucket.logs")).toMatchObject({ id: "acme-logs", arn: "arn:aws:s3:::acme-logs", bucket_regional_domain_name: "acme-logs.s3.us-east-1.amazonaws.com" });
    expect(values("aws_db_instance.orders")["arn"]).toBe("arn:aws:rds:us-east-1:123456789012:db:orders");
    expect(values("aws_iam_role.app")["arn"]).toBe("arn:aws:iam::123456789012:role/app");
    expect(values("aws_rds_cluster_instance.reports_1")).toMatchObject({ writer: true, engine_version: "16.4" });
    expect(state.values.outputs["account_id"]?.value).toBe("123456789012");
    const file = await ws.cloudFile();
    const instanceId = String(values("aws_instance.web")["id"]);
    expect(file.objects["aws_instance"]?.[instanceId]).toMatchObject({ instance_type: "t3.micro", subnet_id: values("aws_subnet.a")["id"] });
    expect(file.objects["aws_db_instance"]?.[String(values("aws_db_instance.orders")["id"])]).not.toHaveProperty("password");
    expect((await ws.run(["plan", "-detailed-exitcode"])).code).toBe(0);

    // --- drift: someone resizes the instance and retags the bucket behind terraform's back
    const drifted = await ws.cloudFile();
    const instance = drifted.objects["aws_instance"]?.[instanceId];
    if (instance) instance["instance_type"] = "m5.large";
    const bucket = drifted.objects["aws_s3_bucket"]?.["acme-logs"];
    if (bucket) bucket["tags"] = { team: "platform", env: "test", owner: "mallory" };
    await ws.writeCloudFile(drifted);
    expect((await ws.run(["plan", "-detailed-exitcode", "-out=drift.bin"])).code).toBe(2);
    const drift = await ws.showPlan("drift.bin");
    const resize = changeOf(drift, "aws_instance.web").change;
    expect(resize.actions).toEqual(["update"]);
    expect(resize.before?.["instance_type"]).toBe("m5.large");
    expect(resize.after?.["instance_type"]).toBe("t3.micro");
    expect(changeOf(drift, "aws_s3_bucket.logs").change.before?.["tags"]).toEqual({ owner: "mallory" });
    await ws.ok(["apply", "drift.bin"]);
    expect((await ws.cloudFile()).objects["aws_instance"]?.[instanceId]?.["instance_type"]).toBe("t3.micro");

    // --- a deleted object is planned for re-creation
    const gone = await ws.cloudFile();
    delete gone.objects["aws_s3_bucket_public_access_block"]?.["acme-logs"];
    await ws.writeCloudFile(gone);
    await ws.ok(["plan", "-out=gone.bin"]);
    expect(changeOf(await ws.showPlan("gone.bin"), "aws_s3_bucket_public_access_block.logs").change.actions).toEqual(["create"]);

    // --- replacement where AWS forces it; in-place where it does not
    await ws.writeConfig(CONFIG("acme-logs-v2", "10.0.2.0/24", "t3.small"));
    await ws.ok(["plan", "-out=replace.bin"]);
    const replace = await ws.showPlan("replace.bin");
    expect(changeOf(replace, "aws_s3_bucket.logs").change.actions).toEqual(["delete", "create"]);
    expect(changeOf(replace, "aws_s3_bucket.logs").change.replace_paths).toEqual([["bucket"]]);
    expect(changeOf(replace, "aws_subnet.a").change.replace_paths).toEqual([["cidr_block"]]);
    expect(changeOf(replace, "aws_vpc.main").change.actions).toEqual(["no-op"]);
    await ws.ok(["apply", "replace.bin"]);
    const afterReplace = await ws.cloudFile();
    expect(Object.keys(afterReplace.objects["aws_s3_bucket"] ?? {})).toEqual(["acme-logs-v2"]);
    expect(Object.values(afterReplace.objects["aws_subnet"] ?? {}).map((s) => s["cidr_block"])).toEqual(["10.0.2.0/24"]);

    // --- import: forget the role, import it back by name
    await ws.ok(["state", "rm", "aws_iam_role.app"]);
    await ws.ok(["import", "aws_iam_role.app", "app"]);
    expect((await ws.run(["plan", "-detailed-exitcode"])).code).toBe(0);

    // --- destroy empties the cloud
    await ws.ok(["destroy", "-auto-approve"]);
    const empty = await ws.cloudFile();
    expect(Object.values(empty.objects).flatMap((byId) => Object.keys(byId))).toEqual([]);
    expect(Object.keys((await ws.cloudFile("global")).objects["aws_iam_role"] ?? {})).toEqual([]);
  }, 180_000);
});
