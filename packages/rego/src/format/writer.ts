import type { Comment } from "./source.js";

/**
 * The output side of the formatter: lines indented with tabs, and the source's comments put
 * back by row, as `opa fmt` does. A comment on the row of the thing being written waits for
 * the end of the current line; comments on earlier rows are written on their own lines first.
 */
export class LineWriter {
  private out = "";
  private level = 0;
  /** Whether the current line has been started (indentation written). */
  inline = false;
  private lineEnd: Comment | undefined;
  /**
   * End-of-line comments that arrived for a line which already has one: written on lines of
   * their own right after it, never joined into one comment (`# a # b` would read as one).
   */
  private overflow: Comment[] = [];
  /** While set, a pending end-of-line comment stays for the next line end (multi-line openers). */
  private delay = false;
  private lineStart = 0;

  constructor(private comments: Comment[]) {}

  write(s: string): void { this.out += s; }
  up(): void { this.level++; }
  down(): void { this.level = Math.max(0, this.level - 1); }

  startLine(): void {
    this.inline = true;
    this.lineStart = this.out.length;
    this.out += "\t".repeat(this.level);
  }

  endLine(): void {
    this.inline = false;
    let after: Comment[] = [];
    if (this.lineEnd && !this.delay) {
      this.out += " #" + this.lineEnd.text;
      this.lineEnd = undefined;
      after = this.overflow;
      this.overflow = [];
    }
    this.delay = false;
    this.out += "\n";
    for (const c of after) this.out += "\t".repeat(this.level) + "#" + c.text + "\n";
  }

  /** Removes and returns the comment on `row`, if any (a line that writes its own comment). */
  takeComment(row: number): Comment | undefined {
    const i = this.comments.findIndex((c) => c.row === row);
    if (i < 0) return undefined;
    const [c] = this.comments.splice(i, 1);
    return c;
  }

  /** Makes `c` the end-of-line comment of the line about to be written. */
  endLineWith(c: Comment): void {
    if (this.lineEnd) this.overflow.push(c);
    else this.lineEnd = c;
  }

  blankLine(): void {
    if (this.inline) this.endLine();
    this.out += "\n";
  }

  /** Keeps a pending end-of-line comment for the line after the one about to end. */
  delayLineEnd(): void { this.delay = true; }

  private writeCommentLines(list: Comment[]): void {
    list.forEach((c, i) => {
      if (i > 0 && c.row - list[i - 1]!.row > 1) this.blankLine();
      if (!this.inline) this.startLine();
      this.out += "#" + c.text;
      this.endLine();
    });
  }

  /**
   * Writes the comments above `row`, keeping one blank line where the source had a gap before
   * `row`, and holds a comment on `row` itself for the end of the line.
   */
  insertComments(row: number): void {
    if (this.comments.length === 0) return;
    let n = 0;
    while (n < this.comments.length && this.comments[n]!.row < row) n++;
    const before = this.comments.slice(0, n);
    let rest = this.comments.slice(n);
    if (before.length > 0) {
      const wasInline = this.inline;
      if (this.inline && this.out.slice(this.lineStart).trim() === "") {
        // Only indentation so far: the comments take this line's place.
        this.out = this.out.slice(0, this.lineStart);
        this.inline = false;
      } else if (this.inline) this.endLine();
      this.writeCommentLines(before);
      if (row - before[before.length - 1]!.row > 1) this.blankLine();
      if (wasInline) this.startLine();
    }
    if (rest[0]?.row === row) {
      const c = rest[0];
      rest = rest.slice(1);
      if (this.lineEnd && this.lineEnd !== c) this.overflow.push(c);
      else this.lineEnd = c;
    }
    this.comments = rest;
  }

  /** Whether a comment not yet written sits on a row strictly between `from` and `to`. */
  hasCommentBetween(from: number, to: number): boolean {
    return this.comments.some((c) => c.row > from && c.row < to);
  }

  /**
   * Writes source text as it is (a term `opa fmt` leaves unformatted): the comments on its rows
   * before `lastRow` are part of it; one on `lastRow` ends the line.
   */
  writeRaw(text: string, lastRow: number): void {
    this.out += text;
    this.comments = this.comments.filter((c) => c.row >= lastRow);
    this.insertComments(lastRow);
  }

  /** Comments left after the last rule, each on its own line. */
  finish(): string {
    if (this.inline) this.endLine();
    if (this.comments.length > 0) {
      this.writeCommentLines(this.comments);
      this.comments = [];
    }
    return this.out.replace(/\n+$/, "") + "\n";
  }
}
