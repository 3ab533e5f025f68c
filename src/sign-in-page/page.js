// The example sign-in page, on supertokens-web-js (loaded before this file as globals). Cookie
// mode: the SDK keeps the session in cookies and refreshes it when the API answers 401.
/* global supertokens, supertokensSession, supertokensEmailPassword, supertokensPasswordless, supertokensThirdParty, supertokensMultiFactorAuth, supertokensTOTP, supertokensWebAuthn, qrcode */
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

/** A readable message for what the SDK threw: its own errors, or the API's `{ message }`. */
async function problem(error) {
  if (error && error.isSuperTokensGeneralError) return error.message;
  if (error instanceof Response) {
    const body = await error.json().catch(() => ({}));
    return body.message ?? `The API answered ${error.status}`;
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

/** The signed-in part: who the user is, their authenticator apps and their passkeys. */
async function showUser() {
  await showDevices();
  const userId = await supertokensSession.getUserId();
  await showPasskeys(userId);
  const payload = await supertokensSession.getAccessTokenPayloadSecurely();
  $('user-id').textContent = userId;
  $('roles').textContent = (payload['st-role']?.v ?? []).join(', ') || 'none';
  const verified = payload['st-ev']?.v;
  $('email-verified').textContent = verified === undefined ? 'unknown' : verified ? 'yes' : 'no';
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
      let shown = text;
      try {
        shown = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // not JSON: shown as it came
      }
      $('answer').textContent = `GET ${path} → ${response.status}\n${shown}`;
      say(response.ok ? `GET ${path} answered.` : `GET ${path} was refused (${response.status}).`);
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
      $('answer').textContent = '';
      say('Signed out.');
      await show();
    }),
  );
}

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
  await show();
  if (recoverToken) say('Make a new passkey for your account.');
  else if ($('status').textContent === 'Loading…') {
    say((await supertokensSession.doesSessionExist()) ? 'Signed in.' : 'Not signed in.');
  }
});
