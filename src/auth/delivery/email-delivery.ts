import type { TypeEmailPasswordEmailDeliveryInput } from 'supertokens-node/recipe/emailpassword/types';
import type { TypeEmailVerificationEmailDeliveryInput } from 'supertokens-node/recipe/emailverification/types';
import type { TypePasswordlessEmailDeliveryInput } from 'supertokens-node/recipe/passwordless/types';
import type { TypeWebauthnEmailDeliveryInput } from 'supertokens-node/recipe/webauthn/types';
import { builtInDelivery, CONSOLE_REFUSALS } from './built-in-delivery.js';
import type { DeliveredMessage, DeliveryInbox } from './delivery-inbox.js';

/** The emails this module sends through supertokens-node (its `emailDelivery.service` input). */
export type AuthEmail = (
  | TypeEmailPasswordEmailDeliveryInput
  | TypeEmailVerificationEmailDeliveryInput
  | TypePasswordlessEmailDeliveryInput
  | TypeWebauthnEmailDeliveryInput
) & {
  tenantId: string;
};

/** A sender of your own (SMTP, an email API, ...): gets the SDK's input with the link in it. */
export interface EmailSender {
  sendEmail(email: AuthEmail): Promise<void>;
}

/**
 * How emails go out: `console` prints one marked line (development), `inbox` keeps them in the
 * injectable `DeliveryInbox` (tests), or your own `EmailSender`. Never SuperTokens' hosted service.
 */
export type EmailDeliveryOption = 'console' | 'inbox' | EmailSender;

/** What the recipient reads: where it went, what for, and the link it carries. */
export function describeEmail(email: AuthEmail, now = Date.now()): DeliveredMessage {
  if (email.type === 'PASSWORDLESS_LOGIN') {
    return {
      channel: 'email',
      to: email.email,
      kind: 'passwordless',
      tenantId: email.tenantId,
      sentAt: now,
      ...(email.userInputCode !== undefined && { code: email.userInputCode }),
      ...(email.urlWithLinkCode !== undefined && { link: email.urlWithLinkCode }),
    };
  }
  const base = {
    channel: 'email' as const,
    to: email.user.email,
    tenantId: email.tenantId,
    sentAt: now,
  };
  switch (email.type) {
    case 'PASSWORD_RESET':
      return { ...base, kind: 'password-reset', link: email.passwordResetLink };
    case 'RECOVER_ACCOUNT':
      return { ...base, kind: 'passkey-recovery', link: email.recoverAccountLink };
    default:
      return { ...base, kind: 'email-verification', link: email.emailVerifyLink };
  }
}

/** The SDK's `emailDelivery.service` shape, for every recipe this module sends email for. */
export interface EmailService {
  sendEmail(input: AuthEmail): Promise<void>;
}

/**
 * The `emailDelivery.service` handed to the SDK's recipes for the chosen option. `console` is
 * refused with NODE_ENV=production (links would land in logs) unless explicitly allowed.
 */
export function emailService(
  option: EmailDeliveryOption,
  inbox: DeliveryInbox,
  allowConsoleInProduction = false,
): EmailService {
  if (typeof option === 'object') return { sendEmail: (input) => option.sendEmail(input) };
  const refusal = CONSOLE_REFUSALS.emailDelivery;
  return {
    sendEmail: builtInDelivery(option, describeEmail, inbox, refusal, allowConsoleInProduction),
  };
}
