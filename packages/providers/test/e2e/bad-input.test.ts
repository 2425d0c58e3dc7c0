/**
 * Bad input through the real terraform: each case must fail with the provider's (or
 * terraform's) diagnostic attached to the offending line, never a crash or a hang.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { buildSimulatorMirror, Workspace } from "./terraform-harness.js";

const PROVIDER = `provider "aws" {\n  region = "us-east-1"\n}\n`;

/** [name, resource body, expected summary, expected detail, the source line the error must point at]. */
const CASES: [string, string, RegExp, RegExp, RegExp][] = [
  ["bad subnet CIDR", `resource "aws_subnet" "a" {\n  vpc_id     = "vpc-1"\n  cidr_block = "10.0.0.1/16"\n}`, /Invalid value for cidr_block/, /host bits must be zero \(did you mean 10\.0\.0\.0\/16\?\)/, /cidr_block = "10\.0\.0\.1\/16"/],
  ["VPC block too large", `resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/8"\n}`, /Invalid value for cidr_block/, /between \/16 and \/28/, /cidr_block = "10\.0\.0\.0\/8"/],
  ["unknown DB instance class", `resource "aws_db_instance" "d" {\n  engine            = "postgres"\n  instance_class    = "db.t3.huge"\n  allocated_storage = 20\n  password          = "correct-horse"\n}`, /Invalid value for instance_class/, /db\.t3 comes in sizes micro, small/, /instance_class += "db\.t3\.huge"/],
  ["unknown engine", `resource "aws_db_instance" "d" {\n  engine            = "postgress"\n  instance_class    = "db.t3.micro"\n  allocated_storage = 20\n  password          = "correct-horse"\n}`, /Invalid value for engine/, /not an RDS engine/, /engine += "postgress"/],
  ["unknown instance type", `resource "aws_instance" "i" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.gigantic"\n}`, /Invalid value for instance_type/, /t3 comes in sizes nano/, /instance_type = "t3\.gigantic"/],
  ["bad bucket name", `resource "aws_s3_bucket" "b" {\n  bucket = "Acme_Logs"\n}`, /Invalid value for bucket/, /use only lowercase letters/, /bucket = "Acme_Logs"/],
  ["bad CIDR in an ingress rule", `resource "aws_security_group" "s" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/33"]\n  }\n}`, /Invalid CIDR block/, /prefix length must be 0-32/, /ingress \{|cidr_blocks/],
  ["wrong attribute type", `resource "aws_db_instance" "d" {\n  engine            = "postgres"\n  instance_class    = "db.t3.micro"\n  allocated_storage = "lots"\n  password          = "correct-horse"\n}`, /Incorrect attribute value type/, /a number is required/, /allocated_storage = "lots"/],
  ["fractional whole number", `resource "aws_db_instance" "d" {\n  engine            = "postgres"\n  instance_class    = "db.t3.micro"\n  allocated_storage = 20.5\n  password          = "correct-horse"\n}`, /Invalid value/, /whole number/, /allocated_storage = 20\.5/],
  ["unknown attribute", `resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n  colour     = "red"\n}`, /Unsupported argument/, /An argument named "colour" is not expected here/, /colour += "red"/],
  ["missing required attribute", `resource "aws_subnet" "a" {\n  cidr_block = "10.0.1.0/24"\n}`, /Missing required argument/, /"vpc_id" is required/, /resource "aws_subnet" "a"/],
  ["missing argument the API requires", `resource "aws_instance" "i" {\n  instance_type = "t3.micro"\n}`, /Missing required argument/, /"ami" is required/, /resource "aws_instance" "i"/],
];

let ws: Workspace;
beforeAll(async () => {
  const { mirrorDir } = await buildSimulatorMirror();
  ws = await Workspace.create(mirrorDir, { AWS_SIM_ALLOW_ANONYMOUS: "1" });
  await ws.writeConfig(PROVIDER);
  await ws.ok(["init"]);
}, 120_000);

describe("bad input through real terraform", () => {
  it.each(CASES)("%s", async (_name, body, summary, detail, line) => {
    await ws.writeConfig(`${PROVIDER}${body}\n`);
    const result = await ws.run(["validate"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(summary);
    expect(result.stderr.replace(/\s+/g, " ")).toMatch(detail); // terraform wraps long details
    // Terraform quotes the source line the diagnostic's attribute path resolves to.
    const quoted = result.stderr.match(/on main\.tf line \d+, in resource [^:]+:\n\s*\d+:(.*)/)?.[1] ?? "";
    expect(quoted).toMatch(line);
  }, 30_000);

  it("reports an apply-time API error without crashing or hanging terraform", async () => {
    await ws.writeConfig(`${PROVIDER}resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\nresource "aws_subnet" "a" {\n  vpc_id     = aws_vpc.v.id\n  cidr_block = "10.1.0.0/24"\n}\n`);
    const result = await ws.run(["apply", "-auto-approve"]); // a hang fails on the test's timeout
    expect(result.code).toBe(1);
    expect(result.stderr.replace(/\s+/g, " ")).toMatch(/InvalidSubnet\.Range\): 10\.1\.0\.0\/24 is not within VPC vpc-[0-9a-f]+'s block 10\.0\.0\.0\/16/);
    expect(result.stdout).toMatch(/aws_vpc\.v: Creation complete/);
    await ws.ok(["destroy", "-auto-approve"]);
  }, 60_000);

  it("points a bad provider setting at its line", async () => {
    await ws.writeConfig(`provider "aws" {\n  region = "moon-base-1"\n}\nresource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\n`);
    const result = await ws.run(["validate"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/"moon-base-1" is not an AWS region name/);
    expect(result.stderr).toMatch(/\d+:\s+region = "moon-base-1"/);
  }, 30_000);
});
