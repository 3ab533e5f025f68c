import type { CoreContext } from '../core.context.js';
import { badRequest } from '../http/core-error.js';
import type { CoreRoute } from '../http/route.js';
import type { RecipeId } from '../store/records.js';
import type { UserListQuery } from '../store/store.interface.js';
import { usersView } from '../views.js';
import { UsersService } from './users.service.js';

const RECIPE_IDS: readonly RecipeId[] = ['emailpassword', 'thirdparty', 'passwordless', 'webauthn'];
const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 100;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function recipeIds(params: URLSearchParams): RecipeId[] | undefined {
  const raw = params.get('includeRecipeIds');
  if (raw === null) return undefined;
  const ids = raw.split(',').map((id) => id.trim());
  for (const id of ids) {
    if (!RECIPE_IDS.includes(id as RecipeId)) throw badRequest(`Unknown recipe ID: ${id}`);
  }
  return ids as RecipeId[];
}

function limit(params: URLSearchParams, searching: boolean): number {
  const raw = params.get('limit');
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^[+-]?\d{1,9}$/.test(raw)) {
    throw badRequest("Field name 'limit' must be an int in the GET request");
  }
  const value = Number(raw);
  if (!searching) {
    if (value > MAX_LIMIT) throw badRequest(`max limit allowed is ${MAX_LIMIT}`);
    if (value < 1) throw badRequest('limit must a positive integer with min value 1');
  }
  return value;
}

/** The opaque token: standard Base64 of `<userId>;<timeJoined>` of the next page's first user. */
const encodePaginationToken = (userId: string, timeJoined: number): string =>
  Buffer.from(`${userId};${timeJoined}`).toString('base64');

function decodePaginationToken(token: string): { userId: string; timeJoined: number } {
  const invalid = badRequest('invalid pagination token');
  if (!BASE64.test(token)) throw invalid;
  const parts = Buffer.from(token, 'base64').toString('utf8').split(';');
  if (parts.length !== 2 || !parts[0] || !/^\d{1,16}$/.test(parts[1] ?? '')) throw invalid;
  return { userId: parts[0], timeJoined: Number(parts[1]) };
}

/** Search tags of one kind: split on `;`, trimmed, lower-cased, empties dropped. */
const tags = (params: URLSearchParams, name: string): string[] =>
  params
    .getAll(name)
    .flatMap((value) => value.split(';'))
    .map((tag) => tag.trim().toLowerCase())
    .filter((tag) => tag !== '');

/**
 * `GET /<t>/users` with pagination and search, `GET /<t>/users/count`, search tags
 * (docs/embedded-core.md, Users).
 */
export function userListRoutes(ctx: CoreContext): CoreRoute[] {
  const users = new UsersService(ctx);
  return [
    {
      method: 'GET',
      path: '/users',
      scope: 'tenant',
      handler: async ({ appId, tenantId, query: q }) => {
        const searching = ['email', 'phone', 'provider'].some((kind) => q.has(kind));
        const order = q.get('timeJoinedOrder') ?? 'ASC';
        if (order !== 'ASC' && order !== 'DESC') {
          throw badRequest('timeJoinedOrder can be either ASC OR DESC');
        }
        const query: UserListQuery = {
          tenantId,
          order,
          limit: limit(q, searching),
          recipeIds: recipeIds(q),
        };
        const token = q.get('paginationToken');
        if (token !== null && !searching) query.from = decodePaginationToken(token);
        if (searching) {
          query.search = {
            emails: tags(q, 'email'),
            phones: tags(q, 'phone'),
            providers: tags(q, 'provider'),
          };
        }
        const page = await users.page(appId, query);
        const listed = await usersView(ctx.store, appId, page.users);
        if (!page.next) return { status: 'OK', users: listed };
        const nextPaginationToken = encodePaginationToken(page.next.userId, page.next.timeJoined);
        return { status: 'OK', users: listed, nextPaginationToken };
      },
    },
    {
      method: 'GET',
      path: '/users/count',
      scope: 'tenant',
      handler: async ({ appId, tenantId, query: q }) => {
        const allTenants = q.get('includeAllTenants')?.toLowerCase() === 'true';
        const count = await users.count(appId, allTenants ? undefined : tenantId, recipeIds(q));
        return { status: 'OK', count };
      },
    },
    {
      method: 'GET',
      path: '/user/search/tags',
      scope: 'app',
      handler: () => Promise.resolve({ status: 'OK', tags: ['email', 'phone', 'provider'] }),
    },
  ];
}
