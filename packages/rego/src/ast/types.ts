import type { Value } from "../value/index.js";
import type { Location } from "../errors.js";

/** A term of the Rego language, as parsed (after compilation refs to rules are absolute). */
export type Term =
  | ScalarTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | CallTerm
  | ArrayCompTerm
  | SetCompTerm
  | ObjectCompTerm
  | TemplateTerm;

/** null, boolean, number or string literal. */
export interface ScalarTerm { type: "scalar"; value: Value; loc: Location }
/** A variable; `_` is parsed into a fresh, unique wildcard name starting with `$`. */
export interface VarTerm { type: "var"; name: string; loc: Location }
/** `head.path[...]`: head is a var (`data`, `input`, a local) or, rarely, a composite term. */
export interface RefTerm { type: "ref"; head: Term; path: Term[]; loc: Location }
export interface ArrayTerm { type: "array"; items: Term[]; loc: Location }
export interface ObjectTerm { type: "object"; entries: [Term, Term][]; loc: Location }
export interface SetTerm { type: "set"; items: Term[]; loc: Location }
/** A call of a builtin or function: `op` is the dotted name (`count`, `data.pkg.f`). */
export interface CallTerm { type: "call"; op: string; opRef: Term; args: Term[]; loc: Location }
export interface ArrayCompTerm { type: "arraycomp"; term: Term; body: Body; loc: Location }
export interface SetCompTerm { type: "setcomp"; term: Term; body: Body; loc: Location }
export interface ObjectCompTerm { type: "objectcomp"; key: Term; value: Term; body: Body; loc: Location }
/** String interpolation `$"a {x} b"`: literal parts and embedded terms, in order. */
export interface TemplateTerm { type: "template"; parts: (string | Term)[]; loc: Location }

/** `with target as value` modifier on an expression. */
export interface WithModifier { target: Term; value: Term; loc: Location }

/** One literal of a body. */
export type Expr =
  | { kind: "term"; term: Term; negated: boolean; withs: WithModifier[]; loc: Location }
  | { kind: "unify"; op: "=" | ":="; left: Term; right: Term; negated: boolean; withs: WithModifier[]; loc: Location }
  | { kind: "some"; vars: VarTerm[]; negated: boolean; withs: WithModifier[]; loc: Location }
  | { kind: "somein"; key: Term | undefined; value: Term; domain: Term; negated: boolean; withs: WithModifier[]; loc: Location }
  | { kind: "every"; key: Term | undefined; value: Term; domain: Term; body: Body; negated: boolean; withs: WithModifier[]; loc: Location };

export type Body = Expr[];

/** How a rule contributes to its document. */
export type RuleKind = "complete" | "set" | "function";

/**
 * A rule. `path` is the head reference after the package (`p`, `a.b[x]`); for `set` rules `key`
 * is the element; `value` is the complete/object value (defaults to `true`).
 */
export interface Rule {
  kind: RuleKind;
  path: Term[];
  args: Term[] | undefined;
  key: Term | undefined;
  value: Term;
  body: Body;
  isDefault: boolean;
  /** Rules chained with `else`, tried in order when this one's body is undefined. */
  elses: Rule[];
  /** Whether the value was written with `:=` (v1 assignment) rather than `=` or implicit. */
  assign: boolean;
  loc: Location;
  /** Source text span of the whole rule (rows), for coverage. */
  endRow: number;
  module: Module;
}

export interface Import { path: Term; alias: string | undefined; loc: Location }

export interface Module {
  file: string;
  regoVersion: 0 | 1;
  package: string[];
  packageLoc: Location;
  imports: Import[];
  rules: Rule[];
}
