// The example sign-in page, on supertokens-web-js (loaded before this file as globals). Cookie
// mode: the SDK keeps the session in cookies and refreshes it when the API answers 401.
/* global supertokens, supertokensSession, supertokensEmailPassword, supertokensEmailVerification, supertokensPasswordless, supertokensThirdParty, supertokensMultiFactorAuth, supertokensTOTP, supertokensWebAuthn, qrcode */
'use strict';

const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
const apiDomain = meta('api-domain') || location.origin;
const apiBasePath = meta('api-base-path') || '/auth';
// `totp` with MFA=totp: after the first factor, the page asks for an authenticator app's code.
const mfa = meta('mfa') === 'totp';
// `on` with the module's `webauthn` option: passkeys to sign up and in with, manage and recover.
const webauthn = meta('webauthn') === 'on';

supertokens.init({
  appInfo: { appName: 'nest-supertokens example', apiDomain, apiBasePath },
  recipeList: [
    supertokensSession.init(),
    supertokensEmailPassword.init(),
    supertokensEmailVerification.init(),
    supertokensPasswordless.init(),
    supertokensThirdParty.init(),
    ...(mfa ? [supertokensMultiFactorAuth.init(), supertokensTOTP.init()] : []),
    ...(webauthn ? [supertokensWebAuthn.init()] : []),
  ],
});
const providers = JSON.parse(meta('providers') || '[]');

const $ = (id) => document.getElementById(id);

function say(message, isError = false) {
  $('status').textContent = message;
  $('status').classList.toggle('error', isError);
}

/** What a failed claim check of a 403 means, and what to do about it. */
function claimProblem({ id, reason = {} }) {
  // Roles and permissions: all of `expectedToInclude`, or one of `expectedToIncludeAtLeastOneOf`.
  const anyOf = reason.expectedToIncludeAtLeastOneOf;
  const have = reason.actualValue ?? [];
  const wanted = [anyOf ?? reason.expectedToInclude ?? []].flat();
  const needed = wanted.filter((value) => !have.includes(value)).join(anyOf ? ' or ' : ' and ');
  if (id === 'st-role' && wanted.includes('admin')) {
    return 'You need the admin role: sign up with an email listed in ADMIN_EMAILS (see .env.example).';
  }
  if (id === 'st-role') {
    return `You need the role ${needed}: have it given to you (user management dashboard), then sign in again.`;
  }
  if (id === 'st-perm') {
    return `You need the permission ${needed}: have a role with it given to you, then sign in again.`;
  }
  if (id === 'st-ev') {
    return 'Verify your email first: use Send verification email, then open the link it contains.';
  }
  if (id === 'st-mfa') {
    return 'Do the second factor first: sign out and in again, and enter your authenticator app code.';
  }
  if (id === 'st-tenant') {
    return `This is for users of the tenant ${reason.expectedToBe}: sign in there.`;
  }
  return `The session fails the ${id} check (${reason.message ?? 'no reason given'}).`;
}

/**
 * What the API's refusal means, and what to do: 401 (the SDK could not refresh the session),
 * 403 (a claim check failed: which one), else the answer's `message`.
 */
function refusal(status, body) {
  if (status === 401) return 'Signed out, or your session expired: sign in again.';
  const claims = body?.claimValidationErrors;
  if (status === 403 && Array.isArray(claims) && claims.length > 0) {
    return claims.map(claimProblem).join(' ');
  }
  return body?.message ?? `The API answered ${status}.`;
}

/** A readable message for what the SDK threw: its own errors, or the API's refusal. */
async function problem(error) {
  if (error && error.isSuperTokensGeneralError) return error.message;
  if (error instanceof Response) {
    const body = await error.json().catch(() => ({}));
    return refusal(error.status, body);
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs an action, showing what went wrong instead of failing silently. */
async function attempt(action) {
  try {
    await action();
  } catch (error) {
    say(await problem(error), true);
  }
}

/** The enrolment being finished (a device created, its code not yet given), if any. */
let enrolling;

/**
 * The TOTP step, when the session still needs it: a new device's QR code and secret (first
 * time), then the code field. Whether the step is shown.
 */
async function showMfaStep() {
  if (!mfa) return false;
  const info = await supertokensMultiFactorAuth.resyncSessionAndFetchMFAInfo();
  const needed = info.status === 'OK' && info.factors.next.includes('totp');
  $('mfa').hidden = !needed;
  if (!needed) return false;
  if (!info.factors.alreadySetup.includes('totp') && !enrolling) {
    const device = await supertokensTOTP.createDevice({});
    if (device.status !== 'OK') throw new Error(device.status);
    enrolling = device.deviceName;
    const code = qrcode(0, 'M');
    code.addData(device.qrCodeString);
    code.make();
    $('totp-qr').innerHTML = code.createSvgTag({
      cellSize: 4,
      margin: 2,
      alt: device.qrCodeString,
    });
    $('totp-secret').textContent = device.secret;
  }
  $('totp-enrol').hidden = !enrolling;
  $('totp').focus();
  return true;
}

/** The user's authenticator apps, each with a button that removes it. */
async function showDevices() {
  if (!mfa) return;
  const { devices } = await supertokensTOTP.listDevices();
  $('devices').hidden = devices.length === 0;
  $('device-list').replaceChildren(
    ...devices.map((device) => {
      const item = document.createElement('li');
      item.textContent = `${device.name}${device.verified ? '' : ' (not verified)'} `;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = `Remove ${device.name}`;
      remove.addEventListener('click', () =>
        attempt(async () => {
          await supertokensTOTP.removeDevice({ deviceName: device.name });
          say(`Removed ${device.name}.`);
          await showDevices();
        }),
      );
      item.append(remove);
      return item;
    }),
  );
}

/** The recovery link's token (`<websiteBasePath>/webauthn/recover?token=…`), while it is unused. */
let recoverToken =
  webauthn && location.pathname.endsWith('/webauthn/recover')
    ? new URLSearchParams(location.search).get('token')
    : null;

/**
 * The user the last passkey sign-up or sign-in in this tab answered with. "Add a passkey" needs
 * the email and recipe user id of its passkey login method, which the API does not tell a page.
 */
const USER_KEY = 'nest-supertokens-example:passkey-user';

function rememberUser(user) {
  sessionStorage.setItem(USER_KEY, JSON.stringify(user));
}

/** The passkey login method of the session's user, if this tab signed it up or in. */
function passkeyLogin(userId) {
  const user = JSON.parse(sessionStorage.getItem(USER_KEY) ?? 'null');
  if (user?.id !== userId) return undefined;
  return user.loginMethods.find((method) => method.recipeId === 'webauthn');
}

/** What a passkey answer other than OK means, with its status. */
function passkeyProblem(response) {
  const error = response.error;
  const message = {
    EMAIL_ALREADY_EXISTS_ERROR:
      'This email already has a passkey account: sign in with the passkey, or recover it.',
    INVALID_CREDENTIALS_ERROR: 'This passkey is not one of an account here.',
    INVALID_EMAIL_ERROR: response.err,
    AUTHENTICATOR_ALREADY_REGISTERED: 'This device already holds a passkey for this account.',
    WEBAUTHN_NOT_SUPPORTED: 'This browser cannot use passkeys.',
    FAILED_TO_REGISTER_USER:
      error?.name === 'NotAllowedError'
        ? 'No passkey was made: the prompt was cancelled or timed out.'
        : `The browser refused to make the passkey: ${error?.message}`,
    FAILED_TO_AUTHENTICATE_USER:
      error?.name === 'NotAllowedError'
        ? 'Not signed in: the passkey prompt was cancelled or timed out.'
        : `The browser refused to use the passkey: ${error?.message}`,
    RECOVER_ACCOUNT_TOKEN_INVALID_ERROR:
      'This recovery link was used already or has expired: ask for a new one.',
    OPTIONS_NOT_FOUND_ERROR: 'The passkey prompt expired: try again.',
    INVALID_OPTIONS_ERROR: "This page's address does not match the app's passkey settings.",
    CREDENTIAL_NOT_FOUND_ERROR: 'This passkey was removed already.',
  }[response.status];
  const detail = error?.name && error.name !== 'Error' ? `${response.status}, ${error.name}` : '';
  return `${message ?? response.reason ?? response.message ?? 'The passkey failed.'} (${detail || response.status})`;
}

/** The email field's value, or undefined (asking for it) when it is empty. */
function passkeyEmail() {
  const email = $('email').value.trim();
  if (email) return email;
  say('Type your email first.', true);
  $('email').focus();
  return undefined;
}

/** The user's passkeys, each with a button that removes it, and "Add a passkey" when possible. */
async function showPasskeys(userId) {
  if (!webauthn) return;
  const response = await supertokensWebAuthn.listCredentials();
  if (response.status !== 'OK') throw new Error(response.message ?? response.status);
  const login = passkeyLogin(userId);
  $('passkeys').hidden = response.credentials.length === 0 && !login;
  $('add-passkey').hidden = !login;
  $('passkey-list').replaceChildren(
    ...response.credentials.map(({ webauthnCredentialId, createdAt }) => {
      const name = `passkey ${webauthnCredentialId.slice(0, 8)}`;
      const item = document.createElement('li');
      const created = new Date(createdAt).toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      });
      item.textContent = `${name}, created ${created} `;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${name}`);
      remove.addEventListener('click', () =>
        attempt(async () => {
          const removed = await supertokensWebAuthn.removeCredential({ webauthnCredentialId });
          if (removed.status !== 'OK') return say(passkeyProblem(removed), true);
          say(`Removed ${name}.`);
          await showPasskeys(userId);
        }),
      );
      item.append(remove);
      return item;
    }),
  );
}

/** How a login method of `GET /profile` reads: how, and with which email or phone number. */
function loginMethodText({ recipeId, email, phoneNumber, thirdPartyId, verified }) {
  const provider = providers.find(({ id }) => id === thirdPartyId)?.name ?? thirdPartyId;
  const how = {
    emailpassword: 'Email and password',
    passwordless: phoneNumber ? 'Phone number and code' : 'Email and code',
    thirdparty: `Sign in with ${provider}`,
    webauthn: 'Passkey',
  }[recipeId];
  const state = email ? (verified ? ', verified' : ', not verified') : '';
  return `${how ?? recipeId}: ${email ?? phoneNumber ?? 'no email'}${state}`;
}

/** The example API's answer to a GET, as JSON; what it answered (a Response) when not OK. */
async function getJson(path) {
  const response = await fetch(`${apiDomain}${path}`, { credentials: 'include' });
  if (!response.ok) throw response;
  return response.json();
}

/** The session user's `GET /profile`, as the signed-in part last showed it. */
let profile;

/**
 * The signed-in part: who the user is (`GET /profile`), their authenticator apps and their
 * passkeys. The email line and the verification button only for a login method with an email.
 */
async function showUser() {
  await showDevices();
  profile = await getJson('/profile');
  await showPasskeys(profile.userId);
  $('identity').textContent = profile.email ?? profile.phoneNumber ?? 'no email or phone number';
  $('tenant').textContent = profile.tenantId;
  $('user-id').textContent = profile.userId;
  $('roles').textContent = profile.roles.join(', ') || 'none';
  $('login-methods').replaceChildren(
    ...profile.loginMethods.map((method) => {
      const item = document.createElement('li');
      item.textContent = loginMethodText(method);
      return item;
    }),
  );
  const hasEmail = profile.emailVerified !== null;
  $('email-verified-row').hidden = !hasEmail;
  $('email-verified').textContent = profile.emailVerified ? 'yes' : 'no';
  $('verify-email').hidden = !hasEmail || profile.emailVerified;
}

async function show() {
  $('recover').hidden = !recoverToken;
  if (recoverToken) {
    for (const id of ['signed-out', 'mfa', 'signed-in']) $(id).hidden = true;
    return;
  }
  const signedIn = await supertokensSession.doesSessionExist();
  $('passkey-start').hidden = !webauthn;
  $('signed-out').hidden = signedIn;
  if (!signedIn) $('mfa').hidden = true;
  const stepShown = signedIn && (await showMfaStep());
  // Filled in before it shows, so that it never shows the previous user.
  if (signedIn && !stepShown) await showUser();
  $('signed-in').hidden = !signedIn || stepShown;
}

/**
 * The first field error of a sign-up or sign-in answer, else its reason (account linking's
 * SIGN_UP_NOT_ALLOWED / SIGN_IN_NOT_ALLOWED say why), else its status.
 */
const fieldErrors = (response) =>
  (response.formFields ?? []).map((field) => `${field.id}: ${field.error}`).join('; ') ||
  response.reason ||
  response.status;

$('email-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const signUp = event.submitter?.value === 'signup';
  const formFields = [
    { id: 'email', value: $('email').value },
    { id: 'password', value: $('password').value },
  ];
  void attempt(async () => {
    const response = signUp
      ? await supertokensEmailPassword.signUp({ formFields })
      : await supertokensEmailPassword.signIn({ formFields });
    if (response.status === 'WRONG_CREDENTIALS_ERROR') return say('Wrong email or password.', true);
    if (response.status !== 'OK') return say(fieldErrors(response), true);
    $('password').value = '';
    say(signUp ? 'Signed up and signed in.' : 'Signed in.');
    await show();
  });
});

$('phone-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void attempt(async () => {
    const response = await supertokensPasswordless.createCode({ phoneNumber: $('phone').value });
    if (response.status !== 'OK') return say(response.reason ?? response.status, true);
    $('code-form').hidden = false;
    $('code').focus();
    say('Code sent: the app printed it on its console.');
  });
});

$('resend').addEventListener('click', () =>
  attempt(async () => {
    const response = await supertokensPasswordless.resendCode();
    if (response.status === 'RESTART_FLOW_ERROR') {
      $('code-form').hidden = true;
      return say('That sign-in expired: send a new code.', true);
    }
    say('A new code was sent.');
  }),
);

$('code-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void attempt(async () => {
    const response = await supertokensPasswordless.consumeCode({ userInputCode: $('code').value });
    if (response.status === 'OK') {
      $('code-form').hidden = true;
      $('code').value = '';
      say(response.createdNewRecipeUser ? 'Signed up with your phone number.' : 'Signed in.');
      return show();
    }
    if (response.status === 'RESTART_FLOW_ERROR') {
      $('code-form').hidden = true;
      return say('Too many wrong codes, or the code expired: send a new one.', true);
    }
    const left = response.maximumCodeInputAttempts - response.failedCodeInputAttemptCount;
    say(`Wrong or expired code (${left} attempts left).`, true);
  });
});

$('totp-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void attempt(async () => {
    const totp = $('totp').value.trim();
    const response = enrolling
      ? await supertokensTOTP.verifyDevice({ deviceName: enrolling, totp })
      : await supertokensTOTP.verifyCode({ totp });
    if (response.status === 'OK') {
      enrolling = undefined;
      $('totp').value = '';
      say('Second factor done.');
      return show();
    }
    if (response.status === 'LIMIT_REACHED_ERROR') {
      const minutes = Math.ceil(response.retryAfterMs / 60000);
      return say(`Too many wrong codes: try again in ${minutes} min.`, true);
    }
    if (response.status === 'INVALID_TOTP_ERROR') {
      const left = response.maxNumberOfFailedAttempts - response.currentNumberOfFailedAttempts;
      return say(`Wrong code (${left} attempts left).`, true);
    }
    say(response.status, true);
  });
});

for (const button of document.querySelectorAll('[data-call]')) {
  button.addEventListener('click', () =>
    attempt(async () => {
      const path = button.dataset.call;
      const response = await fetch(`${apiDomain}${path}`, { credentials: 'include' });
      const text = await response.text();
      let body;
      let shown = text;
      try {
        body = JSON.parse(text);
        shown = JSON.stringify(body, null, 2);
      } catch {
        // not JSON: shown as it came
      }
      // A refusal reads as what it means; the answer itself stays one click away.
      const explained = response.ok ? shown : refusal(response.status, body);
      $('answer').textContent = `GET ${path} → ${response.status}\n${explained}`;
      $('raw-answer').textContent = shown;
      $('raw').hidden = response.ok;
      if (response.status === 401) say(explained, true);
      else if (response.ok) say(`GET ${path} answered.`);
      else say(`GET ${path} was refused (${response.status}).`, true);
      await show();
    }),
  );
}

$('passkey-sign-up').addEventListener('click', () =>
  attempt(async () => {
    const email = passkeyEmail();
    if (!email) return;
    say('Making a passkey: follow your browser.');
    const response = await supertokensWebAuthn.registerCredentialWithSignUp({ email });
    if (response.status !== 'OK') return say(passkeyProblem(response), true);
    rememberUser(response.user);
    say('Signed up with a passkey and signed in.');
    await show();
  }),
);

$('passkey-sign-in').addEventListener('click', () =>
  attempt(async () => {
    say('Signing in with a passkey: follow your browser.');
    const response = await supertokensWebAuthn.authenticateCredentialWithSignIn();
    if (response.status !== 'OK') return say(passkeyProblem(response), true);
    rememberUser(response.user);
    say('Signed in with a passkey.');
    await show();
  }),
);

$('passkey-lost').addEventListener('click', () =>
  attempt(async () => {
    const email = passkeyEmail();
    if (!email) return;
    const response = await supertokensWebAuthn.generateRecoverAccountToken({ email });
    if (response.status !== 'OK') return say(passkeyProblem(response), true);
    say(
      `If ${email} has a passkey account, a recovery link is on its way (the example app prints it on its console).`,
    );
  }),
);

$('add-passkey').addEventListener('click', () =>
  attempt(async () => {
    const userId = await supertokensSession.getUserId();
    const login = passkeyLogin(userId);
    if (!login) return say('Sign in with a passkey in this tab first.', true);
    say('Making a passkey: follow your browser.');
    const response = await supertokensWebAuthn.createAndRegisterCredentialForSessionUser({
      email: login.email,
      recipeUserId: login.recipeUserId,
    });
    if (response.status !== 'OK') return say(passkeyProblem(response), true);
    say('Passkey added.');
    await showPasskeys(userId);
  }),
);

$('recover-passkey').addEventListener('click', () =>
  attempt(async () => {
    say('Making a passkey: follow your browser.');
    const response = await supertokensWebAuthn.registerCredentialWithRecoverAccount({
      recoverAccountToken: recoverToken,
    });
    if (response.status !== 'OK') return say(passkeyProblem(response), true);
    recoverToken = null;
    history.replaceState(null, '', '/');
    say('Passkey saved: sign in with it.');
    await show();
  }),
);

for (const button of document.querySelectorAll('.sign-out')) {
  button.addEventListener('click', () =>
    attempt(async () => {
      await supertokensSession.signOut();
      sessionStorage.removeItem(USER_KEY);
      enrolling = undefined;
      profile = undefined;
      for (const id of ['password', 'code', 'totp']) $(id).value = '';
      for (const id of ['answer', 'raw-answer']) $(id).textContent = '';
      $('raw').hidden = true;
      say('Signed out.');
      await show();
    }),
  );
}

$('send-verification').addEventListener('click', () =>
  attempt(async () => {
    const response = await supertokensEmailVerification.sendVerificationEmail();
    if (response.status === 'EMAIL_ALREADY_VERIFIED_ERROR') say('Your email is verified already.');
    else say(`Verification email sent to ${profile?.email ?? 'your email'}: open its link.`);
    await show();
  }),
);

/** Whether the page was opened by the verification email's link (`…/verify-email?token=…`). */
const verifyingEmail =
  location.pathname.endsWith('/verify-email') && new URLSearchParams(location.search).has('token');

/** Opened by the verification link: verify the email with its token (the SDK reads the URL). */
async function finishEmailVerification() {
  if (!verifyingEmail) return;
  const response = await supertokensEmailVerification.verifyEmail();
  history.replaceState(null, '', '/');
  if (response.status === 'OK') say('Email verified.');
  else say('This verification link was used already or has expired: send a new one.', true);
}

/** The URL of the script the dashboard's page loads its user interface from, if it has one. */
async function dashboardScript(href) {
  const response = await fetch(href, { credentials: 'include' }).catch(() => undefined);
  if (!response?.ok) return undefined;
  const html = new DOMParser().parseFromString(await response.text(), 'text/html');
  const src = html.querySelector('script[src]')?.getAttribute('src');
  return src ? new URL(src, response.url).href : undefined;
}

/**
 * The dashboard's page is a shell that loads its user interface from a CDN (or from the app,
 * with `dashboard.bundleDir`): a browser that cannot reach it shows a blank page. Before going
 * there, check that the script loads; if not, say so and how to serve it from the app.
 */
$('dashboard-link').addEventListener('click', (event) => {
  // A new tab or window (middle click, a modifier key): the browser's, unchecked.
  const newTab = event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey;
  if (newTab || event.altKey) return;
  event.preventDefault();
  const href = event.currentTarget.href;
  void attempt(async () => {
    say('Opening the dashboard…');
    const script = await dashboardScript(href);
    const loads =
      !script ||
      (await fetch(script, {
        method: 'HEAD',
        mode: 'no-cors',
        cache: 'no-store',
        signal: AbortSignal.timeout(10_000),
      }).then(
        (response) => response.type === 'opaque' || response.ok,
        () => false,
      ));
    if (loads) {
      location.href = href;
      return;
    }
    $('dashboard-bundle').textContent = new URL('../..', script).href;
    $('dashboard-problem').hidden = false;
    say('The dashboard cannot load its user interface: see below.', true);
  });
});

// "Sign in with …": off to the provider, back to `/callback/<id>` with its code.
for (const { id, name } of providers) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = `Sign in with ${name}`;
  button.addEventListener('click', () =>
    attempt(async () => {
      location.href = await supertokensThirdParty.getAuthorisationURLWithQueryParamsAndSetState({
        thirdPartyId: id,
        frontendRedirectURI: `${location.origin}/callback/${encodeURIComponent(id)}`,
      });
    }),
  );
  $('social').append(button);
  $('social').hidden = false;
}

/** Back from a provider: finish the sign-in with the code in the URL. */
async function finishProviderSignIn() {
  if (!location.pathname.startsWith('/callback/')) return;
  const response = await supertokensThirdParty.signInAndUp();
  history.replaceState(null, '', '/');
  if (response.status === 'OK') {
    say(response.createdNewRecipeUser ? 'Signed up with the provider.' : 'Signed in.');
  } else if (response.status === 'NO_EMAIL_GIVEN_BY_PROVIDER') {
    say('The provider gave no email address: use another way to sign in.', true);
  } else {
    say(response.reason ?? response.status, true);
  }
}

void attempt(async () => {
  await finishProviderSignIn();
  await finishEmailVerification();
  await show();
  if (recoverToken) say('Make a new passkey for your account.');
  else if ($('status').textContent === 'Loading…') {
    say((await supertokensSession.doesSessionExist()) ? 'Signed in.' : 'Not signed in.');
  }
});
