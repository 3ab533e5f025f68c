import { isJsonObject, type JsonObject } from '../http/json-input.js';
import type {
  ThirdPartyClientRecord,
  ThirdPartyProviderRecord,
  UserInfoMapRecord,
} from '../store/records.js';

/** Why a tenant's third-party provider config is refused: `Invalid third party config: <message>`. */
export class ProviderConfigError extends Error {}

/** The official tables' column sizes: longer values could not be stored. */
const LIMITS = {
  thirdPartyId: 28,
  name: 64,
  userInfoMap: 64,
  clientType: 64,
  clientId: 256,
  scope: 128,
};

/**
 * Readers with the leniency of the real core's Gson: an absent or `null` field is unset, numbers
 * and booleans are read as strings, `"true"` as a boolean. A value Gson could not read at all (an
 * object for a string) is a 400 naming the field, where the real core would answer 500.
 */
const read = {
  string(input: JsonObject, field: string): string | undefined {
    const value = input[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new ProviderConfigError(`${field} must be a string`);
  },
  boolean(input: JsonObject, field: string): boolean | undefined {
    const value = input[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') return value.toLowerCase() === 'true';
    throw new ProviderConfigError(`${field} must be a boolean`);
  },
  object(input: JsonObject, field: string): JsonObject | undefined {
    const value = input[field];
    if (value === undefined || value === null) return undefined;
    if (isJsonObject(value)) return value;
    throw new ProviderConfigError(`${field} must be a JSON object`);
  },
};

function userInfoMapValues(input: JsonObject | undefined, field: string): UserInfoMapRecord {
  const values = input && read.object(input, field);
  if (!values) return {};
  const out: UserInfoMapRecord = {};
  for (const key of ['userId', 'email', 'emailVerified'] as const) {
    const value = read.string(values, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function clientOf(input: unknown): ThirdPartyClientRecord {
  if (!isJsonObject(input)) throw new ProviderConfigError('clients must be a list of JSON objects');
  const scope = input.scope;
  if (scope !== undefined && scope !== null && !Array.isArray(scope)) {
    throw new ProviderConfigError('scope must be a list of strings');
  }
  const clientType = read.string(input, 'clientType');
  const clientId = read.string(input, 'clientId');
  const clientSecret = read.string(input, 'clientSecret');
  const forcePKCE = read.boolean(input, 'forcePKCE');
  const additionalConfig = read.object(input, 'additionalConfig');
  return {
    // The official table keeps "no client type" as '': it reads back as absent.
    ...(clientType !== undefined && clientType !== '' && { clientType }),
    clientId: clientId as string,
    ...(clientSecret !== undefined && { clientSecret }),
    ...(Array.isArray(scope) && {
      scope: scope.map((s: unknown) => {
        if (s === null) return null;
        if (typeof s === 'string' || typeof s === 'number' || typeof s === 'boolean') {
          return String(s);
        }
        throw new ProviderConfigError('scope must be a list of strings');
      }),
    }),
    ...(forcePKCE !== undefined && { forcePKCE }),
    ...(additionalConfig !== undefined && { additionalConfig }),
  };
}

/**
 * `PUT /<t>/recipe/multitenancy/config/thirdparty`'s `config`, read as the real core reads its
 * `ThirdPartyConfig.Provider` (unknown fields ignored), with `thirdPartyId` already trimmed.
 */
export function readProvider(input: JsonObject, thirdPartyId: string): ThirdPartyProviderRecord {
  const clients = input.clients;
  if (clients !== undefined && clients !== null && !Array.isArray(clients)) {
    throw new ProviderConfigError('clients must be a list of JSON objects');
  }
  const userInfoMap = read.object(input, 'userInfoMap');
  const provider: ThirdPartyProviderRecord = {
    thirdPartyId,
    clients: Array.isArray(clients) ? clients.map(clientOf) : [],
    userInfoMap: {
      fromIdTokenPayload: userInfoMapValues(userInfoMap, 'fromIdTokenPayload'),
      fromUserInfoAPI: userInfoMapValues(userInfoMap, 'fromUserInfoAPI'),
    },
  };
  const strings = [
    'name',
    'authorizationEndpoint',
    'tokenEndpoint',
    'userInfoEndpoint',
    'jwksURI',
    'oidcDiscoveryEndpoint',
  ] as const;
  for (const field of strings) {
    const value = read.string(input, field);
    if (value !== undefined) provider[field] = value;
  }
  const objects = [
    'authorizationEndpointQueryParams',
    'tokenEndpointBodyParams',
    'userInfoEndpointQueryParams',
    'userInfoEndpointHeaders',
  ] as const;
  for (const field of objects) {
    const value = read.object(input, field);
    if (value !== undefined) provider[field] = value;
  }
  const requireEmail = read.boolean(input, 'requireEmail');
  if (requireEmail !== undefined) provider.requireEmail = requireEmail;
  return provider;
}

const nonEmptyString = (config: JsonObject | undefined, key: string): boolean =>
  typeof config?.[key] === 'string' && config[key] !== '';

/** The real core's provider-specific rules (`ThirdParty.verifyThirdPartyProviderClient`). */
function checkClientForProvider(client: ThirdPartyClientRecord, thirdPartyId: string): void {
  if (client.scope?.includes(null)) {
    throw new ProviderConfigError('scope array cannot contain a null');
  }
  const extra = client.additionalConfig;
  if (thirdPartyId.startsWith('apple')) {
    if (!['keyId', 'teamId', 'privateKey'].every((key) => nonEmptyString(extra, key))) {
      throw new ProviderConfigError(
        'a non empty string value must be specified for keyId, teamId and privateKey in the ' +
          'additionalConfig for Apple provider',
      );
    }
  } else if (thirdPartyId.startsWith('google-workspaces')) {
    if (extra && 'hd' in extra && !nonEmptyString(extra, 'hd')) {
      throw new ProviderConfigError('hd in additionalConfig must be a non empty string value');
    }
  } else if (thirdPartyId.startsWith('boxy-saml')) {
    if (extra && 'boxyURL' in extra && !nonEmptyString(extra, 'boxyURL')) {
      throw new ProviderConfigError(
        'a non empty string value must be specified for boxyURL in the additionalConfig for ' +
          'Boxy SAML provider',
      );
    }
  }
}

/** Values the official tables could not hold: refused up front (the real core would answer 500). */
function checkStorable(provider: ThirdPartyProviderRecord): void {
  const tooLong = (value: string | undefined | null, limit: number) =>
    value !== undefined && value !== null && value.length > limit;
  const refuse = (what: string, limit: number) => {
    throw new ProviderConfigError(`${what} must be at most ${limit} characters`);
  };
  if (tooLong(provider.thirdPartyId, LIMITS.thirdPartyId))
    refuse('thirdPartyId', LIMITS.thirdPartyId);
  if (tooLong(provider.name, LIMITS.name)) refuse('name', LIMITS.name);
  const { fromIdTokenPayload, fromUserInfoAPI } = provider.userInfoMap;
  for (const values of [fromIdTokenPayload, fromUserInfoAPI]) {
    for (const value of [values.userId, values.email, values.emailVerified]) {
      if (tooLong(value, LIMITS.userInfoMap)) refuse('each userInfoMap value', LIMITS.userInfoMap);
    }
  }
  for (const client of provider.clients) {
    if (tooLong(client.clientType, LIMITS.clientType)) refuse('clientType', LIMITS.clientType);
    if (tooLong(client.clientId, LIMITS.clientId)) refuse('clientId', LIMITS.clientId);
    if (client.scope?.some((s) => tooLong(s, LIMITS.scope))) refuse('each scope', LIMITS.scope);
  }
}

/**
 * The real core's checks of a tenant's whole provider list (`verifyThirdPartyProvidersArray`),
 * in its order. `skipValidation` skips the provider-specific rules, not what the official tables
 * enforce (one client per client type, a client id, the column sizes).
 */
export function checkProviders(
  providers: ThirdPartyProviderRecord[],
  skipValidation: boolean,
): void {
  const ids = new Set<string>();
  for (const provider of providers) {
    if (ids.has(provider.thirdPartyId)) {
      throw new ProviderConfigError('Duplicate ThirdPartyId was specified in the providers list.');
    }
    ids.add(provider.thirdPartyId);
    if (!skipValidation && provider.thirdPartyId === '') {
      throw new ProviderConfigError('thirdPartyId cannot be null or empty');
    }
    const clientTypes = new Set<string | undefined>();
    for (const client of provider.clients) {
      if (clientTypes.has(client.clientType)) {
        throw new ProviderConfigError('Duplicate clientType was specified in the clients list.');
      }
      clientTypes.add(client.clientType);
      if (client.clientId === undefined) throw new ProviderConfigError('clientId cannot be null');
      if (!skipValidation) checkClientForProvider(client, provider.thirdPartyId);
    }
    checkStorable(provider);
  }
}
