import type { Rule, Term } from "../ast/types.js";

/**
 * A node of the `data` namespace made of rules: packages and ground rule-path prefixes.
 * Rules hang at the node of their ground prefix; `suffix` of a rule is what remains of its
 * head ref beyond that node (non-empty for object-building ref heads like `p[x].y`).
 */
export class RuleNode {
  readonly children = new Map<string, RuleNode>();
  readonly rules: Rule[] = [];
  /** Default rule (at most one per node). */
  defaultRule: Rule | undefined;

  constructor(readonly path: readonly string[]) {}

  child(name: string): RuleNode {
    let c = this.children.get(name);
    if (!c) { c = new RuleNode([...this.path, name]); this.children.set(name, c); }
    return c;
  }

  get isFunction(): boolean { return this.rules.some((r) => r.kind === "function") || this.defaultRule?.kind === "function"; }
  get hasRules(): boolean { return this.rules.length > 0 || this.defaultRule !== undefined; }

  /** The node at `path` below this one, if any. */
  find(path: readonly string[]): RuleNode | undefined {
    if (path.length === 0) return this;
    let n = this.children.get(path[0]!);
    for (let i = 1; i < path.length && n; i++) n = n.children.get(path[i]!);
    return n;
  }

  /** Every node with rules in this subtree. */
  *ruleNodes(): Iterable<RuleNode> {
    if (this.hasRules) yield this;
    for (const c of this.children.values()) yield* c.ruleNodes();
  }
}

/** Number of leading string segments of a rule's head path. */
export function groundPrefixLength(path: readonly Term[]): number {
  let i = 0;
  while (i < path.length) {
    const p = path[i]!;
    if (p.type !== "scalar" || typeof p.value !== "string") break;
    i++;
  }
  return i;
}

/** Where a rule is stored in the tree: the ground part of `data.<pkg>.<head>`. */
export function ruleNodePath(rule: Rule): string[] {
  const n = groundPrefixLength(rule.path);
  return ["data", ...rule.module.package, ...rule.path.slice(0, n).map((p) => (p as { value: string }).value)];
}

/** Builds the tree of all rules; returns the root (the `data` node). */
export function buildRuleTree(rules: readonly Rule[], packages: readonly (readonly string[])[] = []): RuleNode {
  const root = new RuleNode(["data"]);
  for (const pkg of packages) {
    let node = root;
    for (const p of pkg) node = node.child(p);
  }
  for (const rule of rules) {
    const path = ruleNodePath(rule);
    let node = root;
    for (const p of path.slice(1)) node = node.child(p);
    if (rule.isDefault) node.defaultRule = rule;
    else node.rules.push(rule);
  }
  return root;
}

/** The part of a rule's head beyond its node (empty for complete, set and function rules). */
export function ruleSuffix(rule: Rule): Term[] {
  return rule.path.slice(groundPrefixLength(rule.path));
}
