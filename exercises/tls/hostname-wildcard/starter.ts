/**
 * The starter for exercise tls/hostname-wildcard: the text that takes the
 * place of the `exercise:hostname-wildcard` region in
 * src/kernel/net/pki/hostname.ts.
 */
export const starter = `function matchesPattern(pattern: string, name: string): boolean {
  // TODO (exercise tls/hostname-wildcard): RFC 6125 section 6.4.3.
  //
  // pattern is one DNS name of the certificate's subjectAltName, name the host we
  // connected to, both lower case without a trailing dot.
  // - A pattern without a wildcard matches only the very same name.
  // - '*.example.com' stands for exactly one label: it matches 'www.example.com',
  //   not 'example.com' and not 'a.b.example.com'.
  // - wildcardMayCover(base) says whether a wildcard may stand over base at all
  //   ('*.com' and '*.co.uk' may not).
  return false;
}`;
