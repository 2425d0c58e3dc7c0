import type { AttachableKind } from "@gantry/contract";

/** The table behind each attachable kind, and how people name it in messages. */
export const attachableTables = {
  context: { table: "contexts", noun: "context" },
  policy: { table: "policies", noun: "policy" },
  aws_integration: { table: "aws_integrations", noun: "AWS integration" },
} as const satisfies Record<AttachableKind, { table: string; noun: string }>;

export const attachableKinds = Object.keys(attachableTables) as AttachableKind[];

export const AUTOATTACH = "autoattach:";
