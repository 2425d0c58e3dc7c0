import { GantryApiError, type EndpointInput, type EndpointName, type EndpointOutput, type Endpoints, type GantryClient } from "@gantry/contract";
import { TfPluginError, type AttributePath } from "@gantry/tfplugin";

/** What every Gantry resource handler gets from `configure`. */
export interface GantryProviderClient {
  api: GantryClient;
  url: string;
}

/** API field names are camelCase; Terraform attributes are snake_case. */
export const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Calls the Gantry API and turns its errors into diagnostics Terraform shows on the right line:
 * a 422's field path becomes the attribute path (renamed through `fields` where the attribute
 * differs from the API field).
 */
export async function call<K extends EndpointName>(
  client: GantryProviderClient,
  name: K,
  input: EndpointInput<Endpoints[K]>,
  fields: Record<string, string> = {},
  options: CallOptions = {},
): Promise<EndpointOutput<Endpoints[K]>> {
  try {
    return await client.api.call(name, input);
  } catch (err) {
    throw asDiagnostic(err, client, fields, options);
  }
}

/** How to place errors that name no field. */
export interface CallOptions {
  /**
   * The attribute a 403 points at: the space the object goes into decides the role needed, so a
   * refusal (an administrative run reaching outside its space subtree) is shown on that line.
   */
  forbiddenAt?: string;
}

/** Like {@link call}, but a 404 answers null (the object is gone: refresh drops it from state). */
export async function callOrNull<K extends EndpointName>(client: GantryProviderClient, name: K, input: EndpointInput<Endpoints[K]>): Promise<EndpointOutput<Endpoints[K]> | null> {
  try {
    return await client.api.call(name, input);
  } catch (err) {
    if (err instanceof GantryApiError && err.code === "not_found") return null;
    throw asDiagnostic(err, client, {});
  }
}

function asDiagnostic(err: unknown, client: GantryProviderClient, fields: Record<string, string>, options: CallOptions = {}): Error {
  if (!(err instanceof GantryApiError)) return err as Error;
  const issues = ((err.details as { issues?: { path: (string | number)[]; message: string }[] } | undefined)?.issues) ?? [];
  const first = issues.find((i) => i.path.length > 0);
  let path: AttributePath | undefined;
  if (first) {
    const [head, ...rest] = first.path;
    if (head === "hooks" && typeof rest[0] === "string") {
      // The API nests hooks (`hooks.afterPlan[0]`); the provider flattens them (`after_plan[0]`).
      path = [snake(rest[0]), ...rest.slice(1)];
    } else {
      const top = typeof head === "string" ? (fields[head] ?? snake(head)) : String(head);
      path = [top, ...rest.map((p) => (typeof p === "number" ? p : snake(p)))];
    }
  }
  if (!path && err.code === "forbidden" && options.forbiddenAt) path = [options.forbiddenAt];
  const hint: Partial<Record<string, string>> = {
    unauthenticated: `check the provider's api_token (or GANTRY_API_TOKEN) for ${client.url}`,
    forbidden: "the token's role does not allow this in that space",
    unreachable: `check the provider's api_url (or GANTRY_API_URL)`,
    not_supported: "this capability is not available in this Gantry version yet",
  };
  const detail = [issues.length > 1 ? issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("\n") : undefined, hint[err.code]].filter(Boolean).join("\n");
  return new TfPluginError("resource", `gantry API: ${err.message}`, { ...(path ? { path } : {}), ...(detail ? { detail } : {}), cause: err });
}

/** Sorted copy, so sets compare equal whatever order the API answers in. */
export const sorted = (xs: readonly string[]) => [...xs].sort();

/** The id of an object in state; always set once created or imported. */
export function idOf(state: { id: string | null }): string {
  if (!state.id) throw new TfPluginError("resource", "this object's state has no id: remove it from state (terraform state rm) and import it again");
  return state.id;
}

/** Splits an attachment's import id `<stack id>/<entity id>`. */
export function splitImportId(id: string, entity: string): [stackId: string, entityId: string] {
  const [stackId, entityId, extra] = id.split("/");
  if (!stackId || !entityId || extra !== undefined) throw new TfPluginError("resource", `import id must be <stack id>/<${entity} id>, not ${JSON.stringify(id)}`);
  return [stackId, entityId];
}
