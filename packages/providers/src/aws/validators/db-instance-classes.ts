import { checkFamilySize } from "./instance-types.js";

const SMALL = ["micro", "small", "medium", "large", "xlarge", "2xlarge"];
const MEMORY = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"];

/** RDS DB instance classes the simulator knows (`db.<family>.<size>`). */
export const DB_INSTANCE_FAMILIES: { readonly [family: string]: readonly string[] } = {
  t3: SMALL,
  t4g: SMALL,
  m5: MEMORY,
  m6g: MEMORY.slice(0, 7),
  m6i: [...MEMORY, "32xlarge"],
  m7g: MEMORY.slice(0, 7),
  r5: MEMORY,
  r6g: MEMORY.slice(0, 7),
  r6i: [...MEMORY, "32xlarge"],
  r7g: MEMORY.slice(0, 7),
  x2g: MEMORY.slice(0, 7),
};

/** Validator for `instance_class` of DB instances and cluster instances (`db.serverless` is Aurora's). */
export function validateDbInstanceClass(value: string): string | undefined {
  if (value === "db.serverless") return undefined;
  return checkFamilySize(value, "db.", DB_INSTANCE_FAMILIES, "an RDS DB instance class", "db.t3.micro or db.r6g.large");
}
