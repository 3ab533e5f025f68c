import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { Store } from '../store/store.interface.js';
import { sha256Hex } from '../crypto.util.js';

/** What a refresh token carries (the real core's V2 plaintext fields). */
export interface RefreshTokenPayload {
  sessionHandle: string;
  userId: string;
  parentRefreshTokenHash1?: string;
  antiCsrfToken?: string;
  tenantId?: string;
}

/**
 * Refresh tokens are opaque to the SDK: `<base64(iv ‖ AES-256-GCM(json) ‖ tag)>.<nonce>.V2`, the
 * shape of the real core's V2 tokens. GCM makes them tamper-proof; the key is the app's secret.
 */
export class RefreshTokens {
  constructor(private readonly store: Store) {}

  private key(appId: string): Promise<Buffer> {
    return this.store.getOrCreateAppSecret(appId, () => randomBytes(32));
  }

  async create(appId: string, payload: RefreshTokenPayload): Promise<string> {
    const nonce = sha256Hex(randomUUID());
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.key(appId), iv);
    const plain = Buffer.from(JSON.stringify({ ...payload, nonce }));
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
      const decipher = createDecipheriv(
        'aes-256-gcm',
        await this.key(appId),
        sealed.subarray(0, 12),
      );
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(12, sealed.length - 16)),
        decipher.final(),
      ]);
      const parsed = JSON.parse(plain.toString('utf8')) as RefreshTokenPayload & { nonce?: string };
      if (parsed.nonce !== nonce || typeof parsed.sessionHandle !== 'string') return undefined;
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
