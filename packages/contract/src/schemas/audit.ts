import { z } from "zod";
import { PageQuery, Timestamp } from "./common.js";

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

export const AuditQuery = PageQuery.extend({
  actorId: z.string().optional(),
  action: z.string().optional(),
  targetType: z.string().optional(),
  targetId: z.string().optional(),
  spaceId: z.string().optional(),
  since: z.iso.datetime({ offset: true }).optional().describe("RFC 3339 time: events at or after it"),
  until: z.iso.datetime({ offset: true }).optional().describe("RFC 3339 time: events before it"),
});
