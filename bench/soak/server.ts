import 'reflect-metadata';
import { ConsoleLogger, Controller, Get, Module, Query, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  AuthGuard,
  AuthModule,
  Session as CurrentSession,
  DeliveryInbox,
  VerifySession,
} from '../../src/auth/index.js';
import { AUTH_RUNTIME } from '../../src/auth/module/auth.constants.js';
import type { AuthRuntime } from '../../src/auth/module/auth-runtime.interface.js';
import { resolveCoreConfig } from '../../src/core/core.config.js';
import { cleanupCutoffs } from '../../src/core/multitenancy/tenant-settings.js';
import { MemoryStore } from '../../src/core/store/memory/memory.store.js';
import { openPglite } from '../../src/core/store/sql/pglite.client.js';
import { openPostgres } from '../../src/core/store/sql/pg.client.js';
import type { SqlClient } from '../../src/core/store/sql/sql-client.js';
import { SqlStore } from '../../src/core/store/sql/sql.store.js';
import type { Store } from '../../src/core/store/store.interface.js';
import {
  SOAK_CLEANUP_INTERVAL_MS,
  SOAK_CORE_CONFIG,
  type CleanupRun,
  type SoakRequest,
  type SoakRows,
  type SoakStore,
} from './settings.js';

/**
 * The app the soak loads, in its own process (started by main.ts) so its memory is measured
 * alone: AuthModule on the embedded core with email + password and email passwordless (codes to
 * the in-memory inbox, read back through GET /soak/code), a guarded route and a database-checked
 * one. The store is SOAK_STORE: memory, PGlite in SOAK_PGLITE_DIR or PostgreSQL at
 * SOAK_POSTGRES_URL. It is opened here and handed to the core as `embeddedCore.store` so the
 * soak can count rows in it, and so every scheduled clean-up is recorded with the row counts
 * before and after it. Answers `sample`, `heap` (after a full GC), `cleanup` (one run now),
 * `cleanups` and `stop` over IPC.
 */
const kind = (process.env.SOAK_STORE ?? 'memory') as SoakStore;

async function openSoakStore(): Promise<{ store: Store; sql?: SqlClient }> {
  if (kind === 'memory') return { store: new MemoryStore() };
  const sql =
    kind === 'pglite'
      ? await openPglite(process.env.SOAK_PGLITE_DIR!)
      : await openPostgres(process.env.SOAK_POSTGRES_URL!);
  return { store: await SqlStore.open(sql), sql };
}

/** The rows there are; or, given a clean-up's cut-offs, the rows past them. */
async function countRows(
  sql: SqlClient | undefined,
  expiredAt?: { now: number; codesCreatedBefore: number },
): Promise<SoakRows | null> {
  if (!sql) return null;
  // A device expires when every code it has was made before the cut-off (deleteExpiredDevices).
  const liveDevice = `EXISTS (SELECT 1 FROM passwordless_codes n WHERE n.app_id = d.app_id
    AND n.tenant_id = d.tenant_id AND n.device_id_hash = d.device_id_hash AND n.created_at >= $2)`;
  const { rows } = expiredAt
    ? await sql.query(
        `SELECT (SELECT count(*) FROM session_info WHERE expires_at < $1) AS session_info,
           (SELECT count(*) FROM passwordless_devices d WHERE NOT ${liveDevice}) AS passwordless_devices,
           (SELECT count(*) FROM passwordless_codes c JOIN passwordless_devices d
              USING (app_id, tenant_id, device_id_hash) WHERE NOT ${liveDevice}) AS passwordless_codes,
           (SELECT count(*) FROM nest_supertokens_counters WHERE reset_at <= $1) AS nest_supertokens_counters`,
        [expiredAt.now, expiredAt.codesCreatedBefore],
      )
    : await sql.query(
        `SELECT (SELECT count(*) FROM session_info) AS session_info,
           (SELECT count(*) FROM passwordless_devices) AS passwordless_devices,
           (SELECT count(*) FROM passwordless_codes) AS passwordless_codes,
           (SELECT count(*) FROM nest_supertokens_counters) AS nest_supertokens_counters`,
      );
  const row = rows[0];
  return {
    session_info: Number(row.session_info),
    passwordless_devices: Number(row.passwordless_devices),
    passwordless_codes: Number(row.passwordless_codes),
    nest_supertokens_counters: Number(row.nest_supertokens_counters),
  };
}

@Controller()
class SoakController {
  constructor(private readonly inbox: DeliveryInbox) {}

  @Get('me')
  @UseGuards(AuthGuard)
  me(@CurrentSession('userId') userId: string) {
    return { userId };
  }

  @Get('strict')
  @UseGuards(AuthGuard)
  @VerifySession({ checkDatabase: true })
  strict(@CurrentSession('handle') handle: string) {
    return { handle };
  }

  /** The last one-time code sent to `to`: the soak's stand-in for reading the email. */
  @Get('soak/code')
  code(@Query('to') to: string) {
    return { code: this.inbox.last(to, 'passwordless')?.code };
  }
}

const gc = (globalThis as { gc?: () => void }).gc;
/** The soak's clients are 64 addresses and 128 contacts making thousands of requests each. */
const BUSY = (windowSeconds: number) => ({ limit: 1_000_000, windowSeconds });

async function main(): Promise<void> {
  const { store, sql } = await openSoakStore();
  const config = resolveCoreConfig(SOAK_CORE_CONFIG);
  const runs: CleanupRun[] = [];
  const deleteExpired = store.deleteExpired.bind(store);
  const recorded = async (
    now: number,
    cutoffs: Parameters<Store['deleteExpired']>[1],
  ): Promise<CleanupRun> => {
    const before = await countRows(sql);
    const started = performance.now();
    await deleteExpired(now, cutoffs);
    const ms = Math.round(performance.now() - started);
    const after = await countRows(sql);
    const expiredAfter = await countRows(sql, {
      now,
      codesCreatedBefore: cutoffs.codesCreatedBefore,
    });
    return { at: now, ms, before, after, expiredAfter };
  };
  // The core's scheduled clean-up calls store.deleteExpired: recording each call here shows the
  // rows it started from and left, on the store the app really uses.
  store.deleteExpired = async (now, cutoffs) => void runs.push(await recorded(now, cutoffs));

  @Module({
    imports: [
      AuthModule.forRoot({
        appInfo: {
          appName: 'soak',
          apiDomain: 'http://127.0.0.1',
          websiteDomain: 'http://127.0.0.1',
        },
        embeddedCore: {
          store,
          cleanupIntervalMs: SOAK_CLEANUP_INTERVAL_MS,
          config: SOAK_CORE_CONFIG,
        },
        passwordless: { contactMethod: 'EMAIL', flowType: 'USER_INPUT_CODE' },
        emailDelivery: 'inbox',
        // Raised, not turned off: their counters still go through the store on every sign-in,
        // sign-up and code, as in an app with the defaults and many more clients.
        rateLimit: {
          trustProxy: 1,
          limits: {
            signInPerIp: BUSY(60),
            signUpPerIp: BUSY(600),
            codeRequestPerContact: BUSY(900),
            codeRequestPerIp: BUSY(900),
            codeConsumePerIp: BUSY(900),
          },
        },
      }),
    ],
    controllers: [SoakController],
  })
  class SoakModule {}

  // Errors the app logs without failing a request (a rate-limit store that answered too late
  // lets requests through), counted for the report.
  const logged = { errors: 0, warnings: 0 };
  class CountingLogger extends ConsoleLogger {
    override error(message: unknown, ...rest: unknown[]) {
      logged.errors++;
      super.error(message, ...rest);
    }
    override warn(message: unknown, ...rest: unknown[]) {
      logged.warnings++;
      super.warn(message, ...rest);
    }
  }
  const logger = new CountingLogger();
  logger.setLogLevels(['error', 'warn']);
  const app = await NestFactory.create(SoakModule, { logger });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const answer = (request: SoakRequest, body: object) => process.send?.({ id: request.id, body });
  process.on('message', (request: SoakRequest) => {
    void (async () => {
      if (request.type === 'sample') {
        const { rss, heapUsed } = process.memoryUsage();
        answer(request, { rss, heapUsed, rows: await countRows(sql), logged });
      } else if (request.type === 'heap') {
        for (let i = 0; i < 3; i++) gc?.();
        const { rss, heapUsed } = process.memoryUsage();
        // Verified access tokens the guard keeps: they go on refresh, sign-out or a lookup after
        // their expiry, else only at `maxEntries` (10 000).
        const cache = app.get<AuthRuntime>(AUTH_RUNTIME).verifiedTokens;
        answer(request, { rss, heapUsed, tokenCacheEntries: cache?.size });
      } else if (request.type === 'cleanup') {
        // The scheduled run's own steps, now: traffic has stopped, so what is left is bounded.
        const now = Date.now();
        answer(request, await recorded(now, await cleanupCutoffs(store, config, now)));
      } else if (request.type === 'cleanups') {
        answer(request, runs);
      } else if (request.type === 'stop') {
        await app.close();
        process.exit(0);
      }
    })();
  });
  process.send?.({ port });
}

void main();
