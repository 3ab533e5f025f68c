import type { TotpDeviceRecord, TotpUsedCodeRecord } from '../records.js';
import type { TotpStorage } from '../storage/totp.storage.js';
import type { SqlClient, SqlExecutor, SqlRow } from './sql-client.js';
import { num, text, unlessTaken } from './sql-rows.js';

const deviceFrom = (row: SqlRow): TotpDeviceRecord => ({
  userId: text(row, 'user_id'),
  name: text(row, 'device_name'),
  secretKey: text(row, 'secret_key'),
  period: num(row, 'period'),
  skew: num(row, 'skew'),
  verified: Boolean(row.verified),
  createdAt: num(row, 'created_at'),
});

const usedCodeFrom = (row: SqlRow): TotpUsedCodeRecord => ({
  code: text(row, 'code'),
  isValid: Boolean(row.is_valid),
  expiryTime: num(row, 'expiry_time_ms'),
  createdTime: num(row, 'created_time_ms'),
});

async function insertDevice(tx: SqlExecutor, appId: string, d: TotpDeviceRecord): Promise<void> {
  await tx.query(
    `INSERT INTO totp_user_devices (app_id, user_id, device_name, secret_key, period, skew,
       verified, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [appId, d.userId, d.name, d.secretKey, d.period, d.skew, d.verified, d.createdAt],
  );
}

export function totpQueries(db: SqlClient): TotpStorage {
  const devicesOf = async (appId: string, userIds: string[]) => {
    const { rows } = await db.query(
      `SELECT * FROM totp_user_devices WHERE app_id = $1 AND user_id = ANY($2::text[])
       ORDER BY created_at, device_name`,
      [appId, userIds],
    );
    const byUser = new Map<string, TotpDeviceRecord[]>();
    for (const device of rows.map(deviceFrom)) {
      byUser.set(device.userId, [...(byUser.get(device.userId) ?? []), device]);
    }
    return byUser;
  };
  return {
    createTotpDevice(appId, device) {
      return unlessTaken(
        () =>
          db.transaction(async (tx) => {
            await tx.query(
              'INSERT INTO totp_users (app_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
              [appId, device.userId],
            );
            const { rows } = await tx.query(
              `SELECT verified FROM totp_user_devices WHERE app_id = $1 AND user_id = $2
                 AND device_name = $3 FOR UPDATE`,
              [appId, device.userId, device.name],
            );
            if (rows[0]?.verified === true) return 'DEVICE_ALREADY_EXISTS' as const;
            if (rows[0]) {
              await tx.query(
                'DELETE FROM totp_user_devices WHERE app_id = $1 AND user_id = $2 AND device_name = $3',
                [appId, device.userId, device.name],
              );
            }
            await insertDevice(tx, appId, device);
            return 'OK' as const;
          }),
        'DEVICE_ALREADY_EXISTS' as const,
      );
    },

    async listTotpDevices(appId, userId) {
      return (await devicesOf(appId, [userId])).get(userId) ?? [];
    },

    listTotpDevicesOfUsers: devicesOf,

    renameTotpDevice(appId, userId, name, newName) {
      return unlessTaken(async () => {
        const { rowCount } = await db.query(
          `UPDATE totp_user_devices SET device_name = $4 WHERE app_id = $1 AND user_id = $2
             AND device_name = $3`,
          [appId, userId, name, newName],
        );
        return rowCount > 0 ? ('OK' as const) : ('UNKNOWN_DEVICE' as const);
      }, 'DEVICE_ALREADY_EXISTS' as const);
    },

    removeTotpDevice(appId, userId, name) {
      return db.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          'DELETE FROM totp_user_devices WHERE app_id = $1 AND user_id = $2 AND device_name = $3',
          [appId, userId, name],
        );
        if (rowCount === 0) return false;
        // The last device takes the user's TOTP state (its codes, by cascade) with it.
        await tx.query(
          `DELETE FROM totp_users u WHERE u.app_id = $1 AND u.user_id = $2 AND NOT EXISTS (
             SELECT 1 FROM totp_user_devices d WHERE d.app_id = $1 AND d.user_id = $2)`,
          [appId, userId],
        );
        return true;
      });
    },

    recordTotpAttempt(appId, tenantId, userId, decide) {
      return db.transaction(async (tx) => {
        // The user's row, locked: one code check per user at a time, so a code is used once.
        const { rowCount: known } = await tx.query(
          'SELECT 1 FROM totp_users WHERE app_id = $1 AND user_id = $2 FOR UPDATE',
          [appId, userId],
        );
        const devices =
          known === 0
            ? []
            : (
                await tx.query(
                  `SELECT * FROM totp_user_devices WHERE app_id = $1 AND user_id = $2
                   ORDER BY created_at, device_name`,
                  [appId, userId],
                )
              ).rows.map(deviceFrom);
        const usedCodes =
          known === 0
            ? []
            : (
                await tx.query(
                  `SELECT * FROM totp_used_codes WHERE app_id = $1 AND tenant_id = $2
                     AND user_id = $3 ORDER BY created_time_ms DESC`,
                  [appId, tenantId, userId],
                )
              ).rows.map(usedCodeFrom);
        const { result, usedCode, verifiedDevice } = decide({ devices, usedCodes });
        if (known === 0) return result;
        if (usedCode) {
          await tx.query(
            `INSERT INTO totp_used_codes (app_id, tenant_id, user_id, code, is_valid,
               expiry_time_ms, created_time_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [
              appId,
              tenantId,
              userId,
              usedCode.code,
              usedCode.isValid,
              usedCode.expiryTime,
              usedCode.createdTime,
            ],
          );
        }
        if (verifiedDevice !== undefined) {
          await tx.query(
            `UPDATE totp_user_devices SET verified = TRUE WHERE app_id = $1 AND user_id = $2
               AND device_name = $3`,
            [appId, userId, verifiedDevice],
          );
        }
        return result;
      });
    },
  };
}

/** The real core's `DeleteExpiredTotpTokens` cron; returns how many rows went. */
export async function deleteExpiredTotpCodes(db: SqlClient, before: number): Promise<number> {
  return (await db.query('DELETE FROM totp_used_codes WHERE expiry_time_ms < $1', [before]))
    .rowCount;
}
