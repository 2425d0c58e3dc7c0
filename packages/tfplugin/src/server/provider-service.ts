import { parse } from "lossless-json";
import { createDiagnostics } from "../diagnostics.js";
import { TfPluginError } from "../errors.js";
import { fromJson } from "../cty/json.js";
import { objectTypeOf } from "../schema/object-type.js";
import { schemaToProto } from "../schema/to-proto.js";
import { planResource, stripWriteOnly } from "../runtime/plan.js";
import { validateFields } from "../runtime/validate.js";
import { plainFromJson } from "../runtime/plain-json.js";
import { complete, formatPath, nullUnknowns, pick, unknownPaths, withDefaults } from "../runtime/state-values.js";
import type { CtyType, Diagnostics, Fields, Provider, ResourceDefinition, DataSourceDefinition, AttributePath } from "../types.js";
import { containsUnknown } from "../values.js";
import type { TfObject, TfValue } from "../values.js";
import type { Message } from "./proto.js";
import { SessionStore } from "./sessions.js";
import { diagnosticsToProto, errorToDiagnostic, objectFromDynamicValue, pathToProto, toDynamicValue } from "./wire.js";

type AnyResource = ResourceDefinition<Fields, unknown>;
type AnyDataSource = DataSourceDefinition<Fields, unknown>;

interface Typed<D> {
  readonly definition: D;
  readonly type: CtyType;
}

/**
 * The tfplugin6.Provider service, independent of gRPC: each method takes the request message
 * and the caller's connection id and returns the response message.
 */
export class ProviderService {
  private readonly provider: Provider["definition"];
  private readonly providerType: CtyType;
  private readonly resources = new Map<string, Typed<AnyResource>>();
  private readonly dataSources = new Map<string, Typed<AnyDataSource>>();
  private readonly sessions = new SessionStore<unknown>();
  private schemaResponse: Message | undefined;

  constructor(provider: Provider) {
    this.provider = provider.definition;
    this.providerType = objectTypeOf(this.provider.schema);
    for (const [name, r] of Object.entries(this.provider.resources)) this.resources.set(name, { definition: r.definition, type: objectTypeOf(r.definition.schema) });
    for (const [name, d] of Object.entries(this.provider.dataSources ?? {})) this.dataSources.set(name, { definition: d.definition, type: objectTypeOf(d.definition.schema) });
    this.getProviderSchema(); // fail fast on an inconsistent schema
  }

  getMetadata(): Message {
    return {
      server_capabilities: this.capabilities(),
      diagnostics: [],
      resources: [...this.resources.keys()].map((type_name) => ({ type_name })),
      data_sources: [...this.dataSources.keys()].map((type_name) => ({ type_name })),
      functions: [],
      ephemeral_resources: [],
    };
  }

  getProviderSchema(): Message {
    if (this.schemaResponse) return this.schemaResponse;
    const resourceSchemas: Record<string, unknown> = {};
    for (const [name, r] of this.resources) resourceSchemas[name] = schemaToProto(r.definition.schema, { version: r.definition.version ?? 0, description: r.definition.description ?? "" });
    const dataSourceSchemas: Record<string, unknown> = {};
    for (const [name, d] of this.dataSources) dataSourceSchemas[name] = schemaToProto(d.definition.schema, { description: d.definition.description ?? "" });
    this.schemaResponse = {
      provider: schemaToProto(this.provider.schema, { provider: true }),
      resource_schemas: resourceSchemas,
      data_source_schemas: dataSourceSchemas,
      functions: {},
      ephemeral_resource_schemas: {},
      diagnostics: [],
      server_capabilities: this.capabilities(),
    };
    return this.schemaResponse;
  }

  getFunctions(): Message {
    return { functions: {}, diagnostics: [] };
  }

  async validateProviderConfig(req: Message): Promise<Message> {
    return { diagnostics: await this.runValidate(this.provider.schema, this.providerType, req.config, "provider", this.provider.validate?.bind(this.provider)) };
  }

  async validateResourceConfig(req: Message): Promise<Message> {
    const typeName = String(req.type_name);
    const r = this.resource(typeName);
    return { diagnostics: await this.runValidate(r.definition.schema, r.type, req.config, typeName, r.definition.validate?.bind(r.definition)) };
  }

  async validateDataResourceConfig(req: Message): Promise<Message> {
    const typeName = String(req.type_name);
    const d = this.dataSource(typeName);
    return { diagnostics: await this.runValidate(d.definition.schema, d.type, req.config, typeName, d.definition.validate?.bind(d.definition)) };
  }

  async configureProvider(req: Message, peer: string): Promise<Message> {
    const diagnostics = createDiagnostics();
    try {
      const raw = objectFromDynamicValue(req.config, this.providerType) ?? {};
      const config = withDefaults(this.provider.schema, raw);
      const client = await this.provider.configure({ config, terraformVersion: String(req.terraform_version ?? ""), diagnostics });
      if (!diagnostics.hasErrors) this.sessions.set(peer, client);
    } catch (error) {
      diagnostics.add(errorToDiagnostic(error));
    }
    return { diagnostics: diagnosticsToProto(diagnostics.list) };
  }

  async upgradeResourceState(req: Message): Promise<Message> {
    const typeName = String(req.type_name);
    const diagnostics = createDiagnostics();
    try {
      const r = this.resource(typeName);
      const raw = (req.raw_state ?? {}) as { json?: Uint8Array; flatmap?: Record<string, string> };
      if (!raw.json || raw.json.length === 0) {
        if (raw.flatmap && Object.keys(raw.flatmap).length > 0) throw new TfPluginError("codec", `state of ${typeName} is in the legacy flatmap format, which this provider cannot read; re-import the resource`);
        return { upgraded_state: toDynamicValue(null, r.type), diagnostics: [] };
      }
      const tree = parse(new TextDecoder().decode(raw.json));
      const version = Number(req.version ?? 0);
      const current = r.definition.version ?? 0;
      let value: TfValue;
      if (version < current && r.definition.upgradeState) {
        const upgraded = await r.definition.upgradeState({ version, state: plainFromJson(tree) as TfObject });
        value = fromJson(JSON.parse(JSON.stringify(upgraded)) as unknown, r.type);
      } else {
        value = fromJson(tree, r.type);
      }
      return { upgraded_state: toDynamicValue(value, r.type), diagnostics: [] };
    } catch (error) {
      diagnostics.add(errorToDiagnostic(error));
      return { diagnostics: diagnosticsToProto(diagnostics.list) };
    }
  }

  async readResource(req: Message, peer: string): Promise<Message> {
    const typeName = String(req.type_name);
    const diagnostics = createDiagnostics();
    const r = this.resource(typeName);
    let state = objectFromDynamicValue(req.current_state, r.type);
    try {
      if (state !== null) {
        const client = this.client(peer);
        const result = await r.definition.read({ state, client, diagnostics, typeName });
        state = result === null ? null : stripWriteOnly(r.definition.schema, complete(r.definition.schema, { ...state, ...pick(r.definition.schema, result) }));
      }
    } catch (error) {
      diagnostics.add(errorToDiagnostic(error));
    }
    return { new_state: toDynamicValue(state, r.type), diagnostics: diagnosticsToProto(diagnostics.list), private: req.private ?? Buffer.alloc(0) };
  }

  async planResourceChange(req: Message, peer: string): Promise<Message> {
    const typeName = String(req.type_name);
    const diagnostics = createDiagnostics();
    const r = this.resource(typeName);
    const prior = objectFromDynamicValue(req.prior_state, r.type);
    const proposed = objectFromDynamicValue(req.proposed_new_state, r.type);
    const config = objectFromDynamicValue(req.config, r.type);
    // Destroy: nothing to plan.
    if (proposed === null) return { planned_state: toDynamicValue(null, r.type), diagnostics: [], requires_replace: [], planned_private: req.prior_private ?? Buffer.alloc(0) };
    let planned = proposed;
    let requiresReplace: AttributePath[] = [];
    try {
      ({ planned, requiresReplace } = planResource(r.definition.schema, prior, proposed, config ?? proposed));
      if (r.definition.plan) {
        const result = await r.definition.plan({ prior, planned, config: config ?? {}, client: this.client(peer), diagnostics, typeName });
        if (result?.planned) planned = complete(r.definition.schema, pick(r.definition.schema, result.planned));
        if (result?.requiresReplace && prior !== null) requiresReplace = [...requiresReplace, ...result.requiresReplace];
      }
      planned = stripWriteOnly(r.definition.schema, planned);
    } catch (error) {
      diagnostics.add(errorToDiagnostic(error));
    }
    return {
      planned_state: toDynamicValue(planned, r.type),
      requires_replace: requiresReplace.map(pathToProto),
      planned_private: req.prior_private ?? Buffer.alloc(0),
      diagnostics: diagnosticsToProto(diagnostics.list),
    };
  }

  async applyResourceChange(req: Message, peer: string): Promise<Message> {
    const typeName = String(req.type_name);
    const diagnostics = createDiagnostics();
    const r = this.resource(typeName);
    const schema = r.definition.schema;
    const prior = objectFromDynamicValue(req.prior_state, r.type);
    const planned = objectFromDynamicValue(req.planned_state, r.type);
    const config = objectFromDynamicValue(req.config, r.type) ?? {};
    let newState: TfObject | null = planned === null ? null : prior;
    try {
      const client = this.client(peer);
      if (planned === null) {
        if (prior !== null) await r.definition.delete({ state: prior, client, diagnostics, typeName });
        if (diagnostics.hasErrors) newState = prior;
      } else {
        const result =
          prior === null
            ? await r.definition.create({ planned, config, client, diagnostics, typeName })
            : await r.definition.update({ prior, planned, config, client, diagnostics, typeName });
        newState = stripWriteOnly(schema, complete(schema, { ...planned, ...pick(schema, result ?? {}) }));
        // A handler that reported errors did not finish: nothing was created, or the prior
        // object is what remains.
        if (diagnostics.hasErrors) newState = prior;
        for (const path of newState ? unknownPaths(newState) : []) {
          diagnostics.error("Provider left a value unknown after apply", `${typeName} did not set ${formatPath(path)}; this is a bug in the provider`, path);
        }
        if (newState && containsUnknown(newState)) newState = nullUnknowns(newState) as TfObject;
      }
    } catch (error) {
      diagnostics.add(errorToDiagnostic(error));
      // A failed delete keeps the object; a failed create stores nothing; a failed update keeps the prior state.
      if (planned === null) newState = prior;
    }
    return { new_state: toDynamicValue(newState, r.type), private: req.planned_private ?? Buffer.alloc(0), diagnostics: diagnosticsToProto(diagnostics.list) };
  }

  async importResourceState(req: Message, peer: string): Promise<Message> {
    const typeName = String(req.type_name);
    const diagnostics = createDiagnostics();
    const r = this.resource(typeName);
    const imported: Message[] = [];
    try {
      if (!r.definition.import) throw new TfPluginError("resource", `${typeName} does not support import`);
      const id = String(req.id ?? "");
      const result = await r.definition.import({ id, client: this.client(peer), diagnostics, typeName });
      if (result === null) diagnostics.error("Cannot import non-existent remote object", `no ${typeName} with id "${id}" exists; check the id`);
      else if (!diagnostics.hasErrors) imported.push({ type_name: typeName, state: toDynamicValue(complete(r.definition.schema, pick(r.definition.schema, result)), r.type), private: Buffer.alloc(0) });
    } catch (error) {
      diagnostics.add(errorToDiagnostic(error));
    }
    return { imported_resources: imported, diagnostics: diagnosticsToProto(diagnostics.list) };
  }

  async readDataSource(req: Message, peer: string): Promise<Message> {
    const typeName = String(req.type_name);
    const diagnostics = createDiagnostics();
    const d = this.dataSource(typeName);
    const config = objectFromDynamicValue(req.config, d.type) ?? {};
    let state: TfObject = config;
    try {
      const result = await d.definition.read({ config, client: this.client(peer), diagnostics, typeName });
      state = complete(d.definition.schema, { ...withDefaults(d.definition.schema, config), ...pick(d.definition.schema, result ?? {}) });
      for (const path of unknownPaths(state)) diagnostics.error("Data source left a value unknown", `${typeName} did not set ${formatPath(path)}`, path);
      state = nullUnknowns(state) as TfObject;
    } catch (error) {
      diagnostics.add(errorToDiagnostic(error));
    }
    return { state: toDynamicValue(state, d.type), diagnostics: diagnosticsToProto(diagnostics.list) };
  }

  async moveResourceState(req: Message): Promise<Message> {
    const typeName = String(req.target_type_name);
    const diagnostics = createDiagnostics();
    try {
      const r = this.resource(typeName);
      const source = `${String(req.source_provider_address)} ${String(req.source_type_name)}`;
      if (!r.definition.moveState) throw new TfPluginError("resource", `${typeName} cannot take state moved from ${source}`);
      const raw = (req.source_state ?? {}) as { json?: Uint8Array };
      const sourceState = raw.json && raw.json.length > 0 ? (plainFromJson(parse(new TextDecoder().decode(raw.json))) as TfObject) : {};
      const result = await r.definition.moveState({
        sourceProviderAddress: String(req.source_provider_address ?? ""),
        sourceTypeName: String(req.source_type_name ?? ""),
        sourceVersion: Number(req.source_schema_version ?? 0),
        sourceState,
      });
      if (result === null) throw new TfPluginError("resource", `${typeName} cannot take state moved from ${source}`);
      const state = stripWriteOnly(r.definition.schema, complete(r.definition.schema, pick(r.definition.schema, result)));
      return { target_state: toDynamicValue(state, r.type), target_private: req.source_private ?? Buffer.alloc(0), diagnostics: [] };
    } catch (error) {
      diagnostics.add(errorToDiagnostic(error));
      return { diagnostics: diagnosticsToProto(diagnostics.list) };
    }
  }

  stopProvider(): Message {
    return { Error: "" };
  }

  private async runValidate(
    schema: Fields,
    type: CtyType,
    dv: unknown,
    typeName: string,
    hook: ((req: { config: TfObject; diagnostics: Diagnostics; typeName: string }) => Promise<void> | void) | undefined,
  ): Promise<Message[]> {
    const diagnostics = createDiagnostics();
    try {
      const config = objectFromDynamicValue(dv, type) ?? {};
      for (const d of validateFields(schema, config)) diagnostics.add(d);
      if (hook && !diagnostics.hasErrors) await hook({ config, diagnostics, typeName });
    } catch (error) {
      diagnostics.add(errorToDiagnostic(error));
    }
    return diagnosticsToProto(diagnostics.list);
  }

  private capabilities(): Message {
    const move = [...this.resources.values()].some((r) => r.definition.moveState !== undefined);
    // plan_destroy: Terraform also asks us to plan deletions; we answer with a null plan.
    return { plan_destroy: true, get_provider_schema_optional: false, move_resource_state: move };
  }

  private client(peer: string): unknown {
    if (!this.sessions.has(peer)) throw new TfPluginError("resource", "provider is not configured: terraform must call ConfigureProvider first on this connection");
    return this.sessions.get(peer);
  }

  private resource(typeName: string): Typed<AnyResource> {
    const r = this.resources.get(typeName);
    if (!r) throw new TfPluginError("not_found", `this provider has no resource type ${typeName}`);
    return r;
  }

  private dataSource(typeName: string): Typed<AnyDataSource> {
    const d = this.dataSources.get(typeName);
    if (!d) throw new TfPluginError("not_found", `this provider has no data source ${typeName}`);
    return d;
  }
}
