import { z } from "zod";
import { Timestamp } from "./common.js";

/** One recorded mutation. `payload` never contains secret values. */
export const AuditEvent = z.object({
  id: z.string(),
  at: Timestamp,
  actorType: z.string(),
  actorId: z.string(),
  action: z.string().describe("e.g. stack.create, context.variable.put"),
  targetType: z.string(),
  targetId: z.string(),
  spaceId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(256).optional(),
  actorId: z.string().optional(),
  action: z.string().optional(),
  targetType: z.string().optional(),
  targetId: z.string().optional(),
  spaceId: z.string().optional(),
  since: Timestamp.optional(),
  until: Timestamp.optional(),
});
