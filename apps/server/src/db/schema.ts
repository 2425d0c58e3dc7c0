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
  /** The VCS integration whose events and feedback the stack uses (0004); null: matched by repository. */
  vcs_integration_id?: string | null;
  /** When the last drift run found changes (0030); null: not drifted. Written by stacks/repository.ts only. */
  drift_detected_at?: string | null;
  /** JSON array of the drifted resource addresses (0030). */
  drift_resources?: string | null;
  /** The drift run that found them (0030). */
  drift_run_id?: string | null;
  /** 1: plan policies see only sensitive values hashed; 0: every string hashed (0025). */
  smart_sanitization?: number;
  /** TERRAFORM, KUBERNETES, ANSIBLE (0065). */
  vendor?: string;
  /** JSON of the vendor's settings block (0065); null for TERRAFORM. */
  vendor_settings?: string | null;
  /** Set on the stack row that hosts a module's TESTING runs (0070); such rows are not listed as stacks. */
  module_id?: string | null;
  /** Why the stack is locked, as its locker wrote it (0105); null without a note or a lock. Written by stacks/repository.ts only. */
  lock_note?: string | null;
}

export interface ContextsTable { id: string; name: string; description: string; space_id: string; labels: string; hooks: string; created_at: string; updated_at: string }

/** Environment variables and mounted files of a context or a stack; values encrypted at rest. */
export interface ConfigElementsTable {
  owner_type: "context" | "stack"; owner_id: string; kind: "variable" | "file"; name: string;
  value_encrypted: string; write_only: number; checksum: string; created_at: string; updated_at: string;
}

export interface PoliciesTable { id: string; name: string; description: string; type: string; body: string; space_id: string; labels: string; rego_version: string; created_at: string; updated_at: string;
  /** Rego test modules run against the body on every change (0055); empty when none. */
  tests: string }
/** Every body a policy has had, by `policyVersion` (0104): what a receipt's version names. */
export interface PolicyBodiesTable { policy_id: string; version: string; body: string; rego_version: string; created_at: string }

export interface AwsIntegrationsTable {
  id: string; name: string; space_id: string; labels: string; role_arn: string; duration_seconds: number;
  generate_credentials_in_worker: number; external_id: string | null; region: string | null; audience: string | null;
  created_at: string; updated_at: string;
}

export interface OidcKeysTable { kid: string; algorithm: string; public_jwk: string; private_key_encrypted: string; created_at: string; retired_at: string | null; published_until: string | null }

export interface AttachmentsTable { stack_id: string; kind: string; entity_id: string; priority: number; read: number; write: number; created_at: string }

export interface UsersTable { id: string; username: string; display_name: string; password_hash: string | null; disabled: number; created_at: string }
export interface TeamsTable { id: string; name: string; created_at: string }
export interface TeamMembersTable { team_id: string; user_id: string }
export interface RoleBindingsTable { id: string; space_id: string; role: string; subject_type: string; subject_id: string; created_at: string }
export interface ApiKeysTable { id: string; name: string; user_id: string; secret_hash: string; created_at: string; last_used_at: string | null; expires_at: string | null }
export interface SessionsTable { id: string; user_id: string; token_hash: string; created_at: string; expires_at: string; policy_grants?: string | null; policy_teams?: string | null }

export interface AuditEventsTable { id: string; at: string; actor_type: string; actor_id: string; action: string; target_type: string; target_id: string; space_id: string | null; payload: string }

export interface WorkerPoolsTable { id: string; name: string; description: string; space_id: string; created_at: string; updated_at: string }
export interface WorkerTokensTable { id: string; pool_id: string; secret_hash: string; created_at: string }
export interface WorkersTable { id: string; pool_id: string; name: string; status: string; current_run_id: string | null; last_heartbeat_at: string; created_at: string }
export interface RunsTable {
  id: string; stack_id: string; pool_id: string; type: string; state: string; blocking: number; commit_sha: string | null; commit_branch: string;
  commit_message: string | null; commit_author: string | null; command: string | null; triggered_by: string; worker_id: string | null;
  token_hash: string | null; failure_reason: string | null; delta: string | null; created_at: string; updated_at: string;
  /** `git` or `upload` (local preview: the code is the run's `source` blob). */
  source: string;
  /** The pull request a VCS run belongs to (0004). */
  pull_request?: number | null;
  /** `<stack>:<sha>:<type>` on runs created from VCS events, unique: one such run per commit (0004). */
  vcs_key?: string | null;
  /** 1 while APPROVAL policies hold the QUEUED run (0006): the scheduler leaves it queued. */
  awaiting_approval?: number;
  /** 1 when a push policy said `prioritize` (0008): claimed before the pool's other runs. */
  prioritized?: number;
  /** 1 on a PROPOSED run started by drift detection (0030). */
  drift_detection?: number;
  /** The run whose TRIGGER policies created this one, the stacks the chain came through (JSON), and its dedupe key (0016). */
  triggered_by_run?: string | null;
  trigger_chain?: string | null;
  trigger_key?: string | null;
}
/** A GitHub or raw git integration; the token and webhook secret are encrypted with the SecretBox. */
export interface VcsIntegrationsTable {
  id: string; name: string; description: string; space_id: string; labels: string; provider: string; api_base_url: string | null;
  token_encrypted: string | null; token_checksum: string | null; webhook_secret_encrypted: string | null; webhook_secret_checksum: string | null;
  created_at: string; updated_at: string;
}
/** The branch heads the VCS poller last saw per repository, so a restart does not re-run everything. */
export interface VcsHeadsTable { repository: string; branch: string; sha: string; updated_at: string }
/** A public-API token of one administrative run phase (`gra_<id>_<secret>`); see auth/run-api-tokens.ts. */
export interface RunApiTokensTable { id: string; run_id: string; space_id: string; secret_hash: string; created_at: string; expires_at: string }
export interface RunTransitionsTable { id: string; run_id: string; from_state: string | null; to_state: string; cause: string; actor: string; note: string | null; at: string }
/** One policy evaluation on a run; the input is kept (encrypted: it holds the plan) for simulation. */
export interface RunPolicyReceiptsTable { id: string; run_id: string; policy_id: string; policy_name: string; type: string; outcome: string; messages: string; input_encrypted: string; at: string;
  /** Content hash of the policy body that decided (0055); null on older receipts. */
  policy_version: string | null }
export interface RunReviewsTable { id: string; run_id: string; author: string; decision: string; run_state: string; note: string | null; at: string }
export interface RunLogsTable { run_id: string; seq: number; phase: string; text: string; at: string }
/** Plans, workspace archives and state, encrypted at rest with the SecretBox. */
export interface BlobsTable { id: string; owner_type: string; owner_id: string; kind: string; data_encrypted: string; size: number; sha256: string; created_at: string }
export interface StateVersionsTable { id: string; stack_id: string; serial: number; lineage: string; run_id: string | null; blob_id: string; created_at: string }
export interface StateLocksTable { stack_id: string; lock_id: string; info: string; run_id: string | null; created_at: string }
/** Installation-wide facts (see migration 0045), e.g. `encryption_key_check`. */
export interface InstanceSettingsTable { name: string; value: string; updated_at: string }
/** `changed`: JSON array of the output names the run changed against the row it replaced (0090). */
export interface StackOutputsTable { stack_id: string; run_id: string; outputs: string; updated_at: string; changed: string }
/** `stack_id` depends on `depends_on_stack_id` (0035). */
export interface StackDependenciesTable { id: string; stack_id: string; depends_on_stack_id: string; created_at: string }
/** An output of the upstream passed to the downstream as the environment variable `input_name` (0035). */
export interface StackDependencyReferencesTable { id: string; dependency_id: string; output_name: string; input_name: string; trigger_always: number; created_at: string }
/** A blocking run reached a terminal state: the dependency dispatcher triggers or skips its dependents (0035). */
export interface DependencyEventsTable { id: string; run_id: string; created_at: string }

/** A stack's drift detection schedule (0030): cron expressions in a time zone. */
export interface DriftDetectionsTable {
  stack_id: string; schedule: string; timezone: string; reconcile: number; ignore_state: number; next_due_at: string; last_fired_at: string | null;
  created_at: string; updated_at: string;
}
/** A scheduled task, destroy or delete of a stack (0030). */
export interface StackSchedulesTable {
  id: string; stack_id: string; kind: string; cron: string | null; timezone: string; at: string | null; command: string | null; delete_resources: number;
  next_due_at: string | null; last_fired_at: string | null; run_id: string | null; created_by: string; created_at: string;
}

export interface Database {
  spaces: SpacesTable;
  stacks: StacksTable;
  contexts: ContextsTable;
  config_elements: ConfigElementsTable;
  policies: PoliciesTable;
  policy_bodies: PolicyBodiesTable;
  aws_integrations: AwsIntegrationsTable;
  oidc_keys: OidcKeysTable;
  attachments: AttachmentsTable;
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  role_bindings: RoleBindingsTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  worker_pools: WorkerPoolsTable;
  worker_tokens: WorkerTokensTable;
  workers: WorkersTable;
  runs: RunsTable;
  vcs_integrations: VcsIntegrationsTable;
  vcs_heads: VcsHeadsTable;
  run_transitions: RunTransitionsTable;
  run_api_tokens: RunApiTokensTable;
  run_logs: RunLogsTable;
  run_policy_receipts: RunPolicyReceiptsTable;
  run_reviews: RunReviewsTable;
  blobs: BlobsTable;
  state_versions: StateVersionsTable;
  state_locks: StateLocksTable;
  stack_outputs: StackOutputsTable;
  drift_detections: DriftDetectionsTable;
  stack_schedules: StackSchedulesTable;
  notification_events: NotificationEventsTable;
  webhooks: WebhooksTable;
  slack_integrations: SlackIntegrationsTable;
  notification_deliveries: NotificationDeliveriesTable;
  notification_delivery_attempts: NotificationDeliveryAttemptsTable;
  notification_inbox: NotificationInboxTable;
  notification_acks: NotificationAcksTable;
  stack_dependencies: StackDependenciesTable;
  stack_dependency_references: StackDependencyReferencesTable;
  dependency_events: DependencyEventsTable;
  modules: ModulesTable;
  module_versions: ModuleVersionsTable;
  module_consumers: ModuleConsumersTable;
  module_version_tests: ModuleVersionTestsTable;
  instance_settings: InstanceSettingsTable;
}

/** Notifications (0040): the event outbox, endpoints, deliveries with their attempts, the inbox. */
export interface NotificationEventsTable { id: string; kind: string; space_id: string | null; stack_id: string | null; run_id: string | null; payload: string; created_at: string; fanned_out_at: string | null }
export interface WebhooksTable { id: string; name: string; space_id: string; stack_id: string | null; endpoint: string; enabled: number; labels: string; secret_encrypted: string | null; secret_checksum: string | null; created_at: string; updated_at: string }
export interface SlackIntegrationsTable { id: string; name: string; space_id: string; api_base_url: string; bot_token_encrypted: string | null; bot_token_checksum: string | null; webhook_url_encrypted: string | null; created_at: string; updated_at: string }
export interface NotificationDeliveriesTable { id: string; event_id: string; event_kind: string; event_at: string; target_kind: string; target_id: string; space_id: string; payload: string; status: string; attempts: number; next_attempt_at: string | null; created_at: string; finished_at: string | null }
export interface NotificationDeliveryAttemptsTable { id: string; delivery_id: string; status: string; response_code: number | null; duration_ms: number; response_body: string; error: string | null; at: string }
export interface NotificationInboxTable { id: string; event_id: string; space_id: string; stack_id: string | null; run_id: string | null; title: string; body: string; severity: string; created_at: string }
export interface NotificationAcksTable { notification_id: string; user_id: string; at: string }

/** The module registry (0050): modules, their immutable versions, and which stacks use them. */
export interface ModulesTable {
  id: string; name: string; terraform_provider: string; namespace: string; description: string; repository: string; branch: string;
  project_root: string; space_id: string; labels: string; shared_with: string; worker_pool_id: string | null; protect_from_deletion: number;
  trigger_consumers: string; created_at: string; updated_at: string;
  /** 1: versions whose tests failed are offered to terraform anyway (0070). */
  offer_failed_versions?: number;
}
/** One test case of a module version and the TESTING run that checks it (0070). */
export interface ModuleVersionTestsTable {
  id: string; version_id: string; module_id: string; name: string; project_root: string; environment: string; negative: number; run_id: string | null; created_at: string;
}
export interface ModuleVersionsTable {
  id: string; module_id: string; version: string; state: string; commit_sha: string; author: string; message: string; tag: string | null;
  blob_id: string; size: number; sha256: string; changelog: string; created_at: string;
  /** Who published it (0091; JSON, see modules/publisher.ts); null for older rows. */
  published_by?: string | null;
  /** What becoming ACTIVE did (0091; JSON PublishImpact); null until then. */
  impact?: string | null;
}
export interface ModuleConsumersTable { stack_id: string; module_id: string; version: string; constraint_text: string | null; run_id: string; updated_at: string }
