import { errorCode } from '../alerts/channels/delivery-error.js';

/** The receiving server refused the recipient for good (5xx on RCPT): not tried again. */
export class OutboxBounce extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'OutboxBounce';
  }
}

/**
 * Nothing to send any more (the account was disabled or erased, the channel or alert is gone):
 * the row is dropped without a try.
 */
export class OutboxSkip extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'OutboxSkip';
  }
}

/** The code a log and the row may carry: never a message, which may quote an address or a URL. */
export function outboxErrorCode(error: unknown): string {
  if (error instanceof OutboxBounce || error instanceof OutboxSkip) return error.code;
  return errorCode(error);
}
