import type { AuthOverrides, AuthOverridesBinding } from '../hooks/auth-hooks.js';

/**
 * The SDK's override proxy with each function bound to it. A proxy's functions find their layer
 * through `this._call`, which the SDK sets on the proxy only after every override has run, so a
 * copy (`{ ...original }`) holds a placeholder that throws: one wrapper calling another's
 * untouched function through such a copy fails. Bound, they work from any copy.
 */
function boundToProxy<F>(proxy: F): F {
  const bound: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(proxy as Record<string, unknown>)) {
    if (key === '_call') continue;
    bound[key] =
      typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(proxy) : value;
  }
  return bound as F;
}

/** A recipe's `override.functions` that applies ours first, then the user's own override. */
export function beneathUserOverride<F, B>(
  userFunctions: ((original: F, builder: B) => F) | undefined,
  ours: (original: F) => F,
): (original: F, builder: B) => F {
  return (original, builder) => {
    const wrapped = ours(boundToProxy(original));
    return userFunctions ? userFunctions(wrapped, builder) : wrapped;
  };
}

/** The implementation with the app's injectable override of it above, when there is one. */
export const injected = <T extends object>(
  overrides: AuthOverridesBinding | undefined,
  name: keyof AuthOverrides,
  implementation: T,
): T => (overrides ? overrides.late(implementation, name) : implementation);
