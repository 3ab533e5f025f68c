import { type INestApplicationContext, RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { AuthGuard } from '../guard/auth.guard.js';
import { AUTH_RUNTIME, PUBLIC_ROUTE, VERIFY_SESSION_OPTIONS } from '../module/auth.constants.js';
import type { AuthRuntime } from '../module/auth-runtime.interface.js';
import { authApiOperations } from './auth-api-table.js';
import { controllerMethods } from '../utils/discovery.util.js';

/** The parts of an OpenAPI 3 document (`@nestjs/swagger`'s `OpenAPIObject`) this changes. */
export interface OpenApiDocument {
  paths: object;
  components?: object;
  tags?: { name: string; description?: string }[];
}

type Operations = Record<string, Record<string, unknown>>;

/** The security schemes a SuperTokens session is sent with. */
export const SUPERTOKENS_SECURITY_SCHEMES = {
  'supertokens-header': {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The st-access-token of header mode: Authorization: Bearer <token>',
  },
  'supertokens-cookie': {
    type: 'apiKey',
    in: 'cookie',
    name: 'sAccessToken',
    description: 'The access-token cookie of cookie mode (browsers)',
  },
} as const;

const SECURED = [{ 'supertokens-header': [] }, { 'supertokens-cookie': [] }];
const REFUSALS = {
  '401': {
    description: 'No session, or the access token expired ({"message":"try refresh token"})',
  },
  '403': { description: 'A claim failed ({"message":"invalid claim", claimValidationErrors})' },
};

const METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.OPTIONS]: 'options',
  [RequestMethod.HEAD]: 'head',
};

const join = (...parts: (string | undefined)[]): string =>
  `/${parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter(Boolean)
    .join('/')}`.replace(/:(\w+)/g, '{$1}');

/**
 * Adds SuperTokens to a document from `@nestjs/swagger`'s `SwaggerModule.createDocument()`:
 * the header and cookie security schemes; every route `AuthGuard` protects (through
 * `@UseGuards(AuthGuard)`, `@VerifySession()` or `globalGuard`, `@Public()` respected) marked as
 * secured with its 401/403 answers (optional when `sessionRequired: false`); and the auth APIs
 * of the enabled recipes under `apiBasePath`, tagged `auth`.
 *
 * @example
 * const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Acme').build());
 * SwaggerModule.setup('docs', app, withSuperTokens(app, document));
 */
export function withSuperTokens<T extends OpenApiDocument>(
  app: INestApplicationContext,
  document: T,
): T {
  const runtime = app.get<AuthRuntime>(AUTH_RUNTIME, { strict: false });
  const discovery = app.get(DiscoveryService, { strict: false });
  const reflector = app.get(Reflector, { strict: false });
  const globalGuard = discovery
    .getProviders()
    .some(
      (p) =>
        typeof p.token === 'string' &&
        p.token.startsWith('APP_GUARD') &&
        p.instance instanceof AuthGuard,
    );
  const prefix = (app as { config?: { getGlobalPrefix?(): string } }).config?.getGlobalPrefix?.();

  const paths = document.paths as Record<string, Operations | undefined>;
  const components = (document.components ?? {}) as { securitySchemes?: object };
  document.components = {
    ...components,
    securitySchemes: { ...components.securitySchemes, ...SUPERTOKENS_SECURITY_SCHEMES },
  };

  for (const { controller, handler } of controllerMethods(discovery, new MetadataScanner())) {
    const methodPath = Reflect.getMetadata('path', handler) as string | string[] | undefined;
    const method = METHODS[Reflect.getMetadata('method', handler) as RequestMethod];
    if (methodPath === undefined || !method) continue;
    const targets = [handler, controller];
    if (reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) continue;
    const guards = targets.flatMap(
      (target) => (Reflect.getMetadata('__guards__', target) ?? []) as unknown[],
    );
    const options = reflector.getAllAndOverride<{ sessionRequired?: boolean } | undefined>(
      VERIFY_SESSION_OPTIONS,
      targets,
    );
    const guarded =
      globalGuard ||
      options !== undefined ||
      guards.some(
        (g) => g === AuthGuard || (typeof g === 'function' && g.prototype instanceof AuthGuard),
      );
    if (!guarded) continue;
    const classPath = Reflect.getMetadata('path', controller) as string | string[] | undefined;
    for (const base of [classPath ?? ''].flat()) {
      for (const own of [methodPath].flat()) {
        const operation = paths[join(prefix, base, own)]?.[method];
        if (!operation) continue;
        const optional = options?.sessionRequired === false;
        operation.security = optional ? [...SECURED, {}] : SECURED;
        operation.responses = { ...REFUSALS, ...(operation.responses as object) };
      }
    }
  }

  for (const [path, operations] of Object.entries(
    authApiOperations(runtime.options, runtime.apiBasePath),
  )) {
    paths[path] = { ...operations, ...paths[path] };
  }
  document.tags = [
    ...(document.tags ?? []).filter((tag) => tag.name !== 'auth'),
    { name: 'auth', description: 'The SuperTokens auth APIs (served by the module)' },
  ];
  return document;
}
