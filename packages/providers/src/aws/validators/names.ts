/** Validator for S3 bucket names, with AWS's naming rules spelled out. */
export function validateBucketName(name: string): string | undefined {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) problems.push("be 3 to 63 characters long");
  if (!/^[a-z0-9.-]*$/.test(name)) problems.push("use only lowercase letters, digits, dots and hyphens");
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) problems.push("begin and end with a letter or digit");
  if (name.includes("..")) problems.push("not contain two adjacent dots");
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) problems.push("not look like an IP address");
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|--x-s3)$/.test(name)) problems.push("not use a prefix or suffix reserved by AWS");
  return problems.length === 0 ? undefined : `invalid bucket name ${JSON.stringify(name)}: a bucket name must ${problems.join(", ")}`;
}

/** Validator for RDS instance and cluster identifiers. */
export function validateRdsIdentifier(value: string): string | undefined {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(value) || value.includes("--") || value.endsWith("-")) {
    return `invalid identifier ${JSON.stringify(value)}: use 1-63 lowercase letters, digits and hyphens, starting with a letter, without two hyphens in a row or a trailing hyphen`;
  }
  return undefined;
}

/** Validator for IAM role names. */
export function validateIamRoleName(value: string): string | undefined {
  if (!/^[\w+=,.@-]{1,64}$/.test(value)) return `invalid role name ${JSON.stringify(value)}: use 1-64 letters, digits and + = , . @ _ -`;
  return undefined;
}

/** Validator for AMI ids. */
export function validateAmiId(value: string): string | undefined {
  if (!/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(value)) return `invalid AMI id ${JSON.stringify(value)}: expected ami- followed by 8 or 17 hex digits, e.g. ami-0abcdef1234567890`;
  return undefined;
}

/** Validator for JSON policy documents (IAM): must parse and contain a Statement. */
export function validatePolicyDocument(value: string): string | undefined {
  try {
    const doc: unknown = JSON.parse(value);
    if (typeof doc !== "object" || doc === null || !("Statement" in doc)) return "the policy document has no Statement: write an IAM policy document (e.g. with jsonencode)";
  } catch {
    return "the policy document is not valid JSON: use jsonencode({...}) or a data source";
  }
  return undefined;
}
