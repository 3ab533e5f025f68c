import { plainToInstance, Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  ValidateIf,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import type { AuthModuleOptions } from './auth-options.interface.js';
import { AuthConfigError } from '../errors/auth.errors.js';
import { CONSOLE_REFUSALS, consoleRefusalMessage } from '../delivery/built-in-delivery.js';
import { mfaProblems } from './mfa-options.validation.js';
import { webauthnProblems } from './webauthn-options.validation.js';
import { DEFAULT_RATE_LIMITS } from '../security/rate-limit/rate-limit.options.js';

const URL_OPTIONS = { require_tld: false, require_protocol: false, protocols: ['http', 'https'] };

class AppInfoRules {
  @IsString({ message: 'must be a non-empty string, e.g. "My App"' })
  @IsNotEmpty({ message: 'must be a non-empty string, e.g. "My App"' })
  appName!: string;

  @IsUrl(URL_OPTIONS, {
    message: 'must be the URL your API is reached at, e.g. "http://localhost:3000" (got $value)',
  })
  apiDomain!: string;

  @ValidateIf((info: AppInfoRules) => info.websiteDomain !== undefined || info.origin === undefined)
  @IsUrl(URL_OPTIONS, {
    message:
      'must be the URL of your frontend, e.g. "http://localhost:5173" (got $value); or set appInfo.origin',
  })
  websiteDomain?: string;

  @IsOptional()
  origin?: unknown;

  @IsOptional()
  @Matches(/^\/\S*$/, { message: 'must be a path starting with "/", e.g. "/auth" (got $value)' })
  apiBasePath?: string;

  @IsOptional()
  @Matches(/^\/\S*$/, { message: 'must be a path starting with "/", e.g. "/auth" (got $value)' })
  websiteBasePath?: string;
}

class DashboardUserRules {
  @IsString({ message: 'must be the email of a dashboard login' })
  @IsNotEmpty({ message: 'must be the email of a dashboard login' })
  email!: string;

  // Never quotes the value: it is a password.
  @IsString({ message: 'must be a non-empty string' })
  @IsNotEmpty({ message: 'must be a non-empty string' })
  password!: string;
}

class DashboardRules {
  @IsOptional()
  @IsArray({ message: 'must be an array of dashboard user emails' })
  @IsString({ each: true, message: 'must be an array of dashboard user emails' })
  admins?: string[];

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    {
      message:
        "must be the absolute URL of the dashboard bundle's build/ folder, e.g. " +
        '"https://static.example.com/supertokens-dashboard/build/" (got $value)',
    },
  )
  bundleLocation?: string;

  @IsOptional()
  @IsString({ message: "must be the path of a local copy of the dashboard bundle's build/ folder" })
  @IsNotEmpty({
    message: "must be the path of a local copy of the dashboard bundle's build/ folder",
  })
  bundleDir?: string;

  @IsOptional()
  @IsArray({ message: "must be an array of 'flags' and 'fonts'" })
  @IsIn(['flags', 'fonts'], { each: true, message: "must be an array of 'flags' and 'fonts'" })
  allowExternal?: string[];

  @IsOptional()
  @IsArray({ message: 'must be an array of { email, password }' })
  @ValidateNested({ each: true })
  @Type(() => DashboardUserRules)
  users?: DashboardUserRules[];
}

class OptionsRules {
  @IsDefined({ message: 'is required: { appName, apiDomain, websiteDomain }' })
  @IsObject({ message: 'must be an object: { appName, apiDomain, websiteDomain }' })
  @ValidateNested()
  @Type(() => AppInfoRules)
  appInfo!: AppInfoRules;

  @IsOptional()
  @Matches(/^(https?:\/\/[^\s;]+)(;https?:\/\/[^\s;]+)*$/, {
    message:
      'must be one or more http(s) URLs separated by ";", e.g. "http://localhost:3567" ' +
      '(got $value); leave it unset to use the embedded core',
  })
  connectionURI?: string;

  @IsOptional()
  @IsString({ message: 'must be a non-empty string (the api_keys value of your core)' })
  @IsNotEmpty({ message: 'must be a non-empty string (the api_keys value of your core)' })
  apiKey?: string;

  @IsOptional()
  @IsArray({ message: 'must be an array of recipe init() results, e.g. [UserRoles.init()]' })
  recipeList?: unknown[];

  @IsOptional()
  @ValidateIf((options: OptionsRules) => typeof options.dashboard !== 'boolean')
  @IsObject({
    message:
      'must be true, false or { admins, users, bundleLocation | bundleDir, allowExternal, csp }',
  })
  @ValidateNested()
  @Type(() => DashboardRules)
  dashboard?: boolean | DashboardRules;

  @IsOptional() @IsBoolean({ message: 'must be true or false' }) coreCheck?: boolean;
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) apis?: boolean;
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) exceptionFilter?: boolean;
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) telemetry?: boolean;
  @IsOptional() @IsBoolean({ message: 'must be true or false' }) debug?: boolean;
}

/** `security`: 'hardened', or { profile?, revokeSessionsOnPasswordChange?, ... }. */
function securityProblems(security: unknown): string[] {
  if (security === undefined || security === 'hardened') return [];
  if (typeof security !== 'object' || security === null) {
    return [
      "- security must be 'hardened' or { profile, revokeSessionsOnPasswordChange, equalSignInTiming, absoluteSessionLifetime }",
    ];
  }
  const own = security as Record<string, unknown>;
  const problems: string[] = [];
  if (own.profile !== undefined && own.profile !== 'default' && own.profile !== 'hardened') {
    problems.push("- security.profile must be 'default' or 'hardened'");
  }
  for (const flag of ['revokeSessionsOnPasswordChange', 'equalSignInTiming', 'cookiePrefixes']) {
    if (own[flag] !== undefined && typeof own[flag] !== 'boolean') {
      problems.push(`- security.${flag} must be true or false`);
    }
  }
  const lifetime = own.absoluteSessionLifetime;
  if (lifetime !== undefined && lifetime !== false && !positiveInteger(lifetime)) {
    problems.push(
      '- security.absoluteSessionLifetime must be a number of seconds (e.g. 43200 for 12 hours) or false',
    );
  }
  return problems;
}

const positiveInteger = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value > 0;

/** `rateLimit`: false, or { store?, trustProxy?, limits?, onStoreError?, storeTimeoutMs? }. */
function rateLimitProblems(rateLimit: unknown): string[] {
  if (rateLimit === undefined || rateLimit === false) return [];
  if (typeof rateLimit !== 'object' || rateLimit === null) {
    return [
      '- rateLimit must be false or { store?, trustProxy?, limits?, onStoreError?, storeTimeoutMs? }',
    ];
  }
  const { store, trustProxy, limits, onStoreError, storeTimeoutMs } = rateLimit as Record<
    string,
    unknown
  >;
  const problems: string[] = [];
  if (onStoreError !== undefined && onStoreError !== 'allow' && onStoreError !== 'refuse') {
    problems.push(
      `- rateLimit.onStoreError must be 'allow' (requests go on unlimited while the store is down) or 'refuse' (503)`,
    );
  }
  if (storeTimeoutMs !== undefined && !positiveInteger(storeTimeoutMs)) {
    problems.push('- rateLimit.storeTimeoutMs must be a whole number of milliseconds above 0');
  }
  if (
    store !== undefined &&
    !['hit', 'get', 'delete'].every(
      (method) => typeof (store as Record<string, unknown> | null)?.[method] === 'function',
    )
  ) {
    problems.push(
      '- rateLimit.store must be a RateLimitStore ({ hit, get, delete }), e.g. new RedisRateLimitStore(redis)',
    );
  }
  if (
    trustProxy !== undefined &&
    !(typeof trustProxy === 'number' && Number.isInteger(trustProxy) && trustProxy >= 0)
  ) {
    problems.push(
      '- rateLimit.trustProxy must be the number of proxies in front of the app (0 or more)',
    );
  }
  if (limits === undefined) return problems;
  if (typeof limits !== 'object' || limits === null) {
    return [...problems, '- rateLimit.limits must be an object of limits by name'];
  }
  for (const [name, rule] of Object.entries(limits)) {
    const path = `rateLimit.limits.${name}`;
    if (!(name in DEFAULT_RATE_LIMITS)) {
      problems.push(
        `- ${path} is not a limit; the limits are ${Object.keys(DEFAULT_RATE_LIMITS).join(', ')}`,
      );
    } else if (rule !== false) {
      const backoff = name.endsWith('Backoff');
      const fields = backoff
        ? ['freeFailures', 'maxDelaySeconds', 'windowSeconds']
        : ['limit', 'windowSeconds'];
      const value = rule as Record<string, unknown> | null;
      const valid =
        typeof value === 'object' &&
        value !== null &&
        fields.every((field) =>
          field === 'freeFailures'
            ? Number.isInteger(value[field]) && (value[field] as number) >= 0
            : positiveInteger(value[field]),
        );
      if (!valid) {
        problems.push(
          `- ${path} must be false or { ${fields.join(', ')} } (whole numbers, e.g. ` +
            `${JSON.stringify(DEFAULT_RATE_LIMITS[name as keyof typeof DEFAULT_RATE_LIMITS])})`,
        );
      }
    }
  }
  return problems;
}

function hasCredentials(connectionURI: unknown): boolean {
  if (typeof connectionURI !== 'string') return false;
  return connectionURI.split(';').some((uri) => {
    try {
      const url = new URL(uri);
      return url.username !== '' || url.password !== '';
    } catch {
      return false;
    }
  });
}

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    // One line per option: the first failed rule says it (a missing object is not also "not an object").
    const [first] = Object.values(error.constraints ?? {});
    if (first === undefined) return flatten(error.children ?? [], path);
    // Never echo a secret back: only the URL-ish and path options quote their value.
    const message =
      path === 'apiKey'
        ? first.replace(/ ?\(got .*?\)/, '')
        : first.replace('$value', shown(error.value));
    return [`- ${path} ${message}`];
  });
}

/** A value quoted in a message: short, and saying what it is when it is not a string. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value !== 'string') return `${value === null ? 'null' : typeof value}`;
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/**
 * With NODE_ENV=production: the embedded core only on a PostgreSQL server and only when allowed,
 * and no codes or links printed to the logs. Reported with every other problem, not one per restart.
 */
function productionProblems(options: AuthModuleOptions): string[] {
  if (process.env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (!options.connectionURI) {
    const storage = options.embeddedCore?.storage;
    if (process.env.SUPERTOKENS_CONNECTION_URI && !options.embeddedCore?.allowInProduction) {
      problems.push(
        '- connectionURI is not set, though SUPERTOKENS_CONNECTION_URI is: the module reads its ' +
          'options, not the environment. Fix: connectionURI: process.env.SUPERTOKENS_CONNECTION_URI, ' +
          'apiKey: process.env.SUPERTOKENS_API_KEY',
      );
    } else if (!options.embeddedCore?.allowInProduction) {
      problems.push(
        '- NODE_ENV is "production" but no connectionURI is set, so the embedded core, meant for ' +
          'development, would hold your users. Fix: connectionURI: ' +
          'process.env.SUPERTOKENS_CONNECTION_URI (and apiKey: process.env.SUPERTOKENS_API_KEY) ' +
          'pointing at your SuperTokens core; or run the embedded core on a PostgreSQL server with ' +
          "embeddedCore: { storage: { postgres: '<url>' }, allowInProduction: true }",
      );
    } else if (typeof storage !== 'object' || !('postgres' in storage)) {
      problems.push(
        '- embeddedCore.allowInProduction: the embedded core runs in production only on a ' +
          "PostgreSQL server. Fix: set embeddedCore.storage to { postgres: '<url>' } (memory and a " +
          'local directory lose data or cannot be shared by several instances)',
      );
    }
  }
  if (!options.allowConsoleDeliveryInProduction) {
    if ((options.emailDelivery ?? 'console') === 'console') {
      problems.push(`- ${consoleRefusalMessage(CONSOLE_REFUSALS.emailDelivery)}`);
    }
    if (options.passwordless && (options.smsDelivery ?? 'console') === 'console') {
      problems.push(`- ${consoleRefusalMessage(CONSOLE_REFUSALS.smsDelivery)}`);
    }
  }
  return problems;
}

/**
 * `thirdParty: { providers }`: each provider names its thirdPartyId and has a client. With
 * `multitenancy`, the list may be empty: tenants get their own providers at runtime.
 */
function thirdPartyProblems(value: unknown, perTenant: boolean): string[] {
  if (value === undefined) return [];
  const example =
    "e.g. thirdParty: { providers: [{ config: { thirdPartyId: 'github', clients: [{ clientId, clientSecret }] } }] }";
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`- thirdParty must be an object with providers, ${example}`];
  }
  const { providers } = value as { providers?: unknown };
  if (!Array.isArray(providers) || (providers.length === 0 && !perTenant)) {
    return [
      `- thirdParty.providers must list at least one provider (or, with multitenancy on, none: ` +
        `tenants get theirs from MultitenancyService.setThirdPartyProvider), ${example}`,
    ];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  providers.forEach((provider: unknown, i) => {
    const config = (provider as { config?: { thirdPartyId?: unknown; clients?: unknown } } | null)
      ?.config;
    const id = config?.thirdPartyId;
    if (typeof id !== 'string' || id === '') {
      problems.push(
        `- thirdParty.providers[${i}].config.thirdPartyId must be a non-empty string (${example})`,
      );
      return;
    }
    if (seen.has(id)) problems.push(`- thirdParty.providers: '${id}' is listed twice`);
    seen.add(id);
    const clients = config?.clients;
    if (
      !Array.isArray(clients) ||
      clients.length === 0 ||
      clients.some(
        (c) =>
          typeof (c as { clientId?: unknown } | null)?.clientId !== 'string' ||
          (c as { clientId: string }).clientId === '',
      )
    ) {
      problems.push(
        `- thirdParty.providers[${i}] ('${id}'): config.clients must list at least one client with a clientId (from the provider's developer console)`,
      );
    }
  });
  return problems;
}

/** `multitenancy: true | { allowedDomains }`. */
function multitenancyProblems(value: unknown): string[] {
  if (value === undefined || typeof value === 'boolean') return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return ['- multitenancy must be true, false or { allowedDomains?: (tenantId) => string[] }'];
  }
  const unknown = Object.keys(value).filter((key) => key !== 'allowedDomains');
  const problems = unknown.map(
    (key) => `- multitenancy.${key} is not an option (the only one is allowedDomains)`,
  );
  const { allowedDomains } = value as { allowedDomains?: unknown };
  if (allowedDomains !== undefined && typeof allowedDomains !== 'function') {
    problems.push(
      '- multitenancy.allowedDomains must be a function (tenantId) => string[] | undefined, e.g. (t) => [`${t}.example.com`]',
    );
  }
  return problems;
}

/** `accountLinking: true | { automatic, requireVerification, onAccountLinked }`. */
function accountLinkingProblems(value: unknown): string[] {
  if (value === undefined || typeof value === 'boolean') return [];
  const shape =
    '- accountLinking must be true, false or { automatic?: boolean | (candidate) => boolean, ' +
    'requireVerification?: boolean, onAccountLinked?: (user, newAccount) => void }';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [shape];
  const known = ['automatic', 'requireVerification', 'onAccountLinked'];
  const problems = Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => `- accountLinking.${key} is not an option (they are ${known.join(', ')})`);
  const { automatic, requireVerification, onAccountLinked } = value as Record<string, unknown>;
  if (automatic !== undefined && !['boolean', 'function'].includes(typeof automatic)) {
    problems.push(
      '- accountLinking.automatic must be true, false or a function (candidate) => boolean, ' +
        "e.g. ({ newAccount }) => newAccount.email?.endsWith('@acme.com') ?? false",
    );
  }
  if (requireVerification !== undefined && typeof requireVerification !== 'boolean') {
    problems.push('- accountLinking.requireVerification must be true or false');
  }
  if (onAccountLinked !== undefined && typeof onAccountLinked !== 'function') {
    problems.push('- accountLinking.onAccountLinked must be a function (user, newAccount) => void');
  }
  return problems;
}

/**
 * Checks the options a user is most likely to get wrong, before anything starts. Everything
 * the SDK's own types cover (recipe configs) is left to the SDK.
 */
export function validateAuthOptions(options: AuthModuleOptions | undefined): void {
  if (typeof options !== 'object' || options === null) {
    throw new AuthConfigError(
      'AuthModule options are missing. Pass them to AuthModule.forRoot({ appInfo: { ... } }) or return ' +
        'them from the forRootAsync factory.',
    );
  }
  if (hasCredentials(options.connectionURI)) {
    throw new AuthConfigError(
      'Invalid AuthModule options:\n- connectionURI must not contain user:password@ (fetch refuses such ' +
        'URLs, and they would end up in logs); the core authenticates requests with apiKey instead',
    );
  }
  const checked = {
    appInfo: options.appInfo,
    connectionURI: options.connectionURI,
    apiKey: options.apiKey,
    coreCheck: options.coreCheck,
    recipeList: options.recipeList,
    dashboard: options.dashboard,
    apis: options.apis,
    exceptionFilter: options.exceptionFilter,
    telemetry: options.telemetry,
    debug: options.debug,
  };
  const errors = validateSync(plainToInstance(OptionsRules, checked), {
    forbidUnknownValues: false,
  });
  const problems = flatten(errors);
  if (options.override !== undefined && typeof options.override !== 'function') {
    problems.push('- override must be a function (config) => config');
  }
  problems.push(...multitenancyProblems(options.multitenancy));
  problems.push(...thirdPartyProblems(options.thirdParty, Boolean(options.multitenancy)));
  problems.push(...accountLinkingProblems(options.accountLinking));
  problems.push(...webauthnProblems(options));
  problems.push(...mfaProblems(options));
  if (options.hooks !== undefined && typeof options.hooks !== 'function') {
    problems.push('- hooks must be an injectable class (implements AuthHooks), not an instance');
  }
  if (options.overrides !== undefined && typeof options.overrides !== 'function') {
    problems.push(
      '- overrides must be an injectable class (implements AuthOverrides), not an instance',
    );
  }
  problems.push(...rateLimitProblems(options.rateLimit), ...securityProblems(options.security));
  const dashboard = typeof options.dashboard === 'object' ? options.dashboard : undefined;
  if (dashboard?.bundleDir !== undefined && dashboard.bundleLocation !== undefined) {
    problems.push(
      '- dashboard: set bundleLocation (a URL browsers load the bundle from) or bundleDir (a ' +
        'folder this app serves it from), not both',
    );
  }
  problems.push(...productionProblems(options));
  if (problems.length > 0) {
    throw new AuthConfigError(`Invalid AuthModule options:\n${problems.join('\n')}`);
  }
}
