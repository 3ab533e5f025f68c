// What both smoke runs (scripts/smoke.mjs, scripts/smoke-cjs.cjs) do over HTTP: sign a user up in
// header mode and get an access token back.

/** Signs up through `<base>/auth/signup`; answers the status and the `st-access-token` header. */
export async function signUpForToken(base, email, password) {
  const response = await fetch(`${base}/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'st-auth-mode': 'header' },
    body: JSON.stringify({
      formFields: [
        { id: 'email', value: email },
        { id: 'password', value: password },
      ],
    }),
  });
  return { status: response.status, token: response.headers.get('st-access-token') };
}
