/**
 * Cuts the excerpt a chapter shows out of a source file, at build time.
 *
 * Chapters quote the real kernel, never a copy, so an excerpt is named rather
 * than pasted: a `// #region NAME` … `// #endregion NAME` block, a top-level
 * declaration or a class member by `symbol` (with its doc comment), a `lines`
 * range, or the whole file. Region marker lines never appear in the book, and an indented region
 * is dedented. A name that matches nothing fails the build, so a chapter
 * cannot silently go out of date when the kernel changes.
 */

export interface ExcerptRequest {
  readonly region?: string;
  /** A top-level declaration (`bringUp`) or a class member (`Pic8259Pair.remap`). */
  readonly symbol?: string;
  /** "10-30": 1-based, inclusive. */
  readonly lines?: string;
}

export interface Excerpt {
  readonly code: string;
  /** 1-based line numbers of the excerpt in the file. */
  readonly firstLine: number;
  readonly lastLine: number;
}

const MARKER = /^\s*\/\/ #(end)?region\b/;

function regionRange(lines: string[], name: string): [number, number] {
  const open = lines.findIndex((line) => line.trim() === `// #region ${name}`);
  const close = lines.findIndex((line, i) => i > open && line.trim() === `// #endregion ${name}`);
  if (open < 0 || close < 0) throw new Error(`no region '${name}'`);
  return [open + 1, close - 1];
}

/** The line where the doc comment just above line `start` begins (or `start` if there is none). */
function withDocComment(lines: string[], start: number): number {
  if (!lines[start - 1]?.trim().endsWith('*/')) return start;
  let first = start - 1;
  while (first > 0 && !lines[first]!.trim().startsWith('/**')) first--;
  return first;
}

/** Where a top-level declaration of `name` starts (its doc comment included) and ends. */
function symbolRange(lines: string[], name: string): [number, number] {
  const declaration = new RegExp(
    `^(export\\s+)?(default\\s+)?(async\\s+)?(function\\*?|class|const|let|interface|type|enum)\\s+${name}\\b`,
  );
  const start = lines.findIndex((line) => declaration.test(line));
  if (start < 0) throw new Error(`no top-level declaration of '${name}'`);
  const first = withDocComment(lines, start);
  if (/[;,]\s*$/.test(lines[start]!) && !/[{[(]\s*$/.test(lines[start]!)) return [first, start];
  const end = lines.findIndex((line, i) => i > start && /^[}\])]/.test(line));
  if (end < 0) throw new Error(`cannot find the end of '${name}'`);
  return [first, end];
}

/** `Class.member`: a method (or accessor) of a top-level class, with its doc comment. */
function memberRange(lines: string[], className: string, member: string): [number, number] {
  const [classStart, classEnd] = symbolRange(lines, className);
  const declaration = new RegExp(
    `^(\\s+)((private|protected|public|static|async|get|set|override|readonly)\\s+)*\\*?${member}\\s*[(<]`,
  );
  let start = -1;
  let indent = '';
  for (let i = classStart; i <= classEnd && start < 0; i++) {
    const match = declaration.exec(lines[i]!);
    if (match) [start, indent] = [i, match[1]!];
  }
  if (start < 0) throw new Error(`class ${className} has no member '${member}'`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith(`${indent}}`));
  return [withDocComment(lines, start), end];
}

function lineRange(lines: string[], spec: string): [number, number] {
  const match = /^(\d+)\s*-\s*(\d+)$/.exec(spec);
  if (!match) throw new Error(`lines="${spec}" is not a range like "10-30"`);
  const [first, last] = [Number(match[1]) - 1, Number(match[2]) - 1];
  if (first > last || last >= lines.length)
    throw new Error(`lines="${spec}" is outside the file (${lines.length} lines)`);
  return [first, last];
}

function dedent(lines: string[]): string[] {
  const indents = lines
    .filter((line) => line.trim() !== '')
    .map((line) => /^[ \t]*/.exec(line)![0].length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common));
}

export function excerpt(file: string, source: string, request: ExcerptRequest): Excerpt {
  const lines = source.replace(/\n$/, '').split('\n');
  let range: [number, number];
  try {
    if (request.region) range = regionRange(lines, request.region);
    else if (request.symbol?.includes('.'))
      range = memberRange(lines, ...(request.symbol.split('.') as [string, string]));
    else if (request.symbol) range = symbolRange(lines, request.symbol);
    else if (request.lines) range = lineRange(lines, request.lines);
    else range = [0, lines.length - 1];
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const [first, last] = range;
  const shown = lines.slice(first, last + 1).filter((line) => !MARKER.test(line));
  return { code: dedent(shown).join('\n'), firstLine: first + 1, lastLine: last + 1 };
}
