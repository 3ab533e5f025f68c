import type { TypePasswordlessSmsDeliveryInput } from 'supertokens-node/recipe/passwordless/types';
import type { DeliveredMessage, DeliveryInbox } from './delivery-inbox.js';
import { builtInDelivery, CONSOLE_REFUSALS } from './built-in-delivery.js';

/** The text messages this module sends through supertokens-node (passwordless codes and links). */
export type AuthSms = TypePasswordlessSmsDeliveryInput & { tenantId: string };

/** A sender of your own: gets the SDK's input with the code and/or link in it. */
export interface SmsSender {
  sendSms(sms: AuthSms): Promise<void>;
}

/**
 * How text messages go out: `console` (one marked line, development), `inbox` (the injectable
 * `DeliveryInbox`, tests) or your own `SmsSender` (e.g. Twilio). Never SuperTokens' hosted service.
 */
export type SmsDeliveryOption = 'console' | 'inbox' | SmsSender;

/** The SDK's `smsDelivery.service` shape. */
export interface SmsService {
  sendSms(input: AuthSms): Promise<void>;
}

export function describeSms(sms: AuthSms, now = Date.now()): DeliveredMessage {
  return {
    channel: 'sms',
    to: sms.phoneNumber,
    kind: 'passwordless',
    tenantId: sms.tenantId,
    sentAt: now,
    ...(sms.userInputCode !== undefined && { code: sms.userInputCode }),
    ...(sms.urlWithLinkCode !== undefined && { link: sms.urlWithLinkCode }),
  };
}

/** The `smsDelivery.service` for the chosen option; `console` is refused in production unless allowed. */
export function smsService(
  option: SmsDeliveryOption,
  inbox: DeliveryInbox,
  allowConsoleInProduction = false,
): SmsService {
  if (typeof option === 'object') return { sendSms: (input) => option.sendSms(input) };
  const refusal = CONSOLE_REFUSALS.smsDelivery;
  return {
    sendSms: builtInDelivery(option, describeSms, inbox, refusal, allowConsoleInProduction),
  };
}
