import { Logger } from '@nestjs/common';
import { AuthConfigError } from '../errors/auth.errors.js';
import type { AuthModuleOptions } from './auth-options.interface.js';
import { licenceNeeds } from './core-licence.js';

const logger = new Logger('AuthModule');

/** The one CDI version supertokens-node 24 speaks (its `cdiSupported`), served by core 11.x. */
const SDK_CDI_VERSION = '5.4';
/** Long enough for a core on the network; a core that misses it only earns a warning. */
const CORE_CHECK_TIMEOUT_MS = 2000;

/** A core's HTTP answer, or why there was none. */
type Reply = { status: number; text: string } | { failure: string };

async function ask(uri: string, path: string, apiKey: string | undefined): Promise<Reply> {
  try {
    const response = await fetch(`${uri}${path}`, {
      headers: apiKey ? { 'api-key': apiKey } : {},
      signal: AbortSignal.timeout(CORE_CHECK_TIMEOUT_MS),
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      return { failure: `no answer within ${CORE_CHECK_TIMEOUT_MS} ms` };
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { failure: cause?.code ?? cause?.message ?? (error as Error).message };
  }
}

/** A core's text body in a message: short, quoted, and saying so when there is none. */
const quoted = (text: string): string =>
  text.trim() === '' ? 'an empty body' : JSON.stringify(text.trim().slice(0, 200));

function parsed(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a refusal of `GET <uri>/apiversion` means and how to fix it; undefined for a 5xx, which
 * is the core's own trouble (the app starts and answers 503 meanwhile).
 */
function refusal(uri: string, status: number, text: string, apiKey: string | undefined) {
  const at = `the SuperTokens core at ${uri}`;
  if (status === 401) {
    return (
      `${at} refused the API key (401): apiKey is ${apiKey ? 'wrong' : 'missing'}. Fix: set ` +
      "apiKey to one of the core's api_keys (e.g. apiKey: process.env.SUPERTOKENS_API_KEY)."
    );
  }
  if (status === 403) {
    const host = new URL(uri).host;
    if (/host/i.test(text)) {
      return (
        `${at} answered 403 with ${quoted(text)}: it does not accept the Host "${host}". Fix: ` +
        'connect through the address it listens on (e.g. http://127.0.0.1:<port>), or start ' +
        `nest-supertokens-core with --allowed-host ${host}.`
      );
    }
    return (
      `${at} answered 403 with ${quoted(text)}: it refuses this app. Fix: allow the app's ` +
      "address in the core's ip_allow_regex / ip_deny_regex (or in the proxy before it); for " +
      `nest-supertokens-core, connect through 127.0.0.1 or add --allowed-host ${host}.`
    );
  }
  if (status >= 500) return undefined;
  return (
    `${at} answered ${status} with ${quoted(text)} to GET /apiversion, which a SuperTokens core ` +
    'answers 200. Fix: correct connectionURI (a core, optionally ending in /appid-<id> of an ' +
    'app that exists).'
  );
}

/** The problem found at one core, or a warning when it could not be checked. */
function judge(
  options: AuthModuleOptions,
  uri: string,
  versions: Reply,
  flags: Reply,
): { problem?: string; warning?: string; summary?: string; down?: boolean } {
  if ('failure' in versions) {
    return {
      down: true,
      warning:
        `The SuperTokens core at ${uri} cannot be reached (${versions.failure}): starting ` +
        'anyway, auth requests answer 503 until it is. Check connectionURI if it should be up.',
    };
  }
  if (versions.status !== 200) {
    const problem = refusal(uri, versions.status, versions.text, options.apiKey);
    if (problem) return { problem };
    return {
      down: true,
      warning:
        `The SuperTokens core at ${uri} answered ${versions.status} with ${quoted(versions.text)}: ` +
        'starting anyway, auth requests answer 503 while it fails.',
    };
  }
  const offered = parsed(versions.text)?.versions;
  if (!Array.isArray(offered)) {
    return {
      problem: `${uri} did not answer GET /apiversion like a SuperTokens core. Fix: correct connectionURI.`,
    };
  }
  if (!offered.includes(SDK_CDI_VERSION)) {
    return {
      problem:
        `the SuperTokens core at ${uri} speaks CDI ${offered.join(', ') || 'none'}, and ` +
        `supertokens-node 24 needs ${SDK_CDI_VERSION} (SuperTokens core 11.x). Fix: run core ` +
        `11.x (or nest-supertokens-core), or raise its max_cdi_version to ${SDK_CDI_VERSION}.`,
    };
  }
  const features = 'failure' in flags ? undefined : parsed(flags.text)?.features;
  if (!Array.isArray(features)) {
    return {
      warning: `The SuperTokens core at ${uri} did not list its licensed features: not checked.`,
    };
  }
  const missing = licenceNeeds(options, uri).filter(
    (need) => !need.features.some((feature) => features.includes(feature)),
  );
  if (missing.length > 0) {
    const lines = missing.map(
      (need) => `\n- ${need.option} needs '${need.features.join("' or '")}': ${need.fails}`,
    );
    return {
      problem:
        `the SuperTokens core at ${uri} is not licensed for the options (its /ee/featureflag ` +
        `lists ${features.length > 0 ? features.join(', ') : 'no features'}):${lines.join('')}` +
        "\nFix: add a licence key with these features to the core (SuperTokens' paid plans), " +
        'or turn those options off.',
    };
  }
  return { summary: `CDI ${SDK_CDI_VERSION}, features: ${features.join(', ') || 'none'}` };
}

/**
 * Asks every core of `connectionURI`, in parallel, for its CDI versions and licensed features,
 * and throws an `AuthConfigError` naming the fix when one refuses the app or cannot serve its
 * options. A core that cannot be reached (or fails, 5xx) only gets a warning. Resolves whether
 * any core is up.
 */
export async function checkCores(options: AuthModuleOptions, connectionURI: string) {
  const started = Date.now();
  const uris = connectionURI
    .split(';')
    .map((uri) => uri.trim().replace(/\/+$/, ''))
    .filter((uri) => uri !== '');
  const verdicts = await Promise.all(
    uris.map(async (uri) => {
      const [versions, flags] = await Promise.all([
        ask(uri, '/apiversion', options.apiKey),
        ask(uri, '/ee/featureflag', options.apiKey),
      ]);
      return { uri, ...judge(options, uri, versions, flags) };
    }),
  );
  const problems = verdicts.flatMap((verdict) => verdict.problem ?? []);
  if (problems.length > 0) {
    throw new AuthConfigError(problems.map((problem) => `AuthModule: ${problem}`).join('\n'));
  }
  for (const { uri, warning, summary } of verdicts) {
    if (warning) logger.warn(warning);
    if (summary) {
      logger.log(`SuperTokens core ${uri}: ${summary} (checked in ${Date.now() - started} ms)`);
    }
  }
  return { up: verdicts.some((verdict) => !verdict.down) };
}
