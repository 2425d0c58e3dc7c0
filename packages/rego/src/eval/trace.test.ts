import { describe, expect, it } from "vitest";
import { compile, formatTrace, traceJSON } from "../index.js";

const source = `package spacelift
deny contains msg if {
  some rc in input.resources
  rc.public
  trace(sprintf("public: %s", [rc.id]))
  msg := sprintf("%s is public", [rc.id])
}
allow if {
  count(deny) == 0
}
`;

const input = { resources: [{ id: "a", public: true }, { id: "b", public: false }] };

describe("explain: OPA's evaluation trace", () => {
  const explained = compile({ modules: [{ file: "plan.rego", source }] }).prepare("data.spacelift.allow").explain({ input });

  it("gives the same results as eval", () => {
    expect(explained.results).toEqual([]);
  });

  it("prints every event in opa eval --explain full's layout", () => {
    expect(formatTrace(explained.trace, "full")).toBe([
      "query:1         Enter data.spacelift.allow",
      "query:1         | Eval data.spacelift.allow",
      "query:1         | Index data.spacelift.allow (matched 1 rule, early exit)",
      "plan.rego:8     | Enter data.spacelift.allow",
      "plan.rego:9     | | Eval count(data.spacelift.deny) == 0",
      "plan.rego:9     | | Index data.spacelift.deny (matched 1 rule)",
      "plan.rego:2     | | Enter data.spacelift.deny",
      "plan.rego:3     | | | Eval some rc in input.resources",
      "plan.rego:4     | | | Eval rc.public",
      'plan.rego:5     | | | Eval trace(sprintf("public: %s", [rc.id]))',
      'plan.rego:5     | | | Note "public: a"',
      'plan.rego:6     | | | Eval msg := sprintf("%s is public", [rc.id])',
      "plan.rego:2     | | | Exit data.spacelift.deny",
      "plan.rego:2     | | Redo data.spacelift.deny",
      "plan.rego:3     | | | Redo some rc in input.resources",
      "plan.rego:4     | | | Eval rc.public",
      "plan.rego:4     | | | Fail rc.public",
      "plan.rego:9     | | Fail count(data.spacelift.deny) == 0",
      "query:1         | Fail data.spacelift.allow",
      "",
    ].join("\n"));
  });

  it("traces rule and function lookups (Index) and unifications with bound vars as values (Unify)", () => {
    const src = `package p
admin(u) if u.role == "admin"
level := 1 if input.x < 0
level := 2 if input.x > 5
ok if {
  x := input.x
  x = 7
  admin(input.user)
  level == 2
}
`;
    const trace = compile({ modules: [{ file: "p.rego", source: src }] }).prepare("data.p.ok").explain({ input: { x: 7, user: { role: "admin" } } }).trace;
    const lines = formatTrace(trace, "debug").split("\n").map((l) => l.replace(/^\S+\s+/, ""));
    expect(lines).toContain("| | Index data.p.admin (matched 1 rule, early exit)");
    // Two complete rules with different values: OPA cannot stop at the first.
    expect(lines).toContain("| | Index data.p.level (matched 2 rules)");
    expect(lines).toContain("| | Unify x = input.x");
    expect(lines).toContain("| | Unify 7 = 7");
    const index = traceJSON(trace).find((e) => (e as { Op: string }).Op === "Index") as { Ref: unknown; Message: string };
    expect(index.Message).toBe("(matched 1 rule, early exit)");
    expect(index.Ref).toEqual([{ type: "var", value: "data" }, { type: "string", value: "p" }, { type: "string", value: "ok" }]);
  });

  // OPA's getRules (topdown/eval.go) counts the rules its index (ast/index.go) returns: rules
  // pinning input paths or function arguments to constants that differ from the input's are
  // not handed to the evaluator; "early exit" when the matched rules share one ground value.
  describe("Index counts the rules OPA's rule index matches", () => {
    const indexed = `package idx
allow if input.role == "admin"
allow if input.role = "ops"
allow if input.user == "alice"
allow if { input.role == "dev"; input.user == "bob" }
allow if startswith(input.user, "svc-")
kind("s3") := "storage"
kind("ec2") := "compute"
kind(x) := "database" if x == "rds"
kind(x) := "other" if not x in {"s3", "ec2", "rds"}
level := 1 if input.role == "admin"
level := x if { input.role == "dev"; x := 2 }
q if { allow; kind(input.t) == "compute"; level }
`;
    const p = compile({ modules: [{ file: "idx.rego", source: indexed }] }).prepare("data.idx.q");
    const indexLines = (input: unknown): string[] =>
      formatTrace(p.explain({ input }).trace, "full").split("\n").filter((l) => l.includes(" Index ")).map((l) => l.replace(/^\S+\s+(\| )*/, ""));

    it("leaves out rules whose constant differs from the input, or whose path is undefined", () => {
      expect(indexLines({ role: "admin", user: "carol", t: "ec2" })).toEqual([
        "Index data.idx.q (matched 1 rule, early exit)",
        // role == "admin" and the unindexed startswith rule; not "ops", "alice" or "dev"+"bob".
        "Index data.idx.allow (matched 2 rules, early exit)",
        // kind("ec2") and the rule with a negation (not indexable); not "s3", not x == "rds".
        "Index data.idx.kind (matched 2 rules)",
        "Index data.idx.level (matched 1 rule, early exit)",
      ]);
      expect(indexLines({ role: "dev", user: "bob", t: "ec2" })).toContain("Index data.idx.allow (matched 2 rules, early exit)");
      // No role, no user: only the rule that pins neither.
      expect(indexLines({ t: "rds" })).toEqual(["Index data.idx.q (matched 1 rule, early exit)", "Index data.idx.allow (matched 1 rule, early exit)"]);
    });

    it("needs a naked ref, or a ref unified with a var, to be defined (OPA's any value)", () => {
      const src = `package n
allow if input.admin
allow if { t := input.tier; t != "free" }
allow if { print("checking"); input.role == "x" }
`;
      const q = compile({ modules: [{ file: "n.rego", source: src }] }).prepare("data.n.allow");
      const count = (input: unknown): string | undefined =>
        formatTrace(q.explain({ input }).trace, "full").split("\n").find((l) => l.includes("Index data.n.allow"))?.replace(/^.*Index /, "");
      // The print rule is never indexed; the others need their paths defined, whatever the value.
      expect(count({})).toBe("data.n.allow (matched 1 rule, early exit)");
      expect(count({ admin: false })).toBe("data.n.allow (matched 2 rules, early exit)");
      expect(count({ admin: false, tier: "free" })).toBe("data.n.allow (matched 3 rules, early exit)");
    });

    it("gives no early exit when the matched values are not one constant", () => {
      // level := x is not ground: OPA cannot stop at the first rule.
      expect(indexLines({ role: "dev", user: "bob", t: "ec2" })).toContain("Index data.idx.level (matched 1 rule)");
    });

    it("never changes the result", () => {
      for (const input of [{ role: "admin", t: "ec2" }, { role: "dev", user: "bob", t: "ec2" }, { user: "svc-a", t: "s3" }]) {
        expect(p.explain({ input }).results).toEqual(p.eval({ input }));
      }
    });
  });

  it("shows Unify events with --explain debug only, as OPA's lineage.Full drops them", () => {
    expect(formatTrace(explained.trace, "full")).not.toContain("Unify");
    expect(formatTrace(explained.trace, "debug")).toContain('| | | Unify msg = sprintf("%s is public", [rc.id])');
  });

  it("keeps each note or failure with the rules that led to it (notes, fails)", () => {
    expect(formatTrace(explained.trace, "notes")).toBe([
      "query:1         Enter data.spacelift.allow",
      "plan.rego:8     | Enter data.spacelift.allow",
      "plan.rego:2     | | Enter data.spacelift.deny",
      'plan.rego:5     | | | Note "public: a"',
      "",
    ].join("\n"));
    const fails = formatTrace(explained.trace, "fails");
    expect(fails).toContain("plan.rego:4     | | | Fail rc.public\n");
    expect(fails).toContain("query:1         | Fail data.spacelift.allow\n");
    expect(fails).not.toContain("Eval");
  });

  it("traces comprehension bodies as queries of their own, filtering ones included", () => {
    const src = 'package t\nmissing := {t | some t in {"a", "b"}; not input.tags[t]}\nnames := [n | some n in input.names; n != "x"]\n';
    const p = compile({ modules: [{ file: "t.rego", source: src }] });
    const missing = formatTrace(p.prepare("data.t.missing").explain({ input: { tags: { a: 1 } } }).trace, "full");
    expect(missing).toContain("t.rego:2     | Enter some t in {\"a\", \"b\"}; not input.tags[t]\n");
    expect(missing).toContain("t.rego:2     | | Fail not input.tags[t]\n");
    const names = p.prepare("data.t.names").explain({ input: { names: ["x", "y"] } });
    expect(names.results[0]?.expressions[0]?.value).toEqual(p.eval("data.t.names", { input: { names: ["x", "y"] } })[0]?.expressions[0]?.value);
    expect(formatTrace(names.trace, "fails")).toContain("Fail n != \"x\"");
  });

  it("encodes events as opa eval --format json does: OPA's field names, JSON AST nodes, locals", () => {
    const events = traceJSON(explained.trace) as { Op: string; Node: unknown; Locals: { name: string; type: string; value: unknown }[] | null }[];
    const ruleEnter = events.find((e) => e.Op === "Enter" && (e.Node as { head?: unknown }).head !== undefined)!;
    expect(ruleEnter.Node).toMatchObject({ head: { name: "allow", value: { type: "boolean", value: true } } });
    // After `some rc in input.resources` bound rc, the next expression's event carries it.
    const evalPublic = events.find((e) => e.Op === "Eval" && JSON.stringify(e.Node).includes('"public"'))!;
    expect(evalPublic.Locals).toEqual([{ name: "rc", type: "object", value: { id: "a", public: true } }]);
    expect(evalPublic.Node).toEqual({ index: 1, terms: { type: "ref", value: [{ type: "var", value: "rc" }, { type: "string", value: "public" }] } });
  });

  it("records nothing when not explaining, and trace() is true either way", () => {
    const p = compile({ modules: [{ file: "t.rego", source: 'package t\nx if trace("hi")' }] }).prepare("data.t.x");
    expect(p.eval()[0]?.expressions[0]?.value).toBe(true);
    expect(formatTrace(p.explain().trace, "notes")).toContain('Note "hi"');
  });
});
