/**
 * The public definition API: what a provider author writes.
 *
 * A provider is a set of typed resource and data-source definitions. Each definition has a
 * schema built with the `attr`, `block` and `t` helpers (see `schema/builders.ts`); the
 * handler arguments are typed from that schema.
 */
import type { NumberValue, TfValue, UnknownValue } from "./values.js";

// ---------------------------------------------------------------------------------------
// cty types
// ---------------------------------------------------------------------------------------

/** A cty type in Terraform's own JSON encoding, e.g. `"string"` or `["list","string"]`. */
export type CtyType =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | readonly ["list", CtyType]
  | readonly ["set", CtyType]
  | readonly ["map", CtyType]
  | readonly ["tuple", readonly CtyType[]]
  | readonly ["object", { readonly [name: string]: CtyType }]
  | readonly ["object", { readonly [name: string]: CtyType }, readonly string[]];

/** A cty type plus the TypeScript type of its values (`T` is phantom). Built with `t.*`. */
export interface TypeSpec<T> {
  readonly cty: CtyType;
  /** Set by `t.int`: configuration values must be whole numbers that fit a double exactly. */
  readonly integer?: boolean;
  /** Phantom field carrying the value type; never set at runtime. */
  readonly __value?: T;
}

// ---------------------------------------------------------------------------------------
// Diagnostics and attribute paths
// ---------------------------------------------------------------------------------------

/**
 * A path to an attribute: a string is an attribute name, a number a list/tuple index,
 * `{ key }` a map key. `["rule", 0, "cidr"]` is `rule[0].cidr`.
 */
export type AttributePath = ReadonlyArray<string | number | { readonly key: string }>;

/** A diagnostic Terraform prints; with `path` it points at the offending line. */
export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  readonly path?: AttributePath;
}

/** Collects diagnostics during a call. Errors added here fail the operation. */
export interface Diagnostics {
  error(summary: string, detail?: string, path?: AttributePath): void;
  warning(summary: string, detail?: string, path?: AttributePath): void;
  readonly list: readonly Diagnostic[];
  readonly hasErrors: boolean;
}

/**
 * What a validator may return: nothing (valid), an error message for the validated
 * attribute, or full diagnostics (a diagnostic without `path` gets the attribute's path).
 */
export type ValidationResult = void | undefined | null | string | Diagnostic | readonly Diagnostic[];

/** Context given to an attribute validator. */
export interface ValidateAttributeContext {
  /** Path of the attribute being validated (list indexes included). */
  readonly path: AttributePath;
}

/**
 * Checks one attribute's value. Called only when the value is known and not null.
 * (Method-style type so validators of narrower value types stay assignable.)
 */
export type Validator<T> = { check(value: T, ctx: ValidateAttributeContext): ValidationResult }["check"];

// ---------------------------------------------------------------------------------------
// Attributes and blocks
// ---------------------------------------------------------------------------------------

/** Options common to attributes. Exactly one of required/optional/computed must hold (optional+computed is allowed). */
export interface AttributeOptions<T> {
  readonly description?: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  /** Set by the provider. With `optional`, the provider fills it when the configuration leaves it null. */
  readonly computed?: boolean;
  /** Terraform redacts it in plan output. */
  readonly sensitive?: boolean;
  /** Never stored in plan or state: visible in `config` during apply only (needs `optional` or `required`). */
  readonly writeOnly?: boolean;
  /** Deprecation message shown to users (`true` for a generic one). */
  readonly deprecated?: string | boolean;
  /** Value planned when the configuration leaves it null (the attribute is then also computed). */
  readonly default?: T;
  /** Plan modifier: a change of this attribute replaces the resource. */
  readonly requiresReplace?: boolean;
  /** Plan modifier: on update keep the prior state's value instead of planning it unknown. */
  readonly useStateForUnknown?: boolean;
  /** Validators run in ValidateResourceConfig on known, non-null values. */
  readonly validate?: Validator<T> | readonly Validator<T>[];
}

/** Nesting of a nested attribute or a block. `group` is blocks only. */
export type NestingMode = "single" | "list" | "set" | "map" | "group";

/** An attribute with a cty type. `O` keeps the literal option flags for typing. */
export interface AttributeDef<T, O extends AttributeOptions<T> = AttributeOptions<T>> {
  readonly kind: "attribute";
  readonly type: TypeSpec<T>;
  readonly options: O;
  /** For nested attributes (`attr.nested`): the nested fields and their nesting. */
  readonly nested?: { readonly mode: Exclude<NestingMode, "group">; readonly fields: AttributeFields };
}

/** Options for a block. */
export interface BlockOptions {
  readonly description?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly deprecated?: string | boolean;
}

/** A nested block (`rule { ... }`). `V` is the value type of the whole block field. */
export interface BlockDef<V> {
  readonly kind: "block";
  readonly mode: NestingMode;
  readonly fields: Fields;
  readonly options: BlockOptions;
  /** Phantom field carrying the value type; never set at runtime. */
  readonly __value?: V;
}

/** Any attribute definition. */
export type AnyAttribute = AttributeDef<unknown, AttributeOptions<unknown>>;
/** Any attribute or block definition. */
export type AnyField = AnyAttribute | BlockDef<unknown>;
/** A schema body: attribute and block definitions by name. */
export type Fields = { readonly [name: string]: AnyField };
/** A schema body with attributes only (nested attributes). */
export type AttributeFields = { readonly [name: string]: AnyAttribute };

// ---------------------------------------------------------------------------------------
// Value types inferred from a schema
// ---------------------------------------------------------------------------------------

type IsTrue<X> = X extends true ? true : false;
type HasDefault<O> = O extends { default: infer D } ? ([D] extends [undefined] ? false : true) : false;

/** Value of a field in state (and in a fully known configuration). */
export type StateValueOf<F> =
  F extends AttributeDef<infer T, infer O>
    ? IsTrue<O["required"]> extends true
      ? T
      : HasDefault<O> extends true
        ? T
        : T | null
    : F extends BlockDef<infer V>
      ? V
      : never;

/** Value of a field in a plan: computed attributes may still be unknown. */
export type PlannedValueOf<F> =
  F extends AttributeDef<unknown, infer O> ? (IsTrue<O["computed"]> extends true ? StateValueOf<F> | UnknownValue : StateValueOf<F>) : StateValueOf<F>;

/** An object value of a schema as stored in state: all values known. */
export type StateOf<F extends Fields> = { -readonly [K in keyof F]: StateValueOf<F[K]> };
/** An object value of a schema as planned: computed attributes may be {@link UnknownValue}. */
export type PlannedOf<F extends Fields> = { -readonly [K in keyof F]: PlannedValueOf<F[K]> };
/** A configuration value: what the user wrote (computed-only attributes are null). */
export type ConfigOf<F extends Fields> = StateOf<F>;
/**
 * A configuration being validated: any value may still be unknown (it can depend on other
 * resources), and required values may be unknown too.
 */
export type UnvalidatedConfigOf<F extends Fields> = { -readonly [K in keyof F]: StateValueOf<F[K]> | UnknownValue };

/** What create/update/import/read may return: the attributes to set; others keep their planned/prior value. */
export type StateUpdate<F extends Fields> = Partial<StateOf<F>>;

/** A list/set/map of plain values as the TS type of a nested object. */
export type { NumberValue, TfValue };

// ---------------------------------------------------------------------------------------
// Resources, data sources, providers
// ---------------------------------------------------------------------------------------

/** Fields every handler receives. `C` is what the provider's `configure` returned. */
export interface HandlerContext<C> {
  /** The configured provider client (per Terraform process: configurations never mix). */
  readonly client: C;
  /** Add errors/warnings here; throwing also works (the message becomes an error diagnostic). */
  readonly diagnostics: Diagnostics;
  /** The resource or data source type name, e.g. `aws_s3_bucket`. */
  readonly typeName: string;
}

/** ValidateResourceConfig / ValidateDataResourceConfig: no client (runs before configure). */
export interface ValidateRequest<F extends Fields> {
  readonly config: UnvalidatedConfigOf<F>;
  readonly diagnostics: Diagnostics;
  readonly typeName: string;
}

/** Argument of `create`. */
export interface CreateRequest<F extends Fields, C> extends HandlerContext<C> {
  /** The plan: computed attributes the provider must now fill are {@link UnknownValue}. */
  readonly planned: PlannedOf<F>;
  /** The configuration, including write-only attributes. */
  readonly config: ConfigOf<F>;
}

/** Argument of `update`. */
export interface UpdateRequest<F extends Fields, C> extends HandlerContext<C> {
  readonly prior: StateOf<F>;
  readonly planned: PlannedOf<F>;
  readonly config: ConfigOf<F>;
}

/** Argument of `read` (refresh) and `delete`. */
export interface StateRequest<F extends Fields, C> extends HandlerContext<C> {
  readonly state: StateOf<F>;
}

/** Argument of `import`. */
export interface ImportRequest<C> extends HandlerContext<C> {
  /** The id the user passed to `terraform import` or an `import` block. */
  readonly id: string;
}

/** Argument of the optional custom `plan` hook (runs after defaults and plan modifiers). */
export interface PlanRequest<F extends Fields, C> extends HandlerContext<C> {
  /** Null when the resource is being created. */
  readonly prior: StateOf<F> | null;
  /** The plan computed so far; edit a copy and return it. */
  readonly planned: PlannedOf<F>;
  /** The configuration (values may be unknown while planning). */
  readonly config: UnvalidatedConfigOf<F>;
}

/** What the custom `plan` hook may return. */
export interface PlanResult<F extends Fields> {
  /** Replacement plan (must keep configured values as configured). Omit to keep the computed one. */
  readonly planned?: PlannedOf<F>;
  /** Extra attribute paths whose change forces replacement. */
  readonly requiresReplace?: readonly AttributePath[];
}

/** Argument of `upgradeState`: state written by an older schema version. */
export interface UpgradeStateRequest {
  readonly version: number;
  /** The stored state as parsed JSON (numbers as `number`, or ExactNumber when not exact). */
  readonly state: { [key: string]: TfValue };
}

/** Argument of `moveState`: a `moved` block from another resource type (or provider) into this one. */
export interface MoveStateRequest {
  /** e.g. `registry.terraform.io/hashicorp/aws` */
  readonly sourceProviderAddress: string;
  readonly sourceTypeName: string;
  readonly sourceVersion: number;
  /** The source resource's stored state as parsed JSON. */
  readonly sourceState: { [key: string]: TfValue };
}

/** A managed resource type. */
export interface ResourceDefinition<F extends Fields, C> {
  readonly description?: string;
  /** Schema version stored in state; raise it and add `upgradeState` when the schema changes. */
  readonly version?: number;
  readonly schema: F;
  create(req: CreateRequest<F, C>): Promise<StateUpdate<F>> | StateUpdate<F>;
  /** Refresh: return the current remote object, or null if it no longer exists. */
  read(req: StateRequest<F, C>): Promise<StateUpdate<F> | null> | StateUpdate<F> | null;
  update(req: UpdateRequest<F, C>): Promise<StateUpdate<F>> | StateUpdate<F>;
  delete(req: StateRequest<F, C>): Promise<void> | void;
  /** Import by id: return enough attributes for `read` to find it (usually the id), or null if not found. */
  import?(req: ImportRequest<C>): Promise<StateUpdate<F> | null> | StateUpdate<F> | null;
  /** Whole-resource validation (cross-attribute rules). */
  validate?(req: ValidateRequest<F>): Promise<void> | void;
  /** Custom plan step, after defaults and plan modifiers. */
  plan?(req: PlanRequest<F, C>): Promise<PlanResult<F> | void> | PlanResult<F> | void;
  /** Converts state from an older `version` to the current schema's shape (plain JSON object). */
  upgradeState?(req: UpgradeStateRequest): Promise<{ [key: string]: TfValue }> | { [key: string]: TfValue };
  /**
   * Accepts state moved from another resource type (`moved { from = other_type.x  to = this_type.x }`).
   * Return this type's state, or null when moving from that source is not supported.
   */
  moveState?(req: MoveStateRequest): Promise<StateUpdate<F> | null> | StateUpdate<F> | null;
}

/** Argument of a data source `read`. */
export interface DataSourceReadRequest<F extends Fields, C> extends HandlerContext<C> {
  readonly config: ConfigOf<F>;
}

/** A data source type. */
export interface DataSourceDefinition<F extends Fields, C> {
  readonly description?: string;
  readonly schema: F;
  /** Returns computed attributes; configured ones are kept as given. */
  read(req: DataSourceReadRequest<F, C>): Promise<StateUpdate<F>> | StateUpdate<F>;
  validate?(req: ValidateRequest<F>): Promise<void> | void;
}

/** Argument of the provider's `configure`. */
export interface ConfigureRequest<F extends Fields> {
  readonly config: ConfigOf<F>;
  readonly terraformVersion: string;
  readonly diagnostics: Diagnostics;
}

/** The provider itself. */
export interface ProviderDefinition<F extends Fields, C> {
  /** Provider block schema (`provider "aws" { ... }`). */
  readonly schema: F;
  /**
   * Builds the client handed to every handler. Called once per provider configuration
   * per Terraform process (in reattach mode, once per connecting Terraform).
   */
  configure(req: ConfigureRequest<F>): Promise<C> | C;
  readonly resources: { readonly [typeName: string]: Resource<C> };
  readonly dataSources?: { readonly [typeName: string]: DataSource<C> };
  validate?(req: ValidateRequest<F>): Promise<void> | void;
}

/** A resource definition with its schema type erased (what `provider.resources` holds). */
export interface Resource<C> {
  readonly kind: "resource";
  readonly definition: ResourceDefinition<Fields, C>;
}

/** A data source definition with its schema type erased. */
export interface DataSource<C> {
  readonly kind: "data-source";
  readonly definition: DataSourceDefinition<Fields, C>;
}

/** A complete provider, ready for `serve`. */
export interface Provider {
  readonly kind: "provider";
  readonly definition: ProviderDefinition<Fields, unknown>;
}
