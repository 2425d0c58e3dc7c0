export { parseIpv4Cidr, formatCidr, cidrContains, cidrOverlaps, validateCidr, validateVpcCidr } from "./cidr.js";
export type { Ipv4Cidr } from "./cidr.js";
export { validateInstanceType, EC2_INSTANCE_FAMILIES } from "./instance-types.js";
export { validateDbInstanceClass, DB_INSTANCE_FAMILIES } from "./db-instance-classes.js";
export { validateDbEngine, validateClusterEngine, DB_ENGINES } from "./engines.js";
export { validateBucketName, validateRdsIdentifier, validateIamRoleName, validateAmiId, validatePolicyDocument } from "./names.js";
