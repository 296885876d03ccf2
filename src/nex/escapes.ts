/**
 * Backslash escapes in `--type` text, so a shell command line can carry
 * control characters: \n \r \t \e (ESC) \\ and \xNN.
 */
const SIMPLE: Record<string, string> = { n: '\n', r: '\r', t: '\t', e: '\x1b', '\\': '\\' };

export function unescapeTyped(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|[nrte\\])/g, (_, code: string) =>
    code.startsWith('x') ? String.fromCharCode(parseInt(code.slice(1), 16)) : SIMPLE[code]!,
  );
}
