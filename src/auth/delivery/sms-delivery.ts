import { Logger } from '@nestjs/common';
import type { TypePasswordlessSmsDeliveryInput } from 'supertokens-node/recipe/passwordless/types';
import { AuthConfigError } from '../auth-options.validation.js';
import type { DeliveredMessage, DeliveryInbox } from './delivery-inbox.js';
import { describeForConsole } from './email-delivery.js';

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

const logger = new Logger('AuthDelivery');

/** The `smsDelivery.service` for the chosen option; `console` is refused in production unless allowed. */
export function smsService(
  option: SmsDeliveryOption,
  inbox: DeliveryInbox,
  allowConsoleInProduction = false,
): SmsService {
  if (option === 'inbox')
    return { sendSms: (input) => Promise.resolve(inbox.record(describeSms(input))) };
  if (option === 'console') {
    if (process.env.NODE_ENV === 'production' && !allowConsoleInProduction) {
      throw new AuthConfigError(
        "AuthModule: smsDelivery is 'console' with NODE_ENV=production, so sign-in codes would be printed " +
          'to your logs. Fix: pass smsDelivery: your SmsSender (e.g. Twilio), or set ' +
          'allowConsoleDeliveryInProduction: true for a demo.',
      );
    }
    return {
      sendSms: (input) => {
        logger.log(describeForConsole(describeSms(input)));
        return Promise.resolve();
      },
    };
  }
  return { sendSms: (input) => option.sendSms(input) };
}
