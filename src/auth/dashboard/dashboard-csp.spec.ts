import { DASHBOARD_VERSION } from '../sdk/sdk-internals.js';
import {
  cspHeaderValue,
  DASHBOARD_EXTERNAL_SOURCES,
  dashboardCsp,
  externalOrigins,
} from './dashboard-csp.js';

describe('DASHBOARD_EXTERNAL_SOURCES', () => {
  it('was read from the dashboard bundle the SDK loads', () => {
    // If this fails, supertokens-node loads another dashboard version: read its build output
    // (static/js/bundle.js and static/css/main.css of supertokens/dashboard) for every URL it
    // loads, update the list and its bundleVersion.
    expect({ pinnedBySdk: DASHBOARD_VERSION }).toEqual({
      pinnedBySdk: DASHBOARD_EXTERNAL_SOURCES.bundleVersion,
    });
  });

  it('lists exactly the flag and font sources', () => {
    expect(DASHBOARD_EXTERNAL_SOURCES.assets).toEqual({
      flags: { imgSrc: ['https://purecatamphetamine.github.io/country-flag-icons/3x2/'] },
      fonts: {
        styleSrc: ['https://fonts.googleapis.com/css2'],
        fontSrc: ['https://fonts.gstatic.com'],
      },
    });
    expect(externalOrigins('flags')).toEqual(['https://purecatamphetamine.github.io']);
    expect(externalOrigins('fonts')).toEqual([
      'https://fonts.googleapis.com',
      'https://fonts.gstatic.com',
    ]);
  });
});

describe('dashboardCsp', () => {
  it('allows the CDN bundle path, the flags and the fonts by default', () => {
    const csp = dashboardCsp();
    const bundle = `https://cdn.jsdelivr.net/gh/supertokens/dashboard@v${DASHBOARD_VERSION}/build/`;
    expect(csp.scriptSrc).toEqual(["'self'", "'unsafe-inline'", bundle]);
    expect(csp.imgSrc).toEqual([
      "'self'",
      'data:',
      bundle,
      'https://purecatamphetamine.github.io/country-flag-icons/3x2/',
    ]);
    expect(csp.fontSrc).toEqual(["'self'", 'data:', bundle, 'https://fonts.gstatic.com']);
    expect(csp.connectSrc).toEqual(["'self'"]);
  });

  it("allows only 'self' for a bundle served by the app, unless told which assets to allow", () => {
    const strict = cspHeaderValue(dashboardCsp({ bundleLocation: "'self'" }));
    expect(strict).not.toMatch(/https:/);
    const flags = dashboardCsp({ bundleLocation: "'self'", allowExternal: ['flags'] });
    expect(flags.imgSrc).toEqual([
      "'self'",
      'data:',
      'https://purecatamphetamine.github.io/country-flag-icons/3x2/',
    ]);
    expect(flags.styleSrc).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('lets directives replace a whole list', () => {
    expect(dashboardCsp({ directives: { imgSrc: ["'self'"] } }).imgSrc).toEqual(["'self'"]);
  });
});
