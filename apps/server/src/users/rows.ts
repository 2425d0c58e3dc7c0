import type { ApiKey, RoleBinding, Team, User } from "@gantry/contract";
import { toBool } from "../db/rows.js";
import type { ApiKeysTable, RoleBindingsTable, UsersTable } from "../db/schema.js";

export const userFromRow = (r: UsersTable, teams: string[]): User => ({
  id: r.id, username: r.username, displayName: r.display_name, disabled: toBool(r.disabled), teams, createdAt: r.created_at,
});
export const apiKeyFromRow = (r: ApiKeysTable): ApiKey => ({
  id: r.id, name: r.name, userId: r.user_id, createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at,
});
export const bindingFromRow = (r: RoleBindingsTable): RoleBinding => ({
  id: r.id, spaceId: r.space_id, role: r.role as RoleBinding["role"], subjectType: r.subject_type as RoleBinding["subjectType"], subjectId: r.subject_id, createdAt: r.created_at,
});
export const teamOf = (r: { id: string; name: string; created_at: string }, members: string[]): Team => ({ id: r.id, name: r.name, members, createdAt: r.created_at });
