import type {
  WebAuthnCredentialRecord,
  WebAuthnOptionsRecord,
  WebAuthnRecoveryTokenRecord,
} from '../records.js';
import type { WebAuthnStorage } from '../storage/webauthn.storage.js';
import { isUniqueViolation, type SqlClient, type SqlExecutor, type SqlRow } from './sql-client.js';
import { charColumn, num, optionalText, text, unlessTaken } from './sql-rows.js';
import { clashesWithPrimary, insertAuthRecipeUser, lockLinks, userOf } from './users.sql.js';

const optionsFrom = (row: SqlRow): WebAuthnOptionsRecord => {
  const email = optionalText(row, 'email');
  return {
    id: charColumn(row, 'id'),
    tenantId: text(row, 'tenant_id'),
    challenge: text(row, 'challenge'),
    ...(email !== undefined && { email }),
    relyingPartyId: text(row, 'rp_id'),
    relyingPartyName: text(row, 'rp_name'),
    origin: text(row, 'origin'),
    createdAt: num(row, 'created_at'),
    expiresAt: num(row, 'expires_at'),
    userPresenceRequired: Boolean(row.user_presence_required),
    userVerification: text(row, 'user_verification') as WebAuthnOptionsRecord['userVerification'],
  };
};

const credentialFrom = (row: SqlRow): WebAuthnCredentialRecord => ({
  id: text(row, 'id'),
  relyingPartyId: text(row, 'rp_id'),
  userId: charColumn(row, 'user_id'),
  counter: num(row, 'counter'),
  publicKey: new Uint8Array(row.public_key as Uint8Array),
  transports: text(row, 'transports'),
  createdAt: num(row, 'created_at'),
  updatedAt: num(row, 'updated_at'),
});

const tokenFrom = (row: SqlRow): WebAuthnRecoveryTokenRecord => ({
  tenantId: text(row, 'tenant_id'),
  userId: charColumn(row, 'user_id'),
  email: text(row, 'email'),
  tokenHash: text(row, 'token'),
  expiresAt: num(row, 'expires_at'),
});

async function insertCredential(
  tx: SqlExecutor,
  appId: string,
  c: WebAuthnCredentialRecord,
): Promise<void> {
  await tx.query(
    `INSERT INTO webauthn_credentials (id, app_id, rp_id, user_id, counter, public_key, transports,
       created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      c.id,
      appId,
      c.relyingPartyId,
      c.userId,
      c.counter,
      // A Buffer: `pg` sends it as bytea (a bare Uint8Array would be sent as JSON).
      Buffer.from(c.publicKey),
      c.transports,
      c.createdAt,
      c.updatedAt,
    ],
  );
}

/** PostgreSQL's SQLSTATE for a foreign-key violation. */
const FOREIGN_KEY_VIOLATION = '23503';
const constraintOf = (error: unknown): string | undefined =>
  (error as { constraint?: string } | null)?.constraint;

export function webAuthnQueries(db: SqlClient): WebAuthnStorage {
  return {
    async saveWebAuthnOptions(appId, o) {
      await db.query(
        `INSERT INTO webauthn_generated_options (app_id, tenant_id, id, challenge, email, rp_id,
           origin, expires_at, created_at, rp_name, user_verification, user_presence_required)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          appId,
          o.tenantId,
          o.id,
          o.challenge,
          o.email ?? null,
          o.relyingPartyId,
          o.origin,
          o.expiresAt,
          o.createdAt,
          o.relyingPartyName,
          o.userVerification,
          o.userPresenceRequired,
        ],
      );
    },

    async getWebAuthnOptions(appId, tenantId, id) {
      const { rows } = await db.query(
        `SELECT * FROM webauthn_generated_options WHERE app_id = $1 AND id = $2
           AND ($3::text IS NULL OR tenant_id = $3) ORDER BY tenant_id LIMIT 1`,
        [appId, id, tenantId ?? null],
      );
      return rows[0] && optionsFrom(rows[0]);
    },

    async removeWebAuthnOptions(appId, tenantId, id) {
      const { rowCount } = await db.query(
        'DELETE FROM webauthn_generated_options WHERE app_id = $1 AND tenant_id = $2 AND id = $3',
        [appId, tenantId, id],
      );
      return rowCount > 0;
    },

    async spendWebAuthnChallenge(appId, id, challenge, replacement) {
      const { rowCount } = await db.query(
        `UPDATE webauthn_generated_options SET challenge = $4
         WHERE app_id = $1 AND id = $2 AND challenge = $3`,
        [appId, id, challenge, replacement],
      );
      return rowCount > 0;
    },

    async signUpWebAuthnUser(appId, tenantId, method, credential) {
      try {
        return await db.transaction(async (tx) => {
          await insertAuthRecipeUser(tx, appId, tenantId, method);
          await tx.query(
            'INSERT INTO webauthn_user_to_tenant (app_id, tenant_id, user_id, email) VALUES ($1, $2, $3, $4)',
            [appId, tenantId, method.recipeUserId, method.email],
          );
          await tx.query(
            `INSERT INTO webauthn_users (app_id, user_id, email, rp_id, time_joined)
             VALUES ($1, $2, $3, $4, $5)`,
            [
              appId,
              method.recipeUserId,
              method.email,
              credential.relyingPartyId,
              method.timeJoined,
            ],
          );
          await insertCredential(tx, appId, credential);
          return 'OK' as const;
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        return constraintOf(error) === 'webauthn_credentials_pkey'
          ? 'CREDENTIAL_ALREADY_EXISTS'
          : 'EMAIL_ALREADY_EXISTS';
      }
    },

    async saveWebAuthnCredential(appId, credential) {
      try {
        await insertCredential(db, appId, credential);
        return 'OK';
      } catch (error) {
        if (isUniqueViolation(error)) return 'CREDENTIAL_ALREADY_EXISTS';
        if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) return 'UNKNOWN_USER_ID';
        throw error;
      }
    },

    async getWebAuthnCredential(appId, credentialId, userId) {
      const { rows } = await db.query(
        `SELECT * FROM webauthn_credentials WHERE app_id = $1 AND id = $2
           AND ($3::text IS NULL OR user_id = $3) ORDER BY created_at LIMIT 1`,
        [appId, credentialId, userId ?? null],
      );
      return rows[0] && credentialFrom(rows[0]);
    },

    async listWebAuthnCredentials(appId, userId) {
      const { rows } = await db.query(
        `SELECT * FROM webauthn_credentials WHERE app_id = $1 AND user_id = $2
         ORDER BY created_at, id`,
        [appId, userId],
      );
      return rows.map(credentialFrom);
    },

    async removeWebAuthnCredential(appId, userId, credentialId) {
      const { rowCount } = await db.query(
        'DELETE FROM webauthn_credentials WHERE app_id = $1 AND id = $2 AND user_id = $3',
        [appId, credentialId, userId],
      );
      return rowCount > 0;
    },

    async updateWebAuthnCounter(appId, credentialId, expected, counter, now) {
      const { rowCount } = await db.query(
        `UPDATE webauthn_credentials SET counter = $4, updated_at = $5
         WHERE app_id = $1 AND id = $2 AND counter = $3`,
        [appId, credentialId, expected, counter, now],
      );
      return rowCount > 0;
    },

    updateWebAuthnEmail(appId, tenantId, recipeUserId, email) {
      return unlessTaken(
        () =>
          db.transaction(async (tx) => {
            // A primary user's new email is checked against other primary users: linking's lock.
            await lockLinks(tx, appId);
            const user = await userOf(tx, appId, recipeUserId);
            const own = user?.loginMethods.find(
              (m) => m.recipeUserId === recipeUserId && m.recipeId === 'webauthn',
            );
            if (!user || !own) return 'UNKNOWN_USER_ID' as const;
            if (await clashesWithPrimary(tx, appId, recipeUserId, { emails: [email] })) {
              return 'USER_WITH_EMAIL_ALREADY_EXISTS' as const;
            }
            await tx.query(
              `UPDATE webauthn_user_to_tenant SET email = $4
               WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3`,
              [appId, tenantId, recipeUserId, email],
            );
            await tx.query(
              'UPDATE webauthn_users SET email = $3 WHERE app_id = $1 AND user_id = $2',
              [appId, recipeUserId, email],
            );
            return 'OK' as const;
          }),
        'EMAIL_ALREADY_EXISTS' as const,
      );
    },

    async saveWebAuthnRecoveryToken(appId, t) {
      const { rowCount } = await db.query(
        `INSERT INTO webauthn_account_recovery_tokens (app_id, tenant_id, user_id, email, token,
           expires_at)
         SELECT $1::varchar, $2::varchar, $3::bpchar, $4::varchar, $5::varchar, $6::bigint
         WHERE EXISTS (SELECT 1 FROM all_auth_recipe_users
           WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3)`,
        [appId, t.tenantId, t.userId, t.email, t.tokenHash, t.expiresAt],
      );
      return rowCount > 0;
    },

    async getWebAuthnRecoveryToken(appId, tenantId, tokenHash) {
      const { rows } = await db.query(
        `SELECT * FROM webauthn_account_recovery_tokens
         WHERE app_id = $1 AND tenant_id = $2 AND token = $3 LIMIT 1`,
        [appId, tenantId, tokenHash],
      );
      return rows[0] && tokenFrom(rows[0]);
    },

    consumeWebAuthnRecoveryToken(appId, tenantId, tokenHash, now) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query(
          `SELECT * FROM webauthn_account_recovery_tokens
           WHERE app_id = $1 AND tenant_id = $2 AND token = $3 LIMIT 1 FOR UPDATE`,
          [appId, tenantId, tokenHash],
        );
        const token = rows[0] && tokenFrom(rows[0]);
        if (!token || token.expiresAt < now) return undefined;
        // Of two concurrent uses, the second finds the row gone: it waited on the lock above.
        const { rowCount } = await tx.query(
          `DELETE FROM webauthn_account_recovery_tokens
           WHERE app_id = $1 AND tenant_id = $2 AND email = $3`,
          [appId, tenantId, token.email],
        );
        return rowCount > 0 ? token : undefined;
      });
    },
  };
}

/** The real core's webauthn clean-up: expired recovery tokens and generated options. */
export async function deleteExpiredWebAuthnData(db: SqlExecutor, now: number): Promise<number> {
  const tokens = await db.query(
    'DELETE FROM webauthn_account_recovery_tokens WHERE expires_at < $1',
    [now],
  );
  const options = await db.query('DELETE FROM webauthn_generated_options WHERE expires_at < $1', [
    now,
  ]);
  return tokens.rowCount + options.rowCount;
}
