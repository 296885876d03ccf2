/**
 * TLS alerts (RFC 8446 section 6) and the error every part of the TLS client throws.
 *
 * An alert is two bytes: a level (warning or fatal) and a description. In TLS 1.3 every alert
 * except close_notify and user_canceled is fatal, whatever its level byte says, so the client
 * speaks of alerts by their description only. A `TlsError` carries the description that goes
 * on the wire and, for the reader, a sentence saying what exactly went wrong.
 */

export const ALERT_LEVEL_WARNING = 1;
export const ALERT_LEVEL_FATAL = 2;

/** AlertDescription (RFC 8446 section 6), the values a TLS 1.3 client may meet. */
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
  for (const [name, code] of Object.entries(ALERT_DESCRIPTIONS)) {
    if (code === description) return name;
  }
  return `alert_${description}`;
}

/** What went wrong, named by the alert that reports it. */
export class TlsError extends Error {
  override readonly name = 'TlsError';

  /**
   * @param alert the alert description (sent to the server, or received from it)
   * @param reason a sentence for the reader
   * @param sentByServer true when the server sent this alert to us
   */
  constructor(
    readonly alert: AlertName | string,
    readonly reason: string,
    readonly sentByServer = false,
  ) {
    super(`${alert}: ${reason}`);
  }

  /** The alert's wire value (internal_error for an alert this client does not know). */
  get description(): number {
    const known = ALERT_DESCRIPTIONS as Record<string, number>;
    return known[this.alert] ?? ALERT_DESCRIPTIONS.internal_error;
  }
}

export interface Alert {
  level: number;
  description: number;
}

/** struct { AlertLevel level; AlertDescription description; } Alert; */
export function encodeAlert(alert: Alert): Uint8Array {
  return Uint8Array.of(alert.level, alert.description);
}

export function parseAlert(bytes: Uint8Array): Alert {
  if (bytes.length !== 2) {
    throw new TlsError('decode_error', `Alert: ${bytes.length} bytes, an alert is exactly 2`);
  }
  return { level: bytes[0]!, description: bytes[1]! };
}
