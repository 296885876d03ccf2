/**
 * The starter for exercise tls/validity-dates: the text that takes the place
 * of the `exercise:validity-dates` region in src/kernel/net/pki/chain.ts.
 */
export const starter = `function checkValidityPeriods(path: Certificate[], { now }: ValidationOptions): Problem | null {
  // TODO (exercise tls/validity-dates): RFC 5280 section 6.1.3 (a)(2).
  //
  // now and every certificate's notBefore and notAfter are Unix seconds. For each
  // certificate of the path, leaf first: after notAfter is a Problem with failure
  // 'expired', before notBefore one with failure 'not-yet-valid'; each message names
  // the certificate (certificate.subject.text), the date (formatUnixSeconds) and now.
  // null: every certificate is valid now.
  return null;
}`;
