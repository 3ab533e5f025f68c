import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes, randomUUID } from 'node:crypto';
import type { KeyValueStorage } from '../store/storage/key-value.storage.js';
import { sha256Hex } from '../crypto.util.js';

/** What a refresh token carries (the real core's V2 plaintext fields). */
export interface RefreshTokenPayload {
  sessionHandle: string;
  userId: string;
  parentRefreshTokenHash1?: string;
  antiCsrfToken?: string;
  tenantId?: string;
}

/** The app's key, in the real core's `key_value` row of this name and format. */
const KEY_NAME = 'refresh_token_key';

/** `1000:<salt hex>:<PBKDF2 hex>`: the shape the real core generates (only the string is used). */
function newKey(): string {
  const salt = randomBytes(64);
  const derived = pbkdf2Sync(randomBytes(64).toString('hex'), salt, 1000, 64, 'sha512');
  return `1000:${salt.toString('hex')}:${derived.toString('hex')}`;
}

/** The real core's `Utils.encrypt` key: PBKDF2-HMAC-SHA512(master key, iv, 100 rounds, 256 bits). */
const aesKey = (masterKey: string, iv: Buffer): Buffer =>
  pbkdf2Sync(masterKey, iv, 100, 32, 'sha512');

/**
 * Refresh tokens exactly as the real core writes them (V2, "free optimised"):
 * `base64(iv ‖ AES-256-GCM(json payload) ‖ tag).<nonce>.V2`, keyed by the app's
 * `refresh_token_key`. A core started later on the same database opens tokens issued here, and
 * the other way round.
 */
export class RefreshTokens {
  constructor(private readonly store: KeyValueStorage) {}

  private key(appId: string): Promise<string> {
    return this.store.getOrCreateAppValue(appId, KEY_NAME, newKey);
  }

  async create(appId: string, payload: RefreshTokenPayload): Promise<string> {
    const nonce = sha256Hex(randomUUID());
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', aesKey(await this.key(appId), iv), iv);
    // The real core's field order (Gson writes declared fields, skipping nulls).
    const plain = Buffer.from(
      JSON.stringify({
        sessionHandle: payload.sessionHandle,
        userId: payload.userId,
        parentRefreshTokenHash1: payload.parentRefreshTokenHash1,
        nonce,
        antiCsrfToken: payload.antiCsrfToken,
        tenantId: payload.tenantId,
      }),
    );
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return `${sealed.toString('base64')}.${nonce}.V2`;
  }

  /** The payload, or undefined for anything that is not an intact token of this app. */
  async open(appId: string, token: string): Promise<RefreshTokenPayload | undefined> {
    const [sealedText, nonce, version, extra] = token.split('.');
    if (!sealedText || !nonce || version !== 'V2' || extra !== undefined) return undefined;
    const sealed = Buffer.from(sealedText, 'base64');
    if (sealed.length < 12 + 16 + 2) return undefined;
    try {
      const iv = sealed.subarray(0, 12);
      const decipher = createDecipheriv('aes-256-gcm', aesKey(await this.key(appId), iv), iv);
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(12, sealed.length - 16)),
        decipher.final(),
      ]);
      const parsed = JSON.parse(plain.toString('utf8')) as RefreshTokenPayload & { nonce?: string };
      if (
        parsed.nonce !== nonce ||
        typeof parsed.sessionHandle !== 'string' ||
        typeof parsed.userId !== 'string'
      ) {
        return undefined;
      }
      return {
        sessionHandle: parsed.sessionHandle,
        userId: parsed.userId,
        parentRefreshTokenHash1: parsed.parentRefreshTokenHash1,
        antiCsrfToken: parsed.antiCsrfToken,
        tenantId: parsed.tenantId,
      };
    } catch {
      return undefined;
    }
  }
}
