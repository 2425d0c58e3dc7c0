const BURSTABLE = ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"];
const GENERAL = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"];
const WITH_METAL = [...GENERAL, "metal"];

/** EC2 instance families the simulator knows, with their sizes (a representative subset of AWS's). */
export const EC2_INSTANCE_FAMILIES: { readonly [family: string]: readonly string[] } = {
  t2: BURSTABLE,
  t3: BURSTABLE,
  t3a: BURSTABLE,
  t4g: BURSTABLE,
  m5: WITH_METAL,
  m5a: GENERAL,
  m6i: [...WITH_METAL, "32xlarge"],
  m6g: [...GENERAL.slice(0, 7), "medium", "metal"],
  m7i: [...GENERAL, "48xlarge"],
  m7g: [...GENERAL.slice(0, 7), "medium", "metal"],
  c5: [...GENERAL.slice(0, 4), "9xlarge", "12xlarge", "18xlarge", "24xlarge", "metal"],
  c6i: [...WITH_METAL, "32xlarge"],
  c6g: [...GENERAL.slice(0, 7), "medium", "metal"],
  c7g: [...GENERAL.slice(0, 7), "medium", "metal"],
  r5: WITH_METAL,
  r6i: [...WITH_METAL, "32xlarge"],
  r6g: [...GENERAL.slice(0, 7), "medium", "metal"],
  r7g: [...GENERAL.slice(0, 7), "medium", "metal"],
  i3: [...GENERAL.slice(0, 5), "16xlarge", "metal"],
  i4i: [...WITH_METAL, "32xlarge"],
  g4dn: ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  g5: ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"],
  p3: ["2xlarge", "8xlarge", "16xlarge"],
  p4d: ["24xlarge"],
};

/** Validator for `instance_type`: names the family's sizes when only the size is wrong. */
export function validateInstanceType(value: string): string | undefined {
  return checkFamilySize(value, "", EC2_INSTANCE_FAMILIES, "an EC2 instance type", "t3.micro or m5.large");
}

/** Shared by EC2 instance types and RDS instance classes (`<prefix><family>.<size>`). */
export function checkFamilySize(
  value: string,
  prefix: string,
  families: { readonly [family: string]: readonly string[] },
  what: string,
  example: string,
): string | undefined {
  const m = new RegExp(`^${prefix.replace(".", "\\.")}([a-z0-9-]+)\\.([a-z0-9]+)$`).exec(value);
  const family = m?.[1];
  const sizes = family !== undefined ? families[family] : undefined;
  if (!m || !sizes) {
    return `${JSON.stringify(value)} is not ${what} the simulator knows: use ${prefix}<family>.<size>, e.g. ${example} (families: ${Object.keys(families).join(", ")})`;
  }
  if (!sizes.includes(m[2] ?? "")) return `${JSON.stringify(value)} is not ${what}: ${prefix}${family} comes in sizes ${sizes.join(", ")}`;
  return undefined;
}
