import { z } from "zod";
import { Timestamp } from "./common.js";
import { RelativePath } from "./stack.js";

/** An environment variable name as a shell accepts it. */
export const VariableName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a valid environment variable name (letters, digits and '_', not starting with a digit)");

/**
 * An environment variable of a context or stack. `value` is null when the variable is
 * write-only: the API never returns a secret, only its SHA-256 checksum.
 */
export const EnvironmentVariable = z.object({
  name: z.string(),
  value: z.string().nullable(),
  writeOnly: z.boolean(),
  checksum: z.string().describe("hex SHA-256 of the value"),
  updatedAt: Timestamp,
});
export type EnvironmentVariable = z.infer<typeof EnvironmentVariable>;

export const PutVariable = z.strictObject({
  value: z.string().max(256 * 1024),
  writeOnly: z.boolean().default(false),
});

/** A file mounted into the workspace of a run at `relativePath`; content is base64. */
export const MountedFile = z.object({
  relativePath: z.string(),
  content: z.string().nullable().describe("base64; null when write-only"),
  writeOnly: z.boolean(),
  checksum: z.string().describe("hex SHA-256 of the decoded content"),
  updatedAt: Timestamp,
});
export type MountedFile = z.infer<typeof MountedFile>;

export const MountedFilePath = RelativePath.refine((p) => p.length > 0, "must name a file");

export const PutMountedFile = z.strictObject({
  relativePath: MountedFilePath,
  content: z.base64("must be base64-encoded").max(4 * 1024 * 1024),
  writeOnly: z.boolean().default(false),
});

export const VariableParams = z.strictObject({ id: z.string().min(1), name: VariableName });
export const FileQuery = z.strictObject({ path: MountedFilePath });

/** The configuration an owner (context or stack) carries. */
export const ConfigElements = z.object({
  variables: z.array(EnvironmentVariable),
  files: z.array(MountedFile),
});
