import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { SigningKeyRecord } from '../records.js';
import type { SigningKeyStorage } from '../storage/signing-key.storage.js';
import type { SqlClient } from './sql-client.js';
import { LOCK_SPACE, num, text } from './sql-rows.js';

/** Keys as the real core stores them: `base64(SPKI DER)|base64(PKCS#8 DER)`. */
function keyString(privateKeyPem: string): string {
  const privateKey = createPrivateKey(privateKeyPem);
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  return `${spki.toString('base64')}|${pkcs8.toString('base64')}`;
}

function privateKeyPem(stored: string): string {
  const der = Buffer.from(stored.split(/[|;]/)[1] ?? '', 'base64');
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

export function signingKeyQueries(db: SqlClient): SigningKeyStorage {
  return {
    async listSigningKeys(appId: string): Promise<SigningKeyRecord[]> {
      const dynamic = await db.query(
        'SELECT created_at_time, value FROM session_access_token_signing_keys WHERE app_id = $1',
        [appId],
      );
      const fixed = await db.query(
        `SELECT key_id, key_string, created_at FROM jwt_signing_keys
         WHERE app_id = $1 AND algorithm = 'RS256' ORDER BY created_at`,
        [appId],
      );
      return [
        ...dynamic.rows.map((r): SigningKeyRecord => ({
          kid: `d-${num(r, 'created_at_time')}`,
          type: 'dynamic',
          createdAt: num(r, 'created_at_time'),
          privateKey: privateKeyPem(text(r, 'value')),
        })),
        ...fixed.rows.map((r): SigningKeyRecord => ({
          kid: text(r, 'key_id'),
          type: 'static',
          createdAt: num(r, 'created_at'),
          privateKey: privateKeyPem(text(r, 'key_string')),
        })),
      ];
    },

    addSigningKeyUnlessFresh(
      appId: string,
      key: SigningKeyRecord,
      since: number,
    ): Promise<boolean> {
      return db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_SPACE, appId]);
        const fresh =
          key.type === 'dynamic'
            ? await tx.query(
                'SELECT 1 FROM session_access_token_signing_keys WHERE app_id = $1 AND created_at_time >= $2',
                [appId, since],
              )
            : await tx.query(
                "SELECT 1 FROM jwt_signing_keys WHERE app_id = $1 AND algorithm = 'RS256'",
                [appId],
              );
        if (fresh.rowCount > 0) return false;
        if (key.type === 'dynamic') {
          await tx.query(
            'INSERT INTO session_access_token_signing_keys (app_id, created_at_time, value) VALUES ($1, $2, $3)',
            [appId, key.createdAt, keyString(key.privateKey)],
          );
        } else {
          await tx.query(
            `INSERT INTO jwt_signing_keys (app_id, key_id, key_string, algorithm, created_at)
             VALUES ($1, $2, $3, 'RS256', $4)`,
            [appId, key.kid, keyString(key.privateKey), key.createdAt],
          );
        }
        return true;
      });
    },

    async removeSigningKeys(appId: string, kids: string[]): Promise<void> {
      const times = kids.filter((k) => /^d-\d+$/.test(k)).map((k) => Number(k.slice(2)));
      const staticIds = kids.filter((k) => !/^d-\d+$/.test(k));
      if (times.length > 0) {
        await db.query(
          'DELETE FROM session_access_token_signing_keys WHERE app_id = $1 AND created_at_time = ANY($2::bigint[])',
          [appId, times],
        );
      }
      if (staticIds.length > 0) {
        await db.query(
          'DELETE FROM jwt_signing_keys WHERE app_id = $1 AND key_id = ANY($2::text[])',
          [appId, staticIds],
        );
      }
    },
  };
}
