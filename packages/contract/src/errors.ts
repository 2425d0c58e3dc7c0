import { z } from "zod";

/**
 * The closed set of error codes the API answers with. Each maps to exactly one HTTP status
 * (see {@link errorStatus}); clients switch on the code, never on the message.
 */
export const errorCodes = [
  "bad_request",
  "invalid",
  "unauthenticated",
  "forbidden",
  "not_found",
  "conflict",
  "already_exists",
  "locked",
  "payload_too_large",
  "uri_too_long",
  "unsupported_media_type",
  "too_many_requests",
  "not_supported",
  "internal",
  "unavailable",
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** HTTP status for each error code: the one table the server and client agree on. */
export const errorStatus: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  already_exists: 409,
  locked: 423,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  too_many_requests: 429,
  not_supported: 501,
  internal: 500,
  // The database is unreachable or full: nothing was stored; retry after Retry-After seconds.
  unavailable: 503,
};

/** One problem with one field of a request: `path` is the field path, e.g. `["hooks", "beforeInit", 0]`. */
export const FieldIssue = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** The error envelope every failing API call answers with. */
export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;
