/**
 * Serving the built book: files under the base path it was built for, and
 * the pre-compressed copy when the client accepts its encoding.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptsEncoding, pickEncoding, resolveFile } from '../../src/classroom/static-files';

function builtBook(): string {
  const root = mkdtempSync(join(tmpdir(), 'static-files-'));
  mkdirSync(join(root, 'boot'));
  writeFileSync(join(root, 'index.html'), 'front');
  writeFileSync(join(root, 'boot', 'index.html'), 'boot');
  writeFileSync(join(root, 'app.js'), 'code');
  writeFileSync(join(root, 'app.js.br'), 'br');
  writeFileSync(join(root, 'app.js.gz'), 'gz');
  writeFileSync(join(root, 'plain.css'), 'css');
  return root;
}

describe('resolveFile', () => {
  const root = builtBook();

  it('serves a book built for the root from the root', () => {
    expect(resolveFile(root, '/boot/')).toBe(join(root, 'boot', 'index.html'));
    expect(resolveFile(root, '/app.js?x=1')).toBe(join(root, 'app.js'));
  });

  it('serves a book built under /book/ only under that path', () => {
    expect(resolveFile(root, '/book/boot/', '/book/')).toBe(join(root, 'boot', 'index.html'));
    expect(resolveFile(root, '/book', '/book/')).toBe(join(root, 'index.html'));
    expect(resolveFile(root, '/book/', '/book/')).toBe(join(root, 'index.html'));
    expect(resolveFile(root, '/boot/', '/book/')).toBeNull();
    expect(resolveFile(root, '/bookish/', '/book/')).toBeNull();
  });

  it('refuses paths that leave the root, and malformed escapes', () => {
    expect(resolveFile(root, '/book/../../etc/passwd', '/book/')).toBeNull();
    expect(resolveFile(root, '/%E0%A4%A', '/')).toBeNull();
  });
});

describe('pre-compressed copies', () => {
  const root = builtBook();
  const app = join(root, 'app.js');

  it('reads Accept-Encoding with its q-values', () => {
    expect(acceptsEncoding('gzip, deflate, br', 'br')).toBe(true);
    expect(acceptsEncoding('gzip;q=1.0, br;q=0', 'br')).toBe(false);
    expect(acceptsEncoding('GZIP', 'gzip')).toBe(true);
    expect(acceptsEncoding(undefined, 'gzip')).toBe(false);
    expect(acceptsEncoding('x-gzip', 'gzip')).toBe(false);
  });

  it('prefers brotli, then gzip, then the file itself', () => {
    expect(pickEncoding(app, 'gzip, br')).toEqual({ path: `${app}.br`, encoding: 'br' });
    expect(pickEncoding(app, 'gzip')).toEqual({ path: `${app}.gz`, encoding: 'gzip' });
    expect(pickEncoding(app, 'identity')).toEqual({ path: app, encoding: null });
    expect(pickEncoding(app, undefined)).toEqual({ path: app, encoding: null });
  });

  it('sends the file itself when it has no compressed copy', () => {
    const css = join(root, 'plain.css');
    expect(pickEncoding(css, 'br, gzip')).toEqual({ path: css, encoding: null });
  });
});
