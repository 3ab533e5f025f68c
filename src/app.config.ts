import { ConfigService } from '@nestjs/config';
import { AdminEmails, adminEmails } from './app.admin-emails.js';
import type { AuthModuleOptions } from './auth/index.js';
import type { EmbeddedCoreStorage } from './core/index.js';
import type { ProviderInput } from 'supertokens-node/recipe/thirdparty/types';

function dashboardUsers(config: ConfigService): { email: string; password: string }[] {
  const email = config.get<string>('DASHBOARD_EMAIL');
  const password = config.get<string>('DASHBOARD_PASSWORD');
  return email && password ? [{ email, password }] : [];
}

/**
 * `SUPERTOKENS_STORAGE`: `memory`, a PostgreSQL URL, or a directory. Unset: the module's default
 * (`.supertokens`, or memory under a test runner).
 */
function storage(config: ConfigService): EmbeddedCoreStorage | undefined {
  const value = config.get<string>('SUPERTOKENS_STORAGE');
  if (!value) return undefined;
  if (value === 'memory') return 'memory';
  return /^postgres(ql)?:\/\//.test(value) ? { postgres: value } : { dir: value };
}

/**
 * "Sign in with GitHub / Google" from GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET and
 * GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET; each is off while its id or secret is unset.
 */
function socialProviders(config: ConfigService): ProviderInput[] {
  const providers: ProviderInput[] = [];
  for (const [thirdPartyId, name, prefix] of [
    ['github', 'GitHub', 'GITHUB'],
    ['google', 'Google', 'GOOGLE'],
  ] as const) {
    const clientId = config.get<string>(`${prefix}_CLIENT_ID`);
    const clientSecret = config.get<string>(`${prefix}_CLIENT_SECRET`);
    if (clientId && clientSecret) {
      providers.push({ config: { thirdPartyId, name, clients: [{ clientId, clientSecret }] } });
    }
  }
  return providers;
}

/**
 * `MFA=totp`: an authenticator app as the second factor, asked on the routes that say so
 * (`GET /mfa`); unset: no second factor.
 */
function mfa(config: ConfigService, issuer: string): AuthModuleOptions['mfa'] {
  const value = config.get<string>('MFA');
  if (!value) return undefined;
  if (value !== 'totp') throw new Error(`MFA=${value}: use MFA=totp, or leave MFA unset.`);
  return { requiredSecondaryFactors: ['totp'], totp: { issuer }, requiredOn: 'marked-routes' };
}

/**
 * Passkeys, on unless `PASSKEYS=false` (browsers offer them only to https sites and localhost).
 * With the sign-in page also on a second local port, pages on both origins use them.
 */
function webauthn(
  config: ConfigService,
  apiDomain: string,
  websiteDomain: string,
): AuthModuleOptions['webauthn'] {
  const value = config.get<string>('PASSKEYS');
  if (value === 'false') return false;
  if (value && value !== 'true') {
    throw new Error(
      `PASSKEYS=${value}: use PASSKEYS=false to turn passkeys off, or leave it unset.`,
    );
  }
  const origin = (url: string) => (URL.canParse(url) ? new URL(url) : undefined);
  const [site, api] = [origin(websiteDomain), origin(apiDomain)];
  const both = site && api && site.origin !== api.origin && site.hostname === api.hostname;
  return both ? { origin: [site.origin, api.origin] } : true;
}

/**
 * Emails through your SMTP server when `SMTP_URL` is set (`smtp://user:password@host:587`, or
 * `smtps://…:465` for TLS from the first byte), from `SMTP_FROM` (`Name <address>` or an address);
 * unset: printed on the console (development only).
 */
function emailDelivery(config: ConfigService, appName: string): AuthModuleOptions['emailDelivery'] {
  const value = config.get<string>('SMTP_URL');
  if (!value && config.get<string>('NODE_ENV') === 'production') {
    throw new Error(
      'SMTP_URL is not set: with NODE_ENV=production the example sends its reset, verification ' +
        'and recovery emails through SMTP. Set SMTP_URL and SMTP_FROM (see .env.example).',
    );
  }
  if (!value) return 'console';
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname) {
    throw new Error(
      'SMTP_URL: use smtp://user:password@host:587 or smtps://user:password@host:465.',
    );
  }
  const from = /^\s*(?:(.*?)\s*<([^<>\s]+@[^<>\s]+)>|([^<>\s]+@[^<>\s]+))\s*$/.exec(
    config.get<string>('SMTP_FROM') ?? '',
  );
  if (!from) {
    throw new Error(
      'SMTP_FROM: set the sender of the emails, e.g. SMTP_FROM="Acme <auth@acme.example>".',
    );
  }
  const secure = url.protocol === 'smtps:';
  return {
    smtp: {
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      from: { name: from[1] || appName, email: from[2] ?? from[3] },
      authUsername: decodeURIComponent(url.username) || undefined,
      password: decodeURIComponent(url.password),
    },
  };
}

/**
 * Text messages through Twilio when `TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN` are set, from
 * `TWILIO_FROM` (a number) or `TWILIO_MESSAGING_SERVICE_SID`; unset: printed on the console.
 */
function smsDelivery(config: ConfigService): AuthModuleOptions['smsDelivery'] {
  const accountSid = config.get<string>('TWILIO_ACCOUNT_SID');
  const authToken = config.get<string>('TWILIO_AUTH_TOKEN');
  if (!accountSid && !authToken) {
    if (config.get<string>('NODE_ENV') !== 'production') return 'console';
    throw new Error(
      'TWILIO_ACCOUNT_SID is not set: with NODE_ENV=production the example sends its sign-in ' +
        'codes by text message through Twilio. Set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and ' +
        'TWILIO_FROM (see .env.example).',
    );
  }
  const from = config.get<string>('TWILIO_FROM');
  const messagingServiceSid = config.get<string>('TWILIO_MESSAGING_SERVICE_SID');
  if (!accountSid || !authToken || (!from && !messagingServiceSid)) {
    throw new Error(
      'Twilio: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM (or ' +
        'TWILIO_MESSAGING_SERVICE_SID), or none of them to print codes on the console.',
    );
  }
  return {
    twilio: messagingServiceSid
      ? { accountSid, authToken, messagingServiceSid }
      : { accountSid, authToken, from: from! },
  };
}

/** The example app's AuthModule options, from the environment (see .env.example). */
export function authOptionsFromEnv(config: ConfigService): AuthModuleOptions {
  const port = config.get<string>('PORT') ?? '3000';
  const apiDomain = config.get<string>('API_DOMAIN') ?? `http://localhost:${port}`;
  const providers = socialProviders(config);
  const appName = config.get<string>('APP_NAME') ?? 'nest-supertokens example';
  // The example serves its own sign-in page at `/`: the website is the API's origin unless
  // WEBSITE_DOMAIN names another one.
  const websiteDomain = config.get<string>('WEBSITE_DOMAIN') || apiDomain;
  return {
    connectionURI: config.get<string>('SUPERTOKENS_CONNECTION_URI') || undefined,
    apiKey: config.get<string>('SUPERTOKENS_API_KEY') || undefined,
    embeddedCore: {
      storage: storage(config),
      // Production on the embedded core: only on a PostgreSQL server, and only when you say so.
      allowInProduction: config.get<string>('SUPERTOKENS_EMBEDDED_IN_PRODUCTION') === 'true',
    },
    appInfo: {
      appName,
      apiDomain,
      websiteDomain,
      apiBasePath: config.get<string>('API_BASE_PATH') ?? '/auth',
    },
    // The headline flow: sign in with a phone number and a one-time code, beside email + password.
    passwordless: { contactMethod: 'PHONE', flowType: 'USER_INPUT_CODE' },
    // Passkeys: sign up and in with the device's fingerprint, face or PIN; lost ones are
    // recovered by email (the link is printed, like every email here).
    webauthn: webauthn(config, apiDomain, websiteDomain),
    emailVerification: { mode: 'OPTIONAL' },
    // With a provider: signing in with GitHub as the verified email of a password account (or
    // the other way round) is one user, not two.
    ...(providers.length > 0 && { thirdParty: { providers }, accountLinking: true }),
    // Tenants: npm run dashboard -- tenants create acme; users sign up at /auth/acme/signup.
    multitenancy: true,
    mfa: mfa(config, appName),
    roles: true,
    // ADMIN_EMAILS: users with these emails get the `admin` role (see AdminEmails).
    ...(adminEmails(config).size > 0 && { overrides: AdminEmails }),
    metadata: true,
    // The user management dashboard at /auth/dashboard; its first login from the environment.
    dashboard: { users: dashboardUsers(config) },
    // Codes and links through SMTP and Twilio when configured, else printed on one marked line
    // (refused with NODE_ENV=production).
    emailDelivery: emailDelivery(config, appName),
    smsDelivery: smsDelivery(config),
  };
}
