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
 * prints the same boot log. The blanks that end lines are then taken out
 * for shipping, and put back in the worker (trimLineEnds).
 *
 * Comments are found by TypeScript's parser, not by pattern: `//` inside a
 * string, a regular expression or a template is code.
 */
import ts from 'typescript';

interface Range {
  readonly pos: number;
  readonly end: number;
}

const parse = (js: string): ts.SourceFile =>
  ts.createSourceFile('module.js', js, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);

const isToken = (node: ts.Node): boolean =>
  node.kind >= ts.SyntaxKind.FirstToken && node.kind <= ts.SyntaxKind.LastToken;

/** Every node and token of `file`, parents first. */
function* nodesOf(file: ts.SourceFile, node: ts.Node = file): Generator<ts.Node> {
  yield node;
  if (isToken(node)) return;
  for (const child of node.getChildren(file)) yield* nodesOf(file, child);
}

/** Every comment in `js`, found as the leading and trailing trivia of its tokens. */
function commentRanges(js: string): Range[] {
  const found = new Map<number, Range>();
  for (const node of nodesOf(parse(js)))
    for (const range of [
      ...(ts.getLeadingCommentRanges(js, node.pos) ?? []),
      ...(ts.getTrailingCommentRanges(js, node.end) ?? []),
    ])
      found.set(range.pos, range);
  return [...found.values()].sort((a, b) => a.pos - b.pos);
}

/** The template literals' text in `js` (head, middle, tail or whole), where a line's end is a string's. */
function templateRanges(js: string): Range[] {
  const file = parse(js);
  const ranges: Range[] = [];
  for (const node of nodesOf(file))
    if (
      node.kind >= ts.SyntaxKind.FirstTemplateToken &&
      node.kind <= ts.SyntaxKind.LastTemplateToken
    )
      ranges.push({ pos: node.getStart(file), end: node.end });
  return ranges;
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

/**
 * `js` without the blanks that end its lines (outside template literals,
 * whose line ends are text): its lines and its code's columns are kept, its
 * size is not. Most of them are comments that stripComments blanked out
 * (a whole line of a doc comment, a comment after the code), and they are
 * not free gzipped: 19 KB of the kernel's 200. The book's build ships a
 * module so trimmed, with the count of blanks it lost, and the machine worker
 * puts them back at the module's end (vite-plugin-kernel.ts), so its size in
 * the kernel image is the same.
 */
export function trimLineEnds(js: string): string {
  const templates = templateRanges(js);
  const inTemplate = (at: number): boolean =>
    templates.some(({ pos, end }) => at > pos && at < end);
  return js.replace(/[ \t]+(?=\r?\n|$)/g, (blanks, at: number) =>
    inTemplate(at + blanks.length) ? blanks : '',
  );
}
