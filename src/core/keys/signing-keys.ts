import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import type { CoreConfig } from '../core.config.js';
import type { SigningKeyRecord } from '../store/records.js';
import type { SigningKeyStorage } from '../store/storage/signing-key.storage.js';
import { newId } from '../crypto.util.js';

export interface LoadedKey {
  record: SigningKeyRecord;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: Record<string, unknown>;
}

interface AppKeys {
  keys: Map<string, LoadedKey>;
  loadedAt: number;
  /** When the first cached dynamic key passes its retention. */
  prunableAt: number;
  jwks?: string;
}

/** How often an unknown `kid` may make us re-read the store (forged kids must stay cheap). */
const RELOAD_COOLDOWN_MS = 5_000;

/** A new dynamic key is listed at once but signs only after this delay (as the real core). */
const NEW_KEY_SIGNING_DELAY_MS = 60_000;

function generateRsaKey(): Promise<string> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, _publicKey, privateKey) =>
      error
        ? reject(error)
        : resolve(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
    );
  });
}

function load(record: SigningKeyRecord): LoadedKey {
  const privateKey = createPrivateKey(record.privateKey);
  const publicKey = createPublicKey(privateKey);
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: record.kid, alg: 'RS256', use: 'sig' };
  return { record, privateKey, publicKey, jwk };
}

/**
 * The RS256 keys access tokens are signed with, per app: dynamic keys (`d-<createdAtMs>`)
 * rotated every `accessTokenDynamicSigningKeyUpdateInterval` hours and kept verifiable for that
 * interval plus twice the access-token validity, and one static key (`s-<uuid>`) created on first
 * use. Keys live in the store; this class caches their parsed form and the JWKS document.
 */
export class SigningKeys {
  private readonly apps = new Map<string, Promise<AppKeys>>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly store: SigningKeyStorage,
    private readonly config: CoreConfig,
    private readonly now: () => number = Date.now,
  ) {}

  private get intervalMs(): number {
    return this.config.accessTokenDynamicSigningKeyUpdateInterval * 3_600_000;
  }

  private get retentionMs(): number {
    return this.intervalMs + 2 * this.config.accessTokenValidity * 1000;
  }

  /** The key to sign a new token with, creating or rotating keys when due. */
  async signingKey(appId: string, type: 'dynamic' | 'static'): Promise<LoadedKey> {
    let keys = await this.appKeys(appId);
    if (type === 'static') {
      const existing = [...keys.keys.values()].find((k) => k.record.type === 'static');
      if (existing) return existing;
      await this.once(`${appId}:static`, () => this.create(appId, 'static'));
    } else if (this.rotationDue(keys)) {
      await this.once(`${appId}:dynamic`, () => this.create(appId, 'dynamic'));
    }
    keys = await this.appKeys(appId);
    return type === 'static'
      ? [...keys.keys.values()].find((k) => k.record.type === 'static')!
      : this.currentDynamic(keys);
  }

  /** The key a token with this `kid` was signed with, if it is still valid. */
  async verificationKey(appId: string, kid: string): Promise<KeyObject | undefined> {
    let keys = await this.appKeys(appId);
    if (!keys.keys.has(kid) && keys.loadedAt < this.now() - RELOAD_COOLDOWN_MS) {
      // Another core process sharing the store may have created it since we loaded.
      this.apps.delete(appId);
      keys = await this.appKeys(appId);
    }
    return keys.keys.get(kid)?.publicKey;
  }

  /** The JWKS document (JSON text) and how long clients may cache it, in seconds. */
  async jwks(appId: string): Promise<{ body: string; maxAgeSeconds: number }> {
    let keys = await this.appKeys(appId);
    if (keys.keys.size === 0 || this.rotationDue(keys)) {
      await this.once(`${appId}:dynamic`, () => this.create(appId, 'dynamic'));
      keys = await this.appKeys(appId);
    }
    keys.jwks ??= JSON.stringify({ keys: [...keys.keys.values()].map((k) => k.jwk) });
    const newest = this.newestDynamic(keys);
    const nextDue = (newest?.record.createdAt ?? 0) + this.intervalMs - NEW_KEY_SIGNING_DELAY_MS;
    return {
      body: keys.jwks,
      maxAgeSeconds: Math.max(1, Math.floor((nextDue - this.now()) / 1000)),
    };
  }

  private async appKeys(appId: string): Promise<AppKeys> {
    let loading = this.apps.get(appId);
    if (!loading) {
      loading = this.loadApp(appId);
      this.apps.set(appId, loading);
      loading.catch(() => this.apps.delete(appId));
    }
    const keys = await loading;
    if (keys.prunableAt > this.now()) return keys;
    // A cached key has outlived its retention: reload, which drops it.
    if (this.apps.get(appId) === loading) this.apps.delete(appId);
    return this.appKeys(appId);
  }

  private async loadApp(appId: string): Promise<AppKeys> {
    const now = this.now();
    const records = await this.store.listSigningKeys(appId);
    const expired = records.filter(
      (r) => r.type === 'dynamic' && r.createdAt + this.retentionMs < now,
    );
    if (expired.length > 0)
      await this.store.removeSigningKeys(
        appId,
        expired.map((r) => r.kid),
      );
    const live = records.filter((r) => !expired.includes(r));
    const expiries = live
      .filter((r) => r.type === 'dynamic')
      .map((r) => r.createdAt + this.retentionMs);
    return {
      keys: new Map(live.map((r) => [r.kid, load(r)])),
      loadedAt: now,
      prunableAt: Math.min(Infinity, ...expiries),
    };
  }

  private rotationDue(keys: AppKeys): boolean {
    const newest = this.newestDynamic(keys);
    return (
      !newest || newest.record.createdAt < this.now() - (this.intervalMs - NEW_KEY_SIGNING_DELAY_MS)
    );
  }

  private newestDynamic(keys: AppKeys): LoadedKey | undefined {
    let newest: LoadedKey | undefined;
    for (const key of keys.keys.values()) {
      if (
        key.record.type === 'dynamic' &&
        (!newest || key.record.createdAt > newest.record.createdAt)
      ) {
        newest = key;
      }
    }
    return newest;
  }

  /** The newest dynamic key old enough to sign; a brand-new key signs only if it is the only one. */
  private currentDynamic(keys: AppKeys): LoadedKey {
    const ready = this.now() - NEW_KEY_SIGNING_DELAY_MS;
    let best: LoadedKey | undefined;
    for (const key of keys.keys.values()) {
      if (key.record.type !== 'dynamic' || key.record.createdAt > ready) continue;
      if (!best || key.record.createdAt > best.record.createdAt) best = key;
    }
    return best ?? this.newestDynamic(keys)!;
  }

  private async create(appId: string, type: 'dynamic' | 'static'): Promise<void> {
    const createdAt = this.now();
    const kid = type === 'dynamic' ? `d-${createdAt}` : `s-${newId()}`;
    // Another process sharing the store may have rotated since we looked: the store adds the key
    // only if no key of this type is fresh, so two instances rotating at once make one key.
    const freshSince = createdAt - (this.intervalMs - NEW_KEY_SIGNING_DELAY_MS);
    await this.store.addSigningKeyUnlessFresh(
      appId,
      { kid, type, createdAt, privateKey: await generateRsaKey() },
      freshSince,
    );
    this.apps.delete(appId);
  }

  /** Runs `task` once at a time per name, so concurrent requests do not create twin keys. */
  private once(name: string, task: () => Promise<void>): Promise<void> {
    let running = this.pending.get(name);
    if (!running) {
      running = task().finally(() => this.pending.delete(name));
      this.pending.set(name, running);
    }
    return running;
  }
}
