import type { SMTPService } from 'supertokens-node/recipe/emailpassword/emaildelivery';
import type { TwilioService } from 'supertokens-node/recipe/passwordless/smsdelivery';

/** The SDK's SMTP settings (the public `SMTPService` constructor's `smtpSettings`). */
type SMTPServiceConfig = ConstructorParameters<typeof SMTPService>[0]['smtpSettings'];
/** The SDK's Twilio settings (the public `TwilioService` constructor's `twilioSettings`). */
type TwilioServiceConfig = ConstructorParameters<typeof TwilioService>[0]['twilioSettings'];
import EmailPasswordDelivery from 'supertokens-node/recipe/emailpassword/emaildelivery';
import EmailVerificationDelivery from 'supertokens-node/recipe/emailverification/emaildelivery';
import PasswordlessEmailDelivery from 'supertokens-node/recipe/passwordless/emaildelivery';
import PasswordlessSmsDelivery from 'supertokens-node/recipe/passwordless/smsdelivery';
import WebAuthnEmailDelivery from 'supertokens-node/recipe/webauthn/emaildelivery';
import type { DeliveryInbox } from './delivery-inbox.js';
import { type EmailDeliveryOption, type EmailService, emailService } from './email-delivery.js';
import { type SmsDeliveryOption, type SmsService, smsService } from './sms-delivery.js';

export type { SMTPServiceConfig, TwilioServiceConfig };

/** Send emails through your SMTP server with supertokens-node's own SMTP services and templates. */
export interface SmtpDelivery {
  smtp: SMTPServiceConfig;
}

/** Send text messages through Twilio with supertokens-node's own Twilio service. */
export interface TwilioDelivery {
  twilio: TwilioServiceConfig;
}

/** The `emailDelivery.service` of each recipe that sends email. */
export interface EmailServices {
  emailPassword: EmailService;
  emailVerification: EmailService;
  passwordless: EmailService;
  webauthn: EmailService;
}

const isSmtp = (option: EmailDeliveryOption | SmtpDelivery): option is SmtpDelivery =>
  typeof option === 'object' && 'smtp' in option;

const isTwilio = (option: SmsDeliveryOption | TwilioDelivery): option is TwilioDelivery =>
  typeof option === 'object' && 'twilio' in option;

/** One sender for every recipe, or each recipe's own SDK SMTP service (its own templates). */
export function emailServices(
  option: EmailDeliveryOption | SmtpDelivery,
  inbox: DeliveryInbox,
  allowConsoleInProduction?: boolean,
): EmailServices {
  if (isSmtp(option)) {
    const smtpSettings = option.smtp;
    return {
      emailPassword: new EmailPasswordDelivery.SMTPService({ smtpSettings }),
      emailVerification: new EmailVerificationDelivery.SMTPService({
        smtpSettings,
      }),
      passwordless: new PasswordlessEmailDelivery.SMTPService({ smtpSettings }),
      webauthn: new WebAuthnEmailDelivery.SMTPService({ smtpSettings }),
    };
  }
  const shared = emailService(option, inbox, allowConsoleInProduction);
  return {
    emailPassword: shared,
    emailVerification: shared,
    passwordless: shared,
    webauthn: shared,
  };
}

export function smsServiceFor(
  option: SmsDeliveryOption | TwilioDelivery,
  inbox: DeliveryInbox,
  allowConsoleInProduction?: boolean,
): SmsService {
  if (isTwilio(option)) {
    return new PasswordlessSmsDelivery.TwilioService({
      twilioSettings: option.twilio,
    });
  }
  return smsService(option, inbox, allowConsoleInProduction);
}
