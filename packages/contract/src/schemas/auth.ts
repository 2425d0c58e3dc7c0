import { z } from "zod";
import { Name, Role, Timestamp, withoutHiddenCharacters } from "./common.js";

export const Username = z.string().min(1).max(64).regex(/^[a-zA-Z0-9][a-zA-Z0-9._@-]*$/, "must be letters, digits, '.', '_', '@' or '-'");
export const Password = z.string().min(12, "must be at least 12 characters").max(1024);

export const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  disabled: z.boolean(),
  teams: z.array(z.string()).describe("names of the teams the user is a member of"),
  createdAt: Timestamp,
});
export type User = z.infer<typeof User>;

export const CreateUser = z.strictObject({
  username: Username,
  displayName: withoutHiddenCharacters(z.string().max(255)).default(""),
  password: Password,
});
export const UpdateUser = z.strictObject({
  displayName: withoutHiddenCharacters(z.string().max(255)).optional(),
  password: Password.optional(),
  disabled: z.boolean().optional(),
});

export const Team = z.object({ id: z.string(), name: z.string(), members: z.array(z.string()), createdAt: Timestamp });
export type Team = z.infer<typeof Team>;
export const CreateTeam = z.strictObject({ name: Name });
export const TeamMemberParams = z.strictObject({ id: z.string().min(1), userId: z.string().min(1) });

export const SubjectType = z.enum(["user", "team"]);
export const RoleBinding = z.object({
  id: z.string(),
  spaceId: z.string(),
  role: Role,
  subjectType: SubjectType,
  subjectId: z.string(),
  createdAt: Timestamp,
});
export type RoleBinding = z.infer<typeof RoleBinding>;
export const CreateRoleBinding = z.strictObject({
  spaceId: z.string().min(1),
  role: Role,
  subjectType: SubjectType,
  subjectId: z.string().min(1),
});
export const RoleBindingQuery = z.strictObject({ spaceId: z.string().optional() });

export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  userId: z.string(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;
export const CreateApiKey = z.strictObject({
  name: Name,
  userId: z.string().min(1).optional().describe("defaults to the caller; another user's key needs root admin"),
  expiresInDays: z.number({ error: "must be a number of days" }).int("must be a whole number of days")
    .min(1, "must be at least 1 day (leave it out for a key that never expires)").max(3650, "must be at most 3650 days (10 years)")
    .optional().describe("days until the key stops working; without it the key never expires"),
});
/** The secret is in this answer only; Gantry keeps a hash. */
export const CreatedApiKey = z.object({ apiKey: ApiKey, secret: z.string() });

export const LoginRequest = z.strictObject({ username: Username, password: z.string().min(1).max(1024) });
export const Session = z.object({ token: z.string(), expiresAt: Timestamp, user: User });

export const Me = z.object({
  kind: z.enum(["user", "run"]),
  id: z.string(),
  name: z.string(),
  roles: z.array(z.object({
    spaceId: z.string(),
    role: Role,
    source: z.string().optional().describe("where the role comes from: a role binding, a login policy (by name), an administrative run"),
  })),
  teams: z.array(z.string()).optional().describe("team names the session carries (Gantry's teams and any a login policy mapped): what policies see as input.session.teams"),
});
export type Me = z.infer<typeof Me>;
