/**
 * The one skip list of the conformance harness. Only cases that call builtins we deliberately do
 * not implement are skipped (the "exotic" tier the task names); nothing else.
 */
export const SKIPPED_BUILTINS: readonly { pattern: RegExp; why: string; unless?: RegExp }[] = [
  // GraphQL schema parsing/validation: a whole GraphQL implementation, unused by plan policies.
  { pattern: /\bgraphql\./, why: "graphql.* builtins are not implemented" },
  // Network access is disabled for platform policies.
  // Cases that replace it with `with http.send as mock` do run.
  { pattern: /\bhttp\.send\b/, why: "http.send is disabled in the platform", unless: /with http\.send as/ },
  // AWS SigV4 request signing: needs http.send to be useful.
  { pattern: /\bproviders\.aws\./, why: "providers.aws.* builtins are not implemented" },
  // Parsing Rego into OPA's AST JSON shape: ties us to OPA's internal AST format.
  { pattern: /\brego\.parse_module\b/, why: "rego.parse_module is not implemented" },
  // X.509 certificate parsing/verification.
  { pattern: /\bx509\./, why: "crypto.x509.* builtins are not implemented" },
  // DNS lookups: no network access.
  { pattern: /\bnet\.lookup_ip_addr\b/, why: "net.lookup_ip_addr is not implemented" },
  // Also in OPA's "exotic" tier and not implemented: METADATA annotations as values.
  { pattern: /\brego\.metadata\./, why: "rego.metadata.* builtins are not implemented" },
  // JSON Schema validation.
  { pattern: /\bjson\.(match_schema|verify_schema)\b/, why: "json schema builtins are not implemented" },
];

/** Why a case (its modules and query text) is skipped, or undefined when it runs. */
export function skipReason(text: string): string | undefined {
  for (const s of SKIPPED_BUILTINS) if (s.pattern.test(text) && !s.unless?.test(text)) return s.why;
  return undefined;
}
