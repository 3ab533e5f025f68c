import { Logger } from '@nestjs/common';
import { AuthConfigError } from '../errors/auth.errors.js';
import type { DeliveredMessage, DeliveryInbox } from './delivery-inbox.js';

/** One console line for a message: where, what for, and the code or link. */
export function describeForConsole(message: DeliveredMessage): string {
  const what = [message.code && `code ${message.code}`, message.link].filter(Boolean).join(' ');
  return `${message.channel.toUpperCase()} to ${message.to} (${message.kind}): ${what}`;
}

const logger = new Logger('AuthDelivery');

/** What the production refusal of `console` says for a channel. */
export interface ConsoleRefusal {
  /** The option's name, e.g. `emailDelivery`. */
  option: string;
  /** What would land in the logs. */
  secrets: string;
  /** What to pass instead. */
  instead: string;
}

/** What `console` delivery would leak, per option. */
export const CONSOLE_REFUSALS = {
  emailDelivery: {
    option: 'emailDelivery',
    secrets: 'reset, verification and recovery links',
    instead: 'your EmailSender (SMTP, an email API)',
  },
  smsDelivery: {
    option: 'smsDelivery',
    secrets: 'sign-in codes',
    instead: 'your SmsSender (e.g. Twilio)',
  },
} as const satisfies Record<string, ConsoleRefusal>;

/** Why `console` delivery is refused with NODE_ENV=production, and the fix. */
export const consoleRefusalMessage = (refusal: ConsoleRefusal): string =>
  `${refusal.option} is 'console' with NODE_ENV=production, so ${refusal.secrets} would be ` +
  `printed to your logs. Fix: pass ${refusal.option}: ${refusal.instead}, or set ` +
  'allowConsoleDeliveryInProduction: true for a demo.';

/**
 * The built-in deliveries of one channel: `inbox` records the message, `console` prints one
 * marked line (refused with NODE_ENV=production unless allowed, since codes and links would land
 * in logs). Returns the send function for the SDK service.
 */
export function builtInDelivery<T>(
  option: 'console' | 'inbox',
  describe: (input: T) => DeliveredMessage,
  inbox: DeliveryInbox,
  refusal: ConsoleRefusal,
  allowConsoleInProduction = false,
): (input: T) => Promise<void> {
  if (option === 'inbox') return (input) => Promise.resolve(inbox.record(describe(input)));
  if (process.env.NODE_ENV === 'production' && !allowConsoleInProduction) {
    // validateAuthOptions reports this first, with every other problem; this guards direct use.
    throw new AuthConfigError(`AuthModule: ${consoleRefusalMessage(refusal)}`);
  }
  return (input) => {
    logger.log(describeForConsole(describe(input)));
    return Promise.resolve();
  };
}
