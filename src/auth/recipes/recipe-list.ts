import type { SuperTokensConfig } from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import type { AuthModuleOptions } from '../auth-options.interface.js';

/** The SDK recipes the options ask for, then the user's own `recipeList`. */
export function buildRecipeList(options: AuthModuleOptions): SuperTokensConfig['recipeList'] {
  const list: SuperTokensConfig['recipeList'] = [];
  const { emailPassword = true } = options;
  if (emailPassword !== false) {
    list.push(EmailPassword.init(emailPassword === true ? undefined : emailPassword));
  }
  list.push(Session.init(options.session));
  list.push(...(options.recipeList ?? []));
  return list;
}
