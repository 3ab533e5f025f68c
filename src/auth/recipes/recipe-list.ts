import type { SuperTokensConfig } from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import type { AuthModuleOptions } from '../auth-options.interface.js';
import type { VerifiedTokenCache } from '../verified-token.cache.js';

type SessionConfig = NonNullable<AuthModuleOptions['session']>;

/** The user's Session config with the verified-token cache under their own overrides. */
function sessionConfig(options: AuthModuleOptions, cache?: VerifiedTokenCache): SessionConfig {
  const session = options.session ?? {};
  if (!cache) return session;
  const userFunctions = session.override?.functions;
  return {
    ...session,
    override: {
      ...session.override,
      functions: (original, builder) => {
        const cached = cache.wrap(original);
        return userFunctions ? userFunctions(cached, builder) : cached;
      },
    },
  };
}

/** The SDK recipes the options ask for, then the user's own `recipeList`. */
export function buildRecipeList(
  options: AuthModuleOptions,
  cache?: VerifiedTokenCache,
): SuperTokensConfig['recipeList'] {
  const list: SuperTokensConfig['recipeList'] = [];
  const { emailPassword = true } = options;
  if (emailPassword !== false) {
    list.push(EmailPassword.init(emailPassword === true ? undefined : emailPassword));
  }
  list.push(Session.init(sessionConfig(options, cache)));
  list.push(...(options.recipeList ?? []));
  return list;
}
