import { StreamLanguage, type StreamParser } from "@codemirror/language";

const KEYWORDS = new Set(["package", "import", "default", "not", "with", "as", "some", "every", "in", "if", "contains", "else"]);
const ATOMS = new Set(["true", "false", "null"]);

/**
 * Rego for CodeMirror as a stream tokenizer: comments, strings (double-quoted and raw), numbers,
 * keywords and operators. Enough to read a policy at a glance; the server's compile check is the
 * judge of what the text means.
 */
const parser: StreamParser<{ inRaw: boolean }> = {
  name: "rego",
  startState: () => ({ inRaw: false }),
  token(stream, state) {
    if (state.inRaw) {
      if (stream.skipTo("`")) { stream.next(); state.inRaw = false; } else stream.skipToEnd();
      return "string";
    }
    if (stream.eatSpace()) return null;
    if (stream.match("#")) { stream.skipToEnd(); return "comment"; }
    if (stream.match("`")) { state.inRaw = true; return "string"; }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
    if (stream.match(/^-?\d+(\.\d+)?([eE][+-]?\d+)?/)) return "number";
    if (stream.match(/^[A-Za-z_][A-Za-z0-9_]*/)) {
      const w = stream.current();
      if (KEYWORDS.has(w)) return "keyword";
      if (ATOMS.has(w)) return "atom";
      if (w === "input" || w === "data") return "variableName.special";
      return stream.peek() === "(" ? "function" : "variableName";
    }
    if (stream.match(/^(:=|==|!=|<=|>=|[=<>+\-*/%|&])/)) return "operator";
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: "#" } },
};

export const rego = StreamLanguage.define(parser);
