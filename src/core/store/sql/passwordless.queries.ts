import type {
  LoginMethodRecord,
  PasswordlessCodeRecord,
  PasswordlessDeviceRecord,
  UserRecord,
} from '../records.js';
import type { AccountInfoQuery } from '../storage/auth-recipe.storage.js';
import type {
  PasswordlessLoginUpdate,
  PasswordlessStorage,
} from '../storage/passwordless.storage.js';
import { isUniqueViolation, type SqlClient, type SqlExecutor, type SqlRow } from './sql-client.js';
import { charColumn, json, num, optionalText, text, unpadded } from './sql-rows.js';
import { clashesWithPrimary, insertUser, lockLinks, userOf } from './users.sql.js';

/** Thrown to roll back a passwordless update whose new phone number is refused. */
class PhoneChangeRefused extends Error {}

const DEVICE_COLUMNS = `d.tenant_id, d.device_id_hash, d.email, d.phone_number, d.link_code_salt,
  d.failed_attempts,
  COALESCE(json_agg(json_build_object('codeId', c.code_id, 'linkCodeHash', c.link_code_hash,
    'timeCreated', c.created_at) ORDER BY c.created_at) FILTER (WHERE c.code_id IS NOT NULL), '[]') AS codes
  FROM passwordless_devices d
  LEFT JOIN passwordless_codes c ON c.app_id = d.app_id AND c.tenant_id = d.tenant_id
    AND c.device_id_hash = d.device_id_hash`;
const DEVICE_GROUP = 'GROUP BY d.app_id, d.tenant_id, d.device_id_hash';

function deviceFrom(row: SqlRow): PasswordlessDeviceRecord {
  const codes = (json(row.codes) as Record<string, unknown>[]).map((c): PasswordlessCodeRecord => ({
    codeId: unpadded(c.codeId),
    linkCodeHash: unpadded(c.linkCodeHash),
    timeCreated: Number(c.timeCreated),
  }));
  const email = optionalText(row, 'email');
  const phoneNumber = optionalText(row, 'phone_number');
  return {
    preAuthSessionId: charColumn(row, 'device_id_hash'),
    tenantId: text(row, 'tenant_id'),
    ...(email !== undefined && { email }),
    ...(phoneNumber !== undefined && { phoneNumber }),
    linkCodeSalt: charColumn(row, 'link_code_salt'),
    failedAttempts: num(row, 'failed_attempts'),
    codes,
  };
}

async function devices(
  db: SqlExecutor,
  where: string,
  params: unknown[],
): Promise<PasswordlessDeviceRecord[]> {
  const { rows } = await db.query(
    `SELECT ${DEVICE_COLUMNS} WHERE ${where} ${DEVICE_GROUP}`,
    params,
  );
  return rows.map(deviceFrom);
}

export function passwordlessQueries(db: SqlClient): PasswordlessStorage {
  return {
    async addPasswordlessCode(
      appId: string,
      preAuthSessionId: string,
      code: PasswordlessCodeRecord,
      newDevice?: PasswordlessDeviceRecord,
    ): Promise<'OK' | 'UNKNOWN_DEVICE' | 'CODE_ALREADY_USED'> {
      try {
        return await db.transaction(async (tx) => {
          if (newDevice) {
            await tx.query(
              `INSERT INTO passwordless_devices (app_id, tenant_id, device_id_hash, email, phone_number,
                 link_code_salt, failed_attempts) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
              [
                appId,
                newDevice.tenantId,
                preAuthSessionId,
                newDevice.email ?? null,
                newDevice.phoneNumber ?? null,
                newDevice.linkCodeSalt,
                newDevice.failedAttempts,
              ],
            );
          }
          const { rows } = await tx.query(
            'SELECT tenant_id FROM passwordless_devices WHERE app_id = $1 AND device_id_hash = $2 FOR UPDATE',
            [appId, preAuthSessionId],
          );
          if (!rows[0]) return 'UNKNOWN_DEVICE';
          await tx.query(
            `INSERT INTO passwordless_codes (app_id, tenant_id, code_id, device_id_hash, link_code_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [
              appId,
              text(rows[0], 'tenant_id'),
              code.codeId,
              preAuthSessionId,
              code.linkCodeHash,
              code.timeCreated,
            ],
          );
          return 'OK';
        });
      } catch (error) {
        if (isUniqueViolation(error)) return 'CODE_ALREADY_USED';
        throw error;
      }
    },

    async getPasswordlessDevice(
      appId: string,
      preAuthSessionId: string,
    ): Promise<PasswordlessDeviceRecord | undefined> {
      const [device] = await devices(db, 'd.app_id = $1 AND d.device_id_hash = $2', [
        appId,
        preAuthSessionId,
      ]);
      return device;
    },

    async findDeviceByLinkCodeHash(
      appId: string,
      linkCodeHash: string,
    ): Promise<PasswordlessDeviceRecord | undefined> {
      const [device] = await devices(
        db,
        `d.app_id = $1 AND (d.tenant_id, d.device_id_hash) IN (SELECT tenant_id, device_id_hash
           FROM passwordless_codes WHERE app_id = $1 AND link_code_hash = $2)`,
        [appId, linkCodeHash],
      );
      return device;
    },

    findPasswordlessDevices(
      appId: string,
      tenantId: string,
      contact: AccountInfoQuery,
    ): Promise<PasswordlessDeviceRecord[]> {
      return devices(
        db,
        'd.app_id = $1 AND d.tenant_id = $2 AND (d.email = $3 OR d.phone_number = $4)',
        [appId, tenantId, contact.email ?? null, contact.phoneNumber ?? null],
      );
    },

    async addFailedAttempt(appId: string, preAuthSessionId: string): Promise<number | undefined> {
      const { rows } = await db.query(
        `UPDATE passwordless_devices SET failed_attempts = failed_attempts + 1
         WHERE app_id = $1 AND device_id_hash = $2 RETURNING failed_attempts`,
        [appId, preAuthSessionId],
      );
      return rows[0] && num(rows[0], 'failed_attempts');
    },

    async deletePasswordlessDevices(appId: string, preAuthSessionIds: string[]): Promise<string[]> {
      if (preAuthSessionIds.length === 0) return [];
      const { rows } = await db.query(
        `DELETE FROM passwordless_devices WHERE app_id = $1 AND device_id_hash = ANY($2::bpchar[])
         RETURNING device_id_hash`,
        [appId, preAuthSessionIds],
      );
      return rows.map((r) => charColumn(r, 'device_id_hash'));
    },

    removePasswordlessCode(appId: string, codeId: string): Promise<void> {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query(
          'DELETE FROM passwordless_codes WHERE app_id = $1 AND code_id = $2 RETURNING tenant_id, device_id_hash',
          [appId, codeId],
        );
        for (const row of rows) {
          await tx.query(
            `DELETE FROM passwordless_devices d WHERE d.app_id = $1 AND d.tenant_id = $2
               AND d.device_id_hash = $3 AND NOT EXISTS (SELECT 1 FROM passwordless_codes c
                 WHERE c.app_id = d.app_id AND c.tenant_id = d.tenant_id AND c.device_id_hash = d.device_id_hash)`,
            [appId, row.tenant_id, row.device_id_hash],
          );
        }
      });
    },

    async signInUpPasswordlessUser(
      appId: string,
      tenantId: string,
      loginMethod: LoginMethodRecord,
    ): Promise<{ user: UserRecord; recipeUserId: string; createdNewUser: boolean }> {
      const byEmail = loginMethod.email !== undefined;
      for (let attempt = 0; ; attempt++) {
        const { rows } = await db.query(
          `SELECT user_id FROM passwordless_user_to_tenant WHERE app_id = $1 AND tenant_id = $2
             AND ${byEmail ? 'email' : 'phone_number'} = $3`,
          [appId, tenantId, byEmail ? loginMethod.email : loginMethod.phoneNumber],
        );
        if (rows[0]) {
          const recipeUserId = charColumn(rows[0], 'user_id');
          const user = await userOf(db, appId, recipeUserId);
          if (user) return { user, recipeUserId, createdNewUser: false };
        } else {
          try {
            await db.transaction((tx) => insertUser(tx, appId, tenantId, loginMethod));
            const user = (await userOf(db, appId, loginMethod.recipeUserId))!;
            return { user, recipeUserId: loginMethod.recipeUserId, createdNewUser: true };
          } catch (error) {
            // Another sign-in created the user first: read it on the next pass.
            if (!isUniqueViolation(error) || attempt >= 3) throw error;
          }
        }
      }
    },

    async updatePasswordlessLogin(
      appId: string,
      recipeUserId: string,
      patch: { email?: string | null; phoneNumber?: string | null },
    ): Promise<PasswordlessLoginUpdate> {
      // Which unique constraint a failed update hit: the one of the column being written.
      let conflict: 'EMAIL_ALREADY_EXISTS' | 'PHONE_NUMBER_ALREADY_EXISTS' = 'EMAIL_ALREADY_EXISTS';
      try {
        return await db.transaction(async (tx) => {
          // The linking lock before any row lock: linking changes take them in that order.
          await lockLinks(tx, appId);
          const { rows } = await tx.query(
            'SELECT email, phone_number FROM passwordless_users WHERE app_id = $1 AND user_id = $2 FOR UPDATE',
            [appId, recipeUserId],
          );
          const row = rows[0];
          if (!row) return 'UNKNOWN_USER_ID';
          const currentEmail = optionalText(row, 'email');
          const currentPhone = optionalText(row, 'phone_number');
          const email = patch.email === undefined ? currentEmail : (patch.email ?? undefined);
          const phone =
            patch.phoneNumber === undefined ? currentPhone : (patch.phoneNumber ?? undefined);
          if (email === undefined && phone === undefined) return 'CLEARS_BOTH';
          if (
            email !== currentEmail &&
            email !== undefined &&
            (await clashesWithPrimary(tx, appId, recipeUserId, { emails: [email] }))
          ) {
            return 'EMAIL_CHANGE_NOT_ALLOWED';
          }
          if (email !== currentEmail) {
            await tx.query(
              'UPDATE passwordless_user_to_tenant SET email = $3 WHERE app_id = $1 AND user_id = $2',
              [appId, recipeUserId, email ?? null],
            );
          }
          conflict = 'PHONE_NUMBER_ALREADY_EXISTS';
          if (
            phone !== currentPhone &&
            phone !== undefined &&
            (await clashesWithPrimary(tx, appId, recipeUserId, { phoneNumbers: [phone] }))
          ) {
            // The email may have changed already: roll it back.
            throw new PhoneChangeRefused();
          }
          if (phone !== currentPhone) {
            await tx.query(
              'UPDATE passwordless_user_to_tenant SET phone_number = $3 WHERE app_id = $1 AND user_id = $2',
              [appId, recipeUserId, phone ?? null],
            );
          }
          await tx.query(
            'UPDATE passwordless_users SET email = $3, phone_number = $4 WHERE app_id = $1 AND user_id = $2',
            [appId, recipeUserId, email ?? null, phone ?? null],
          );
          return 'OK';
        });
      } catch (error) {
        if (isUniqueViolation(error)) return conflict;
        if (error instanceof PhoneChangeRefused) return 'PHONE_NUMBER_CHANGE_NOT_ALLOWED';
        throw error;
      }
    },
  };
}

/** Devices whose every code was created before `codesCreatedBefore`, with their codes. */
export async function deleteExpiredDevices(
  db: SqlExecutor,
  codesCreatedBefore: number,
): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM passwordless_devices d WHERE NOT EXISTS (SELECT 1 FROM passwordless_codes c
       WHERE c.app_id = d.app_id AND c.tenant_id = d.tenant_id
         AND c.device_id_hash = d.device_id_hash AND c.created_at >= $1)`,
    [codesCreatedBefore],
  );
  return rowCount;
}
