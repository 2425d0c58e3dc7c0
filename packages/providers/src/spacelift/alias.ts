import type { Diagnostics, Fields, Resource, ResourceDefinition, ValidateRequest } from "@gantry/tfplugin";
import type { GantryProviderClient } from "../gantry/api.js";
import { reportUnsupported, type Unsupported } from "./ignored.js";

type Values = Record<string, unknown>;
type Client = GantryProviderClient;

/** What a translation may use: `write` is true when the values are about to be sent to Gantry (create, update). */
export interface AliasContext {
  readonly client: Client;
  readonly diagnostics: Diagnostics;
  readonly write: boolean;
}

/** How a Spacelift resource differs from the Gantry resource that implements it. */
export interface AliasOptions {
  /** Gantry attributes Spacelift's resource does not have (or has under another name). */
  readonly omit?: readonly string[];
  /** Spacelift attributes the Gantry resource does not have, or has with another default. */
  readonly fields?: Fields;
  /** Spacelift attributes Gantry accepts but cannot honour (a warning or an error, never silence). */
  readonly unsupported?: Record<string, Unsupported>;
  /** Further checks of the configuration (cross-attribute rules, VCS blocks). */
  readonly validate?: (config: Values, diagnostics: Diagnostics, typeName: string) => void;
  /** Spacelift values (planned or configured) -> what the Gantry handlers read. */
  readonly toGantry?: (values: Values, ctx: AliasContext) => Values | Promise<Values>;
  /** Gantry state -> Spacelift state, given the Spacelift values it came from. */
  readonly fromGantry?: (state: Values, spacelift: Values) => Values;
}

/**
 * One implementation with two names: a Spacelift resource served by the Gantry resource's
 * handlers, with Spacelift's attribute names around them. Attributes only Spacelift has are
 * kept in state as configured (handlers leave them alone), after a warning or an error from
 * `unsupported`.
 */
export function alias(base: Resource<Client>, options: AliasOptions = {}): Resource<Client> {
  const d = base.definition;
  const schema: Fields = { ...Object.fromEntries(Object.entries(d.schema).filter(([k]) => !options.omit?.includes(k))), ...options.fields };
  const toGantry = async (values: Values, ctx: AliasContext) => (options.toGantry ? options.toGantry(values, ctx) : values);
  const back = (state: Values | null, spacelift: Values): Values | null => (state && options.fromGantry ? options.fromGantry(state, spacelift) : state);
  const definition: ResourceDefinition<Fields, Client> = {
    ...(d.description ? { description: d.description } : {}),
    ...(d.version !== undefined ? { version: d.version } : {}),
    schema,
    async validate(req: ValidateRequest<Fields>) {
      await d.validate?.(req);
      reportUnsupported(req.typeName, req.config as Values, options.unsupported ?? {}, req.diagnostics);
      options.validate?.(req.config as Values, req.diagnostics, req.typeName);
    },
    async create(req) {
      const ctx = { client: req.client, diagnostics: req.diagnostics, write: true };
      const planned = await toGantry(req.planned as Values, ctx);
      const config = await toGantry(req.config as Values, ctx);
      const state = await d.create({ ...req, planned: planned as never, config: config as never });
      return back(state as Values, req.planned as Values) as never;
    },
    async read(req) {
      const state = await d.read({ ...req, state: (await toGantry(req.state as Values, { client: req.client, diagnostics: req.diagnostics, write: false })) as never });
      return back(state as Values | null, req.state as Values) as never;
    },
    async update(req) {
      const ctx = { client: req.client, diagnostics: req.diagnostics, write: true };
      const state = await d.update({
        ...req,
        prior: (await toGantry(req.prior as Values, { ...ctx, write: false })) as never,
        planned: (await toGantry(req.planned as Values, ctx)) as never,
        config: (await toGantry(req.config as Values, ctx)) as never,
      });
      return back(state as Values, req.planned as Values) as never;
    },
    async delete(req) {
      await d.delete({ ...req, state: (await toGantry(req.state as Values, { client: req.client, diagnostics: req.diagnostics, write: false })) as never });
    },
    ...(d.import ? { import: d.import.bind(d) } : {}),
  };
  return { kind: "resource", definition };
}
