import { resolveCoreConfig } from './core.config.js';
import { configRuleProblem, configTypeProblem } from './core-config.rules.js';

const defaults = { accessTokenValidity: 3600, refreshTokenValidity: 144000 };

describe("the real core's config checks", () => {
  it.each([
    ['access_token_validity', 'soon', "'access_token_validity' must be of type long"],
    ['access_token_validity', 60.5, "'access_token_validity' must be of type long"],
    ['access_token_validity', true, "'access_token_validity' must be of type long"],
    ['totp_max_attempts', 3_000_000_000, "'totp_max_attempts' must be of type int"],
    ['refresh_token_validity', 'x', "'refresh_token_validity' must be of type double"],
    ['disable_telemetry', 1, "'disable_telemetry' must be of type boolean"],
    ['access_token_validity', { n: 1 }, "'access_token_validity' must be of type long"],
  ])('refuses %s = %j: %s', (key, value, message) => {
    expect(configTypeProblem(key, value)).toBe(message);
  });

  it.each([
    ['access_token_validity', '7200'],
    ['access_token_validity', 1e3],
    ['refresh_token_validity', 0.5],
    ['disable_telemetry', 'TRUE'],
    ['password_hashing_alg', 'argon2'],
    ['log_level', 7],
  ])('reads %s = %j as Gson does', (key, value) => {
    expect(configTypeProblem(key, value)).toBeUndefined();
  });

  it('checks ranges in the order and words of normalizeAndValidate', () => {
    const rules = (values: Record<string, unknown>) =>
      configRuleProblem((key) => values[key], defaults)?.message;
    expect(rules({ access_token_dynamic_signing_key_update_interval: 0.001 })).toBe(
      "'access_token_dynamic_signing_key_update_interval' must be greater than, equal to 1 hour.",
    );
    expect(rules({ access_token_signing_key_update_interval: 0.5 })).toMatch(
      /^'access_token_dynamic_signing_key_update_interval'/,
    );
    expect(rules({ access_token_validity: 86_400_001 })).toBe(
      "'access_token_validity' must be between 1 and 86400000 seconds inclusive.",
    );
    expect(rules({ access_token_validity: 7200, refresh_token_validity: 120 })).toBe(
      "'refresh_token_validity' must be strictly greater than 'access_token_validity'.",
    );
    expect(rules({ password_hashing_alg: 'ARGON2', argon2_hashing_pool_size: 11 })).toBe(
      "'argon2_hashing_pool_size' must be <= 'max_server_pool_size'",
    );
    expect(rules({ bcrypt_log_rounds: 0 })).toBe("'bcrypt_log_rounds' must be >= 1");
    expect(rules({ log_level: 'loud' })).toBe(
      `'log_level' config must be one of "NONE","DEBUG", "INFO", "WARN" or "ERROR".`,
    );
    expect(rules({ ip_allow_regex: '(' })).toBe(
      'Provided regular expression is invalid for ip_allow_regex config',
    );
    expect(rules({ access_token_validity: 7200, refresh_token_validity: 121 })).toBeUndefined();
  });

  it('refuses embedded-core options the real core would refuse, naming the option', () => {
    // Before: accepted, and every session then got a signing key of its own.
    expect(() => resolveCoreConfig({ accessTokenDynamicSigningKeyUpdateInterval: 0.001 })).toThrow(
      "Embedded core option config.accessTokenDynamicSigningKeyUpdateInterval: 'access_token_dynamic_signing_key_update_interval' must be greater than, equal to 1 hour.",
    );
    expect(() => resolveCoreConfig({ passwordlessMaxCodeInputAttempts: 2.5 })).toThrow(
      "config.passwordlessMaxCodeInputAttempts: 'passwordless_max_code_input_attempts' must be of type int",
    );
    expect(() => resolveCoreConfig({ accessTokenValidity: 0 })).toThrow(
      "config.accessTokenValidity: 'access_token_validity' must be between 1 and 86400000 seconds inclusive.",
    );
    expect(() => resolveCoreConfig({ passwordlessCodeLifetime: Number.NaN })).toThrow(
      "config.passwordlessCodeLifetime: 'passwordless_code_lifetime' must be a finite number",
    );
    expect(() =>
      resolveCoreConfig({ accessTokenValidity: 7200, refreshTokenValidity: 100 }),
    ).toThrow(
      "config.refreshTokenValidity: 'refresh_token_validity' must be strictly greater than 'access_token_validity'.",
    );
    expect(resolveCoreConfig({ accessTokenDynamicSigningKeyUpdateInterval: 1 })).toMatchObject({
      accessTokenDynamicSigningKeyUpdateInterval: 1,
    });
  });
});
