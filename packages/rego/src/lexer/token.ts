/** Kinds of token the Rego lexer produces. */
export type TokenKind = "ident" | "number" | "string" | "template" | "op" | "eof";

/** A part of an interpolated string: literal text, or the source of an embedded expression. */
export type TemplatePart = { text: string } | { expr: string; row: number; col: number };

export interface Token {
  kind: TokenKind;
  /** Source text (for strings: the decoded value; for ops and idents: the spelling). */
  text: string;
  row: number;
  col: number;
  /** Whether a newline separates this token from the previous one. */
  nl: boolean;
  /** Whether whitespace separates this token from the previous one. */
  ws: boolean;
  parts?: TemplatePart[];
  raw?: boolean;
}
