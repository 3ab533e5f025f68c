import { isIP } from 'node:net';
import type { AuthModuleOptions, WebAuthnOptions } from './auth-options.interface.js';

/** What the `webauthn` option comes to, once checked. */
export interface WebAuthnSettings {
  /** Lower-cased; the option's, else the host of the first origin (or of the website domain). */
  relyingPartyId: string;
  /**
   * `webauthn.origin`, normalised to `scheme://host[:port]`; undefined when it is not set (the SDK
   * then uses `appInfo.origin` / `websiteDomain`, per request when `appInfo.origin` is a function).
   */
  origins: string[] | undefined;
}

const OWN_KEYS = ['relyingPartyId', 'relyingPartyName', 'origin'];
const SDK_KEYS = ['validateEmailAddress', 'emailDelivery', 'override'];
/** The SDK's names for our options: a config copied from SuperTokens' docs uses them. */
const SDK_NAMES: Record<string, string> = {
  getRelyingPartyId: 'relyingPartyId',
  getRelyingPartyName: 'relyingPartyName',
  getOrigin: 'origin',
};
/** Origins of Android apps (`android:apk-key-hash:<hash>`), which the core accepts as they are. */
const ANDROID_ORIGIN = /^android:apk-key-hash:[\w-]+$/;

/** `webauthn` as an object (`true` is `{}`), or undefined when it is off. */
export function webauthnOptions(options: AuthModuleOptions): WebAuthnOptions | undefined {
  const value = options.webauthn;
  if (!value) return undefined;
  return value === true ? {} : value;
}

/**
 * A site URL as the SDK normalises a domain: `scheme://host[:port]`, http assumed for localhost
 * and IP addresses given without a scheme, https otherwise. Throws on what is not a URL.
 */
function siteOrigin(value: string): URL {
  const input = value.trim().toLowerCase();
  if (/^https?:\/\//.test(input)) return new URL(input);
  const local = /^(localhost|\d+\.\d+\.\d+\.\d+)(:|\/|$)/.test(input);
  return new URL(`${local ? 'http' : 'https'}://${input}`);
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');
const isIpAddress = (host: string): boolean => isIP(host) !== 0;
/** Hosts browsers treat as secure contexts over plain http. */
const isLoopback = (host: string): boolean =>
  host === 'localhost' ||
  host.endsWith('.localhost') ||
  host === '::1' ||
  /^127\.\d+\.\d+\.\d+$/.test(host);

/** The origins passkeys are used from as configured, and the option they came from. */
function configuredOrigins(options: AuthModuleOptions, own: WebAuthnOptions) {
  if (own.origin !== undefined) {
    return { from: 'webauthn.origin', values: [own.origin].flat() as unknown[] };
  }
  const { origin, websiteDomain } = options.appInfo;
  if (typeof origin === 'string') return { from: 'appInfo.origin', values: [origin] };
  if (origin === undefined && typeof websiteDomain === 'string') {
    return { from: 'appInfo.websiteDomain', values: [websiteDomain] };
  }
  return { from: 'appInfo.origin', values: [] };
}

/** The last labels two host names share, when they make a domain of two labels or more. */
function sharedParent(a: string, b: string): string | undefined {
  const left = a.split('.').reverse();
  const right = b.split('.').reverse();
  const shared: string[] = [];
  while (shared.length < left.length && left[shared.length] === right[shared.length]) {
    shared.push(left[shared.length]);
  }
  return shared.length >= 2 ? shared.reverse().join('.') : undefined;
}

/** Whether browsers let a page of `host` use passkeys of `rpId`: the host or a parent domain. */
function covers(rpId: string, host: string): boolean {
  if (rpId === host) return true;
  return !isIpAddress(host) && rpId.includes('.') && host.endsWith(`.${rpId}`);
}

/** The host name a mistyped relying party id (a URL, a host with a port) was meant to be. */
function meantHost(value: string): string | undefined {
  try {
    return hostOf(siteOrigin(value));
  } catch {
    return undefined;
  }
}

/** Problems of `webauthn.relyingPartyId` / `relyingPartyName` / unknown keys, with the fix. */
function shapeProblems(own: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(own)) {
    if (key in SDK_NAMES) {
      problems.push(
        `- webauthn.${key} is supertokens-node's name: here it is webauthn.${SDK_NAMES[key]} ` +
          "(or set the SDK's function through the module's override option)",
      );
    } else if (!OWN_KEYS.includes(key) && !SDK_KEYS.includes(key)) {
      problems.push(
        `- webauthn.${key} is not an option (they are ${[...OWN_KEYS, ...SDK_KEYS].join(', ')})`,
      );
    }
  }
  const { relyingPartyId: rpId, relyingPartyName: name, validateEmailAddress } = own;
  if (rpId !== undefined) {
    if (typeof rpId !== 'string' || rpId.trim() === '') {
      problems.push("- webauthn.relyingPartyId must be a host name, e.g. 'example.com'");
    } else if (/[/:\s]/.test(rpId)) {
      const host = meantHost(rpId);
      problems.push(
        `- webauthn.relyingPartyId must be a host name alone, without scheme, port or path ` +
          `(got ${JSON.stringify(rpId)})` +
          (host ? `. Fix: relyingPartyId: '${host}'` : ''),
      );
    }
  }
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
    problems.push("- webauthn.relyingPartyName must be a non-empty string, e.g. 'Acme'");
  }
  if (validateEmailAddress !== undefined && typeof validateEmailAddress !== 'function') {
    problems.push(
      '- webauthn.validateEmailAddress must be a function (email, tenantId) => error message | undefined',
    );
  }
  return problems;
}

/** Each origin parsed (Android app origins kept as they are), or the problem with it. */
function parseOrigins(from: string, values: unknown[]): { origins: string[]; problems: string[] } {
  const origins: string[] = [];
  const problems: string[] = [];
  if (from === 'webauthn.origin' && values.length === 0) {
    problems.push(
      "- webauthn.origin must name at least one origin, e.g. 'https://app.example.com'",
    );
  }
  for (const value of values) {
    if (typeof value === 'string' && ANDROID_ORIGIN.test(value.trim())) {
      origins.push(value.trim());
      continue;
    }
    let url: URL | undefined;
    try {
      url = typeof value === 'string' ? siteOrigin(value) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
      problems.push(
        `- ${from} must be origins such as 'https://app.example.com' (got ${JSON.stringify(value)})`,
      );
      continue;
    }
    if (from === 'webauthn.origin' && (url.pathname !== '/' || url.search || url.hash)) {
      problems.push(
        `- webauthn.origin ${JSON.stringify(value)} has a path: an origin is ` +
          `scheme://host[:port]. Fix: '${url.origin}'`,
      );
      continue;
    }
    if (url.protocol === 'http:' && !isLoopback(hostOf(url))) {
      problems.push(
        `- ${from} '${url.origin}' is plain http: browsers offer passkeys only to https pages ` +
          `(and http://localhost). Fix: serve the site over https ('https://${url.host}'), ` +
          'or turn webauthn off for this deployment',
      );
      continue;
    }
    origins.push(url.origin);
  }
  return { origins, problems };
}

/** The relying party id passkeys get: the option's, else the host of the first web origin. */
function relyingPartyIdFor(own: WebAuthnOptions, origins: string[]): string | undefined {
  if (typeof own.relyingPartyId === 'string') return own.relyingPartyId.trim().toLowerCase();
  const web = origins.find((origin) => !ANDROID_ORIGIN.test(origin));
  return web === undefined ? undefined : hostOf(new URL(web));
}

/** Every origin's host must be the relying party id or below it; the fix names the one that fits. */
function coverageProblems(own: WebAuthnOptions, rpId: string, origins: string[]): string[] {
  const given = typeof own.relyingPartyId === 'string';
  return origins
    .filter((origin) => !ANDROID_ORIGIN.test(origin))
    .flatMap((origin) => {
      const host = hostOf(new URL(origin));
      if (covers(rpId, host)) return [];
      const parent = sharedParent(rpId, host);
      const fixes = [
        ...(parent ? [`'${parent}' (a parent domain of both hosts)`] : []),
        ...(given ? [`'${host}' (the site's host)`] : []),
      ];
      const fix = fixes.length > 0 ? fixes.join(' or ') : 'a host name the origins share';
      const subject = given
        ? `webauthn.relyingPartyId '${rpId}'`
        : `the relying party id '${rpId}' (by default the host of the first origin)`;
      return [
        `- ${subject} does not cover the origin ${origin}: browsers accept a passkey only on ` +
          `its relying party's host or a subdomain of it. Fix: set webauthn.relyingPartyId to ${fix}`,
      ];
    });
}

/**
 * `webauthn`: its shape, every origin a secure context (https, or http on localhost), and the
 * relying party id the origins' host or a parent domain of it; each problem with its fix.
 */
export function webauthnProblems(options: AuthModuleOptions): string[] {
  const value: unknown = options.webauthn;
  if (value === undefined || value === false) return [];
  if (value !== true && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    return ['- webauthn must be true, false or { relyingPartyId?, relyingPartyName?, origin? }'];
  }
  const own = (value === true ? {} : value) as Record<string, unknown>;
  const problems = shapeProblems(own);
  if (problems.length > 0) return problems;
  return checkedSettings(options, own).problems;
}

function checkedSettings(
  options: AuthModuleOptions,
  own: WebAuthnOptions,
): { settings?: WebAuthnSettings; problems: string[] } {
  if (typeof options.appInfo !== 'object' || options.appInfo === null) return { problems: [] };
  const { from, values } = configuredOrigins(options, own);
  const { origins, problems } = parseOrigins(from, values);
  const websiteDomain = options.appInfo.websiteDomain;
  let fallback: string[] = origins;
  if (values.length === 0 && typeof websiteDomain === 'string') {
    // appInfo.origin is a function: its origins are known per request only; the website domain
    // still names the site's host.
    fallback = parseOrigins('appInfo.websiteDomain', [websiteDomain]).origins;
  }
  const rpId = relyingPartyIdFor(own, fallback);
  if (rpId === undefined) {
    // Without origin or websiteDomain, appInfo's own check reports it.
    if (problems.length === 0 && typeof options.appInfo.origin === 'function') {
      problems.push(
        '- webauthn.relyingPartyId is needed: appInfo.origin is a function and there is no ' +
          "websiteDomain to take the site's host from. Fix: relyingPartyId: 'example.com'",
      );
    }
    return { problems };
  }
  problems.push(...coverageProblems(own, rpId, origins));
  return {
    settings: {
      relyingPartyId: rpId,
      origins: own.origin === undefined ? undefined : origins,
    },
    problems,
  };
}

/** The settings of a checked `webauthn` option (see `webauthnProblems`), or undefined when off. */
export function webauthnSettings(options: AuthModuleOptions): WebAuthnSettings | undefined {
  const own = webauthnOptions(options);
  return own && checkedSettings(options, own).settings;
}

/**
 * What works but not in browsers: an IP address as relying party id (browsers require a domain
 * name; `localhost` is one). A warning, not an error, so the app's other sign-ins keep working.
 */
export function webauthnWarnings(settings: WebAuthnSettings): string[] {
  if (!isIpAddress(settings.relyingPartyId)) return [];
  return [
    `webauthn: the relying party id is the IP address '${settings.relyingPartyId}', which ` +
      'browsers refuse, so passkeys will not work there. Fix: open the site at a host name ' +
      "(http://localhost:<port> in development, relying party id 'localhost') or set " +
      'webauthn.relyingPartyId to a domain name.',
  ];
}
