import type { CoreContext } from '../core.context.js';
import { badRequest, CoreHttpError, invalidField } from '../http/core-error.js';
import { isJsonObject, type JsonObject } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import type { BulkImportStatus } from '../store/storage/bulk-import.storage.js';
import { userView } from '../views.js';
import { BulkImportRefused } from './bulk-import-steps.js';
import { addedUserJson, listedUserJson } from './bulk-import-user.js';
import {
  BulkImportValidator,
  InvalidBulkImportUser,
  SignerKeyMissing,
} from './bulk-import-validator.js';
import { BulkImportService, InvalidBulkImportUsers } from './bulk-import.service.js';

/** The real core's limits (`BulkImport.java`). */
const MAX_USERS_TO_ADD = 10_000;
const MAX_LIST_LIMIT = 500;
const DEFAULT_LIST_LIMIT = 100;
const MAX_IDS_TO_REMOVE = 500;
const STATUSES: readonly BulkImportStatus[] = ['NEW', 'PROCESSING', 'FAILED'];

/** A 400 whose text is JSON, as the real core sends these (still as text). */
const jsonBadRequest = (body: JsonObject): CoreHttpError => badRequest(JSON.stringify(body));

/** The real core's 500 for a Firebase scrypt hash while no signer key is set. */
const signerKeyMissing = (error: SignerKeyMissing): CoreHttpError =>
  new CoreHttpError(500, `java.lang.IllegalStateException: ${error.message}`);

/** Java's `Integer.parseInt` of a query parameter. */
function intQuery(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const number = /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number >= 2 ** 31 || number < -(2 ** 31)) {
    throw badRequest(`Field name '${name}' must be an int in the GET request`);
  }
  return number;
}

function statusQuery(query: URLSearchParams): BulkImportStatus | undefined {
  const value = query.get('status');
  if (value === null) return undefined;
  if (!STATUSES.includes(value as BulkImportStatus)) {
    throw badRequest('Invalid value for status. Pass one of NEW, PROCESSING, or FAILED!');
  }
  return value as BulkImportStatus;
}

/** `BulkImportUserPaginationToken`: base64 of `<id>;<createdAt>`. */
const encodeToken = (id: string, createdAt: number): string =>
  Buffer.from(`${id};${createdAt}`).toString('base64');

function decodeToken(token: string): { id: string; createdAt: number } {
  const invalid = () => badRequest('invalid pagination token');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(token)) {
    throw invalid();
  }
  // Java's split drops trailing empty parts: `id;` is one part, hence invalid.
  const parts = Buffer.from(token, 'base64').toString('utf8').replace(/;+$/, '').split(';');
  if (parts.length !== 2 || !/^[+-]?\d+$/.test(parts[1])) throw invalid();
  return { id: parts[0], createdAt: Number(parts[1]) };
}

/** A JSON array field of the body, or `Field name '<f>' is invalid in JSON input`. */
function arrayField(input: JsonObject, name: string): unknown[] {
  const value = input[name];
  if (!Array.isArray(value)) throw invalidField(name);
  return value;
}

/**
 * The bulk import APIs (docs/embedded-core.md, Bulk import): `POST/GET /bulk-import/users`,
 * `GET /bulk-import/users/count`, `POST /bulk-import/users/remove` and `POST /bulk-import/import`,
 * app-level, with the real core 11.4's limits, order of checks and texts. Unlike the real core,
 * they work on the memory store too.
 */
export function bulkImportRoutes(ctx: CoreContext): CoreRoute[] {
  const bulk = new BulkImportService(ctx);
  return [
    {
      method: 'POST',
      path: '/bulk-import/users',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const inputs = arrayField(read(), 'users');
        if (inputs.length === 0) return { status: 'OK' };
        if (inputs.length > MAX_USERS_TO_ADD) {
          throw jsonBadRequest({ error: `You can only add ${MAX_USERS_TO_ADD} users at a time.` });
        }
        // The real core answers an element that is not an object with a 500.
        if (!inputs.every(isJsonObject)) throw invalidField('users');
        try {
          const users = bulk.validateAll(await bulk.appFacts(appId), inputs);
          const added = await bulk.add(appId, users);
          return { status: 'OK', users: added.map(addedUserJson) };
        } catch (error) {
          if (error instanceof InvalidBulkImportUsers) {
            throw jsonBadRequest({ error: error.message, users: error.users });
          }
          if (error instanceof SignerKeyMissing) throw signerKeyMissing(error);
          throw error;
        }
      },
    },
    {
      method: 'GET',
      path: '/bulk-import/users',
      scope: 'public-only',
      handler: async ({ appId, query }) => {
        const limit = intQuery(query, 'limit') ?? DEFAULT_LIST_LIMIT;
        if (limit > MAX_LIST_LIMIT) throw badRequest(`Max limit allowed is ${MAX_LIST_LIMIT}`);
        if (limit < 1) throw badRequest('limit must a positive integer with min value 1');
        const status = statusQuery(query);
        const token = query.get('paginationToken');
        const from = token === null ? undefined : decodeToken(token);
        const rows = await ctx.store.listBulkImportUsers(appId, { status, from, limit: limit + 1 });
        const next = rows.length > limit ? rows.pop() : undefined;
        return {
          status: 'OK',
          users: rows.map(listedUserJson),
          ...(next && { nextPaginationToken: encodeToken(next.id, next.createdAt) }),
        };
      },
    },
    {
      method: 'GET',
      path: '/bulk-import/users/count',
      scope: 'public-only',
      handler: async ({ appId, query }) => ({
        status: 'OK',
        count: await ctx.store.countBulkImportUsers(appId, statusQuery(query)),
      }),
    },
    {
      method: 'POST',
      path: '/bulk-import/users/remove',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const ids = arrayField(read(), 'ids');
        if (ids.length === 0) return { deletedIds: [], invalidIds: [] };
        if (ids.length > MAX_IDS_TO_REMOVE) {
          throw badRequest(
            `Field name 'ids' cannot contain more than ${MAX_IDS_TO_REMOVE} elements`,
          );
        }
        if (!ids.every((id): id is string => typeof id === 'string')) throw invalidField('ids');
        if (ids.includes('')) throw badRequest("Field name 'ids' cannot contain an empty string");
        const deleted = new Set(await ctx.store.deleteBulkImportUsers(appId, ids));
        return {
          deletedIds: ids.filter((id) => deleted.has(id)),
          invalidIds: ids.filter((id) => !deleted.has(id)),
        };
      },
    },
    {
      method: 'POST',
      path: '/bulk-import/import',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        try {
          const user = new BulkImportValidator(await bulk.appFacts(appId)).validate(
            input,
            'GENERATE',
          );
          const imported = await bulk.importNow(appId, user);
          return { status: 'OK', user: await userView(ctx.store, appId, imported) };
        } catch (error) {
          if (error instanceof InvalidBulkImportUser)
            throw jsonBadRequest({ errors: error.errors });
          if (error instanceof BulkImportRefused) throw jsonBadRequest({ errors: [error.message] });
          if (error instanceof SignerKeyMissing) throw signerKeyMissing(error);
          throw error;
        }
      },
    },
  ];
}
