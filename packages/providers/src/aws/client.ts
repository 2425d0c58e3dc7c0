import type { CloudStore } from "./cloud/cloud-store.js";
import type { CloudScope } from "./cloud/cloud-file.js";
import type { CallerIdentity } from "./credentials/caller-identity.js";

/** What `configure` gives every resource handler: one per provider configuration per terraform process. */
export interface SimClient {
  readonly store: CloudStore;
  readonly region: string;
  readonly identity: CallerIdentity;
  /** This account and region's file. */
  readonly scope: CloudScope;
  /** This account's file for global services (IAM). */
  readonly globalScope: CloudScope;
  /** `default_tags { tags = {...} }` of the provider block. */
  readonly defaultTags: { readonly [key: string]: string };
}
