/**
 * Table types for Kysely. Booleans are stored as integers (0/1) and JSON as text so one set of
 * migrations serves SQLite and PostgreSQL; timestamps are RFC 3339 text, which sorts correctly.
 */
export interface SpacesTable { id: string; name: string; description: string; parent_space_id: string | null; inherit_entities: number; labels: string; created_at: string; updated_at: string }

export interface StacksTable {
  id: string; name: string; description: string; space_id: string; repository: string; branch: string; project_root: string;
  additional_project_globs: string; labels: string; autodeploy: number; autoretry: number; administrative: number;
  manage_state: number; protect_from_deletion: number; enable_local_preview: number; workflow_tool: string;
  terraform_version: string | null; hooks: string; worker_pool_id: string | null; locked_by: string | null; state: string;
  created_at: string; updated_at: string;
}

export interface ContextsTable { id: string; name: string; description: string; space_id: string; labels: string; hooks: string; created_at: string; updated_at: string }

/** Environment variables and mounted files of a context or a stack; values encrypted at rest. */
export interface ConfigElementsTable {
  owner_type: "context" | "stack"; owner_id: string; kind: "variable" | "file"; name: string;
  value_encrypted: string; write_only: number; checksum: string; created_at: string; updated_at: string;
}

export interface PoliciesTable { id: string; name: string; description: string; type: string; body: string; space_id: string; labels: string; rego_version: string; created_at: string; updated_at: string }

export interface AwsIntegrationsTable { id: string; name: string; space_id: string; labels: string; role_arn: string; duration_seconds: number; created_at: string; updated_at: string }

export interface AttachmentsTable { stack_id: string; kind: string; entity_id: string; priority: number; read: number; write: number; created_at: string }

export interface UsersTable { id: string; username: string; display_name: string; password_hash: string | null; disabled: number; created_at: string }
export interface TeamsTable { id: string; name: string; created_at: string }
export interface TeamMembersTable { team_id: string; user_id: string }
export interface RoleBindingsTable { id: string; space_id: string; role: string; subject_type: string; subject_id: string; created_at: string }
export interface ApiKeysTable { id: string; name: string; user_id: string; secret_hash: string; created_at: string; last_used_at: string | null; expires_at: string | null }
export interface SessionsTable { id: string; user_id: string; token_hash: string; created_at: string; expires_at: string }

export interface AuditEventsTable { id: string; at: string; actor_type: string; actor_id: string; action: string; target_type: string; target_id: string; space_id: string | null; payload: string }

export interface Database {
  spaces: SpacesTable;
  stacks: StacksTable;
  contexts: ContextsTable;
  config_elements: ConfigElementsTable;
  policies: PoliciesTable;
  aws_integrations: AwsIntegrationsTable;
  attachments: AttachmentsTable;
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  role_bindings: RoleBindingsTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
}
