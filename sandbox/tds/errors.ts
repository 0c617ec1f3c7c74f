/**
 * Raised when a client sends bytes that do not form valid TDS. The connection that received them
 * is closed; the process and every other connection carry on.
 */
export class TdsProtocolError extends Error {
  readonly code = 'TDS_PROTOCOL_ERROR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TdsProtocolError';
  }
}
