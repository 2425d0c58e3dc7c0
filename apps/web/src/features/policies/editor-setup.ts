import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { syntaxHighlighting } from "@codemirror/language";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";
import { rego } from "./rego-language.js";

/** A problem the server's compile check found, at its row and column (1-based). */
export interface EditorProblem { row: number | null; col: number | null; message: string }

/**
 * Builds the CodeMirror editor (loaded only on the policy page, so the first page stays small).
 * `check` is called as the person types (CodeMirror debounces it) and its problems are shown at
 * their line; Escape then Tab leaves the editor, so keyboard users are not trapped (Tab indents).
 */
export function createRegoEditor(parent: HTMLElement, opts: { doc: string; label: string; onChange: (doc: string) => void; check?: (doc: string) => Promise<EditorProblem[]> }): EditorView {
  const check = opts.check;
  const lint = check
    ? [lintGutter(), linter(async (view) => {
        const problems = await check(view.state.doc.toString());
        return problems.map((p): Diagnostic => {
          const line = view.state.doc.line(Math.min(Math.max(p.row ?? 1, 1), view.state.doc.lines));
          const from = Math.min(line.from + Math.max((p.col ?? 1) - 1, 0), line.to);
          return { from, to: line.to > from ? line.to : from, severity: "error", message: p.message };
        });
      }, { delay: 400 })]
    : [];
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: opts.doc,
      extensions: [
        lineNumbers(),
        history(),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        rego,
        // Token classes (tok-keyword, ...) coloured by styles.css, readable in light and dark schemes
        // (CodeMirror's default style has light-only colours that fail contrast on a dark page).
        syntaxHighlighting(classHighlighter),
        EditorView.contentAttributes.of({ "aria-label": opts.label }),
        EditorView.updateListener.of((u) => { if (u.docChanged) opts.onChange(u.state.doc.toString()); }),
        ...lint,
      ],
    }),
  });
}
