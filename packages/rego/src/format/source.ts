import { tokenize } from "../lexer/lexer.js";
import type { Token } from "../lexer/token.js";
import type { Location } from "../errors.js";

/** A `#` comment: where it starts and its text after the `#`, trailing whitespace trimmed (as opa fmt does). */
export interface Comment { row: number; col: number; text: string }

/**
 * What the formatter needs from the source beyond the AST: the AST keeps only start locations
 * and decoded values, while `opa fmt` keeps string and number literals as written, lays out
 * by rows, and puts comments back. Rows and columns count UTF-16 units, as the lexer does.
 */
export class SourceText {
  private readonly lineStarts: number[] = [0];
  readonly comments: Comment[] = [];
  private readonly tokens: Token[];
  private readonly tokenAt = new Map<string, number>();

  constructor(readonly text: string, file: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
    this.scanComments();
    this.tokens = tokenize(text, file);
    this.tokens.forEach((t, i) => this.tokenAt.set(`${t.row}:${t.col}`, i));
  }

  private offset(row: number, col: number): number {
    return (this.lineStarts[row - 1] ?? this.text.length) + col - 1;
  }

  /** The character at a location (`"` tells a quoted key from a generated one). */
  charAt(loc: Location): string { return this.text[this.offset(loc.row, loc.col)] ?? ""; }

  /** The line of source at a row, for layout questions such as "did this line start with else?". */
  line(row: number): string {
    const start = this.lineStarts[row - 1] ?? this.text.length;
    const end = this.lineStarts[row] ?? this.text.length + 1;
    return this.text.slice(start, end - 1);
  }

  /** A string or number literal as written at `loc`, or undefined when none starts there. */
  literal(loc: Location): string | undefined {
    const s = this.text;
    const start = this.offset(loc.row, loc.col);
    const c = s[start];
    if (c === '"') {
      let i = start + 1;
      while (i < s.length && s[i] !== '"') i += s[i] === "\\" ? 2 : 1;
      return s.slice(start, i + 1);
    }
    if (c === "`") {
      const end = s.indexOf("`", start + 1);
      return end < 0 ? undefined : s.slice(start, end + 1);
    }
    const m = /^-?\s*(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(s.slice(start, start + 400));
    return m ? m[0].replace(/\s+/g, "") : undefined;
  }

  /** The index of the token starting at `loc`, if any. */
  tokenIndex(loc: Location): number | undefined { return this.tokenAt.get(`${loc.row}:${loc.col}`); }

  /**
   * Where the bracket `close` matching the first `open` at or after `loc` is: its row and the
   * offset just past it. Undefined when the tokens do not say (no token starts at `loc`).
   */
  closingBracket(loc: Location, open: string, close: string): { row: number; end: number } | undefined {
    let i = this.tokenIndex(loc);
    if (i === undefined) return undefined;
    const tokens = this.tokens;
    const isPunct = (t: Token, text: string): boolean => t.kind !== "string" && t.text === text;
    while (i < tokens.length && !isPunct(tokens[i]!, open)) i++;
    let depth = 0;
    for (; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (isPunct(t, open)) depth++;
      else if (isPunct(t, close) && --depth === 0) return { row: t.row, end: this.offset(t.row, t.col) + close.length };
    }
    return undefined;
  }

  /** The source text from `loc` to `end` (an offset), as written. */
  textFrom(loc: Location, end: number): string { return this.text.slice(this.offset(loc.row, loc.col), end); }

  /** The row where token `i` ends (raw strings span lines). */
  tokenEndRow(i: number): number {
    const t = this.tokens[i]!;
    return t.kind === "string" && t.raw ? t.row + t.text.split("\n").length - 1 : t.row;
  }

  /**
   * The last row of whatever precedes the token at `loc`, skipping the given operator and
   * keyword spellings: the end of the previous literal, or of a rule head before `if {`.
   */
  endRowBefore(loc: Location, skip: readonly string[] = [";"]): number | undefined {
    let i = this.tokenIndex(loc);
    if (i === undefined) return undefined;
    i--;
    while (i >= 0 && skip.includes(this.tokens[i]!.text) && this.tokens[i]!.kind !== "string") i--;
    return i >= 0 ? this.tokenEndRow(i) : undefined;
  }

  /** Whether the token before `loc` is the keyword or operator `text`. */
  tokenBeforeIs(loc: Location, text: string): boolean {
    const i = this.tokenIndex(loc);
    if (i === undefined || i === 0) return false;
    const t = this.tokens[i - 1]!;
    return t.kind !== "string" && t.text === text;
  }

  private scanComments(): void {
    const s = this.text;
    let row = 1;
    let lineStart = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === "\n") { row++; lineStart = i + 1; continue; }
      if (c === '"') {
        i++;
        while (i < s.length && s[i] !== '"' && s[i] !== "\n") i += s[i] === "\\" ? 2 : 1;
        continue;
      }
      if (c === "`") {
        const end = s.indexOf("`", i + 1);
        const stop = end < 0 ? s.length : end;
        for (let j = i + 1; j < stop; j++) if (s[j] === "\n") { row++; lineStart = j + 1; }
        i = stop;
        continue;
      }
      if (c === "#") {
        let end = s.indexOf("\n", i);
        if (end < 0) end = s.length;
        this.comments.push({ row, col: i - lineStart + 1, text: s.slice(i + 1, end).replace(/\s+$/, "") });
        i = end - 1;
      }
    }
  }
}
