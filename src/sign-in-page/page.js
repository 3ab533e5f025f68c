// The example sign-in page, on supertokens-web-js (loaded before this file as globals). Cookie
// mode: the SDK keeps the session in cookies and refreshes it when the API answers 401.
/* global supertokens, supertokensSession, supertokensEmailPassword, supertokensPasswordless, supertokensThirdParty, supertokensMultiFactorAuth, supertokensTOTP, qrcode */
'use strict';

const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
const apiDomain = meta('api-domain') || location.origin;
const apiBasePath = meta('api-base-path') || '/auth';
// `totp` with MFA=totp: after the first factor, the page asks for an authenticator app's code.
const mfa = meta('mfa') === 'totp';

supertokens.init({
  appInfo: { appName: 'nest-supertokens example', apiDomain, apiBasePath },
  recipeList: [
    supertokensSession.init(),
    supertokensEmailPassword.init(),
    supertokensPasswordless.init(),
    supertokensThirdParty.init(),
    ...(mfa ? [supertokensMultiFactorAuth.init(), supertokensTOTP.init()] : []),
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

async function show() {
  const signedIn = await supertokensSession.doesSessionExist();
  $('signed-out').hidden = signedIn;
  const stepShown = signedIn && (await showMfaStep());
  $('signed-in').hidden = !signedIn || stepShown;
  if (!signedIn) $('mfa').hidden = true;
  if (!signedIn || stepShown) return;
  await showDevices();
  const payload = await supertokensSession.getAccessTokenPayloadSecurely();
  $('user-id').textContent = await supertokensSession.getUserId();
  $('roles').textContent = (payload['st-role']?.v ?? []).join(', ') || 'none';
  const verified = payload['st-ev']?.v;
  $('email-verified').textContent = verified === undefined ? 'unknown' : verified ? 'yes' : 'no';
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

for (const button of document.querySelectorAll('.sign-out')) {
  button.addEventListener('click', () =>
    attempt(async () => {
      await supertokensSession.signOut();
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
  if ($('status').textContent === 'Loading…') {
    say((await supertokensSession.doesSessionExist()) ? 'Signed in.' : 'Not signed in.');
  }
});
