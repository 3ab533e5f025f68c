import { Injectable } from '@nestjs/common';

/** What a message was sent for. */
export type DeliveryKind =
  | 'password-reset'
  | 'email-verification'
  | 'passwordless'
  /** A passkey account-recovery link (`webauthn`). */
  | 'passkey-recovery';

/** One email or text message the module sent, as the recipient would read it. */
export interface DeliveredMessage {
  channel: 'email' | 'sms';
  /** Email address or phone number. */
  to: string;
  kind: DeliveryKind;
  /** The link to open, when the message has one (reset, verification, recovery, magic link). */
  link?: string;
  /** The one-time code, when the message has one. */
  code?: string;
  tenantId: string;
  /** Epoch ms. */
  sentAt: number;
}

/** Most messages kept; the oldest go first. */
const INBOX_LIMIT = 1000;

/**
 * Keeps every message sent with the `inbox` delivery, in memory, for tests and local tools:
 * inject it and read the last link or code sent to an address.
 * @example const link = app.get(DeliveryInbox).last('ann@example.com', 'password-reset')?.link;
 */
@Injectable()
export class DeliveryInbox {
  private readonly messages: DeliveredMessage[] = [];

  record(message: DeliveredMessage): void {
    this.messages.push(message);
    if (this.messages.length > INBOX_LIMIT) this.messages.shift();
  }

  /** The newest message to `to` (of `kind`, if given). Addresses compare case-insensitively. */
  last(to: string, kind?: DeliveryKind): DeliveredMessage | undefined {
    const wanted = to.toLowerCase();
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i];
      if (message.to.toLowerCase() === wanted && (kind === undefined || message.kind === kind))
        return message;
    }
    return undefined;
  }

  /** Every message kept, oldest first. */
  all(): readonly DeliveredMessage[] {
    return [...this.messages];
  }

  clear(): void {
    this.messages.length = 0;
  }
}
