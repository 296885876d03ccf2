/**
 * Takes the comments out of a transpiled kernel module, keeping every line
 * where it was, for the pre-transpiled kernel the book ships to its machine
 * worker (vite-plugin-kernel.ts).
 *
 * The kernel is written to be read, so about half of its text is comments;
 * the reader reads them in the chapter and the editor, the machine never
 * does. A minifier would shrink the code further but move its lines, and a
 * kernel's stack frames must point at the line of the TypeScript the reader
 * sees (kernel-loader.ts): V8 does not apply source maps to `error.stack`.
 * So each comment becomes blanks: spaces as many UTF-8 bytes wide as its
 * characters, its line breaks kept. Lines and columns stay (but after a
 * comment's non-ASCII characters on the same line), and so does the
 * module's size in bytes, which the kernel image lays out in the machine's
 * memory (kernel-image.ts): a machine booted on the stripped kernel puts
 * every boot module at the same address as one booted on the sources, and
 * prints the same boot log. The runs of spaces cost almost nothing gzipped.
 *
 * Comments are found by TypeScript's parser, not by pattern: `//` inside a
 * string, a regular expression or a template is code.
 */
import ts from 'typescript';

interface Range {
  readonly pos: number;
  readonly end: number;
}

/** Every comment in `js`, found as the leading and trailing trivia of its tokens. */
function commentRanges(js: string): Range[] {
  const file = ts.createSourceFile(
    'module.js',
    js,
    ts.ScriptTarget.Latest,
    false,
    ts.ScriptKind.JS,
  );
  const found = new Map<number, Range>();
  const collect = (ranges: readonly ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) found.set(range.pos, range);
  };
  const visit = (node: ts.Node): void => {
    collect(ts.getLeadingCommentRanges(js, node.pos));
    collect(ts.getTrailingCommentRanges(js, node.end));
    if (node.kind >= ts.SyntaxKind.FirstToken && node.kind <= ts.SyntaxKind.LastToken) return;
    for (const child of node.getChildren(file)) visit(child);
  };
  visit(file);
  return [...found.values()].sort((a, b) => a.pos - b.pos);
}

/** Spaces as wide in UTF-8 as `text`, its line breaks kept. */
function blankOut(text: string): string {
  return text.replace(/[^\n]/g, (char) => ' '.repeat(encoder.encode(char).length));
}

const encoder = new TextEncoder();

/** `js` with its comments blanked out: the same lines, columns and UTF-8 length. */
export function stripComments(js: string): string {
  let out = '';
  let at = 0;
  for (const { pos, end } of commentRanges(js)) {
    if (pos < at) continue;
    out += js.slice(at, pos) + blankOut(js.slice(pos, end));
    at = end;
  }
  return out + js.slice(at);
}
