import { describe, expect, it } from "vitest";
import {
  cidrContains,
  cidrOverlaps,
  parseIpv4Cidr,
  validateAmiId,
  validateBucketName,
  validateCidr,
  validateClusterEngine,
  validateDbEngine,
  validateDbInstanceClass,
  validateInstanceType,
  validateRdsIdentifier,
  validateVpcCidr,
} from "./index.js";
import type { Ipv4Cidr } from "./index.js";

const cidr = (text: string) => parseIpv4Cidr(text) as Ipv4Cidr;

describe("CIDR", () => {
  it.each([
    ["10.0.0.0/16", undefined],
    ["0.0.0.0/0", undefined],
    ["10.0.0.1/32", undefined],
    ["10.0.0.1/16", /host bits must be zero \(did you mean 10\.0\.0\.0\/16\?\)/],
    ["10.0.0.0/33", /prefix length must be 0-32/],
    ["256.0.0.0/8", /0-255/],
    ["10.0.0.0", /write it as a\.b\.c\.d\/n/],
    ["banana", /not an IPv4 CIDR block/],
  ])("%s", (text, expected) => {
    const message = validateCidr(text);
    if (expected === undefined) expect(message).toBeUndefined();
    else expect(message).toMatch(expected);
  });

  it("limits VPC blocks to /16-/28", () => {
    expect(validateVpcCidr("10.0.0.0/16")).toBeUndefined();
    expect(validateVpcCidr("10.0.0.0/8")).toMatch(/between \/16 and \/28/);
    expect(validateVpcCidr("10.0.0.0/29")).toMatch(/between \/16 and \/28/);
  });

  it("computes containment and overlap", () => {
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.0.1.0/24"))).toBe(true);
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.1.0.0/24"))).toBe(false);
    expect(cidrContains(cidr("10.0.1.0/24"), cidr("10.0.0.0/16"))).toBe(false);
    expect(cidrOverlaps(cidr("10.0.0.0/23"), cidr("10.0.1.0/24"))).toBe(true);
    expect(cidrOverlaps(cidr("10.0.0.0/24"), cidr("10.0.1.0/24"))).toBe(false);
  });
});

describe("instance types and classes", () => {
  it("accepts known ones", () => {
    for (const t of ["t3.micro", "m5.large", "c6i.metal", "g5.48xlarge"]) expect(validateInstanceType(t)).toBeUndefined();
    for (const c of ["db.t3.micro", "db.r6g.large", "db.serverless"]) expect(validateDbInstanceClass(c)).toBeUndefined();
  });
  it("names the sizes of a known family", () => {
    expect(validateInstanceType("t3.huge")).toMatch(/t3 comes in sizes nano, micro/);
    expect(validateDbInstanceClass("db.t3.nano")).toMatch(/db\.t3 comes in sizes micro/);
  });
  it("lists families for an unknown one", () => {
    expect(validateInstanceType("z9.large")).toMatch(/not an EC2 instance type .*e\.g\. t3\.micro/);
    expect(validateDbInstanceClass("t3.micro")).toMatch(/use db\.<family>\.<size>/);
  });
});

describe("engines", () => {
  it("accepts instance engines and sends Aurora to clusters", () => {
    expect(validateDbEngine("postgres")).toBeUndefined();
    expect(validateDbEngine("postgress")).toMatch(/not an RDS engine: use one of mysql, postgres/);
    expect(validateDbEngine("aurora-postgresql")).toMatch(/runs in clusters/);
    expect(validateClusterEngine("aurora-postgresql")).toBeUndefined();
    expect(validateClusterEngine("mariadb")).toMatch(/not an RDS cluster engine/);
  });
});

describe("names", () => {
  it.each([
    ["my-bucket.logs", undefined],
    ["ab", /3 to 63 characters/],
    ["My_Bucket", /lowercase letters/],
    ["-bucket", /begin and end/],
    ["a..b", /adjacent dots/],
    ["192.168.1.1", /IP address/],
    ["xn--bucket", /reserved by AWS/],
  ])("bucket %s", (name, expected) => {
    const message = validateBucketName(name);
    if (expected === undefined) expect(message).toBeUndefined();
    else expect(message).toMatch(expected);
  });
  it("checks RDS identifiers and AMI ids", () => {
    expect(validateRdsIdentifier("orders-db")).toBeUndefined();
    expect(validateRdsIdentifier("1db")).toMatch(/starting with a letter/);
    expect(validateRdsIdentifier("a--b")).toMatch(/two hyphens/);
    expect(validateAmiId("ami-0abcdef1234567890")).toBeUndefined();
    expect(validateAmiId("ami-xyz")).toMatch(/8 or 17 hex digits/);
  });
});
