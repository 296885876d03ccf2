/**
 * TLS alerts (RFC 8446 §6): the two-byte message (level, description) that ends a connection
 * with a reason, and the error the server's parsers and state machine throw to send one.
 *
 * In TLS 1.3 every alert but close_notify and user_canceled is fatal, whatever its level byte
 * says (§6.2); a server that finds fault with what a client sent throws a `TlsAlert` naming the
 * description, and the connection (tls-server.ts) turns it into the alert record and closes.
 */

export const ALERT_LEVEL_WARNING = 1;
export const ALERT_LEVEL_FATAL = 2;

/** The descriptions of §6 (B.2), by name. */
export const ALERT_DESCRIPTIONS = {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  record_overflow: 22,
  handshake_failure: 40,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_revoked: 44,
  certificate_expired: 45,
  certificate_unknown: 46,
  illegal_parameter: 47,
  unknown_ca: 48,
  access_denied: 49,
  decode_error: 50,
  decrypt_error: 51,
  protocol_version: 70,
  insufficient_security: 71,
  internal_error: 80,
  inappropriate_fallback: 86,
  user_canceled: 90,
  missing_extension: 109,
  unsupported_extension: 110,
  unrecognized_name: 112,
  bad_certificate_status_response: 113,
  unknown_psk_identity: 115,
  certificate_required: 116,
  no_application_protocol: 120,
} as const;

export type AlertName = keyof typeof ALERT_DESCRIPTIONS;

export function alertName(description: number): string {
  const entry = Object.entries(ALERT_DESCRIPTIONS).find(([, code]) => code === description);
  return entry ? entry[0] : `alert ${description}`;
}

/** A fault that ends the connection with the alert `alert`; `reason` says what was wrong. */
export class TlsAlert extends Error {
  override readonly name = 'TlsAlert';

  constructor(
    readonly alert: AlertName,
    readonly reason: string,
  ) {
    super(`${alert}: ${reason}`);
  }
}

export function encodeAlert(level: number, description: number): Uint8Array {
  return Uint8Array.of(level, description);
}

/** The alert in a record's content: exactly two bytes (§6). */
export function parseAlert(content: Uint8Array): { level: number; description: number } {
  if (content.length !== 2) {
    throw new TlsAlert('decode_error', `an alert of ${content.length} bytes, not 2`);
  }
  return { level: content[0]!, description: content[1]! };
}
