import { ExactNumber, isUnknown } from "@gantry/tfplugin";
import type { CloudObject, JsonValue } from "../cloud/cloud-file.js";
import type { SimClient } from "../client.js";
import { tagsFromCloud } from "./tags.js";

type Tags = { [key: string]: string };

/**
 * The cloud's copy of a resource: its state attributes, with `tags` holding every tag (what AWS
 * stores, i.e. `tags_all`) and without `omit` (secrets AWS never returns, such as passwords).
 */
export function toCloudObject(state: object, omit: readonly string[] = []): CloudObject {
  const out: CloudObject = {};
  for (const [key, value] of Object.entries(state)) {
    if (omit.includes(key) || key === "tags_all" || key === "tags") continue;
    out[key] = toJson(value);
  }
  const all = (state as { tags_all?: unknown }).tags_all;
  if (all !== undefined) out["tags"] = toJson(all ?? {});
  return out;
}

/**
 * A refreshed state from the cloud's copy: every attribute the cloud object has replaces the
 * state's (so hand edits show up as drift); the rest, and `omit`, keep their state value.
 */
export function fromCloudObject<S extends object>(client: SimClient, stored: CloudObject, state: S, omit: readonly string[] = []): Partial<S> {
  const out: { [key: string]: unknown } = {};
  const current = state as { [key: string]: unknown };
  for (const key of Object.keys(state)) {
    if (omit.includes(key) || key === "tags" || key === "tags_all") continue;
    if (key in stored) out[key] = stored[key];
  }
  if ("tags_all" in current) {
    const all = (stored["tags"] ?? {}) as Tags;
    Object.assign(out, tagsFromCloud(client.defaultTags, all, (current["tags"] as Tags | null) ?? null));
  }
  return out as Partial<S>;
}

/** Replaces top-level unknowns of an update plan with the prior state's values (they did not change). */
export function withPriorForUnknowns<P extends object, S extends object>(planned: P, prior: S): S {
  const out: { [key: string]: unknown } = { ...(planned as object) };
  for (const [key, value] of Object.entries(out)) {
    if (isUnknown(value)) out[key] = (prior as { [key: string]: unknown })[key] ?? null;
  }
  return out as S;
}

function toJson(value: unknown): JsonValue {
  if (value instanceof ExactNumber) return value.toNumber();
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return value as JsonValue;
}

/** The id of a resource in state (always set once created). */
export function stateId(id: string | null): string {
  if (id === null) throw new Error("the resource has no id in state: remove it with terraform state rm and import it again");
  return id;
}

/** Where a resource type lives: the account's regional file, or its global one (IAM). */
export interface CloudPlacement {
  readonly global?: boolean;
  /** Attributes the cloud never keeps (secrets, Terraform-only settings). */
  readonly omit?: readonly string[];
}

const scopeOf = (client: SimClient, where: CloudPlacement) => (where.global ? client.globalScope : client.scope);

/**
 * The `update` most resources share: the planned state (unknowns kept from the prior state)
 * replaces the cloud's copy.
 */
export function updateInCloud(type: string, where: CloudPlacement = {}) {
  return async <P extends object, S extends { id: string | null }>({ prior, planned, client }: { prior: S; planned: P; client: SimClient }): Promise<S> => {
    const state = withPriorForUnknowns(planned, prior);
    await client.store.put(scopeOf(client, where), type, stateId(prior.id), toCloudObject(state, where.omit));
    return state;
  };
}

/** The `read` most resources share: the cloud's copy, or null when it is gone (drift). */
export function readFromCloud(type: string, where: CloudPlacement = {}) {
  return async <S extends { id: string | null }>({ state, client }: { state: S; client: SimClient }): Promise<Partial<S> | null> => {
    const stored = await client.store.get(scopeOf(client, where), type, stateId(state.id));
    return stored ? fromCloudObject(client, stored, state, where.omit) : null;
  };
}
