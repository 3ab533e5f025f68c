/**
 * The edits the module makes to the dashboard page supertokens-node renders (`dashboardGET`):
 * a small HTML shell with an inline script that sets `window.connectionURI` and
 * `window.staticBasePath`, and loads `<bundle>/static/js/bundle.js` and `…/css/main.css`.
 */
export interface DashboardPageEdits {
  /** Shown as `window.connectionURI` instead of the core's URL (the page shows it to anyone). */
  connectionURI?: string;
  /** The bundle URL the SDK was given, and the path this app serves the bundle under instead. */
  bundle?: { rendered: string; servedAt: string };
  /**
   * Origins whose blocked loads must not trigger the page's CSP-violation screen (which
   * replaces the whole UI): the external assets the policy leaves out on purpose.
   */
  quietOrigins?: string[];
}

/**
 * Where the SDK is told the bundle is when this app serves it: a placeholder origin (`.invalid`
 * never resolves) that `editDashboardPage` replaces with the app's own path, so the page loads
 * the bundle from whatever origin the browser reached the app by.
 */
export const SELF_HOSTED_BUNDLE_ORIGIN = 'https://dashboard-bundle.nest-supertokens.invalid';

export function editDashboardPage(html: string, edits: DashboardPageEdits): string {
  let page = html;
  if (edits.connectionURI !== undefined) {
    const shown = JSON.stringify(edits.connectionURI).slice(1, -1).replace(/</g, '\\u003c');
    page = page.replace(
      /window\.connectionURI = "[^"]*"/,
      () => `window.connectionURI = "${shown}"`,
    );
  }
  if (edits.bundle) {
    const { rendered, servedAt } = edits.bundle;
    page = page.split(rendered).join(servedAt);
  }
  if (edits.quietOrigins && edits.quietOrigins.length > 0) {
    // Registered before the SDK's own listener, in the capture phase: it runs first and stops
    // the event for these origins only; any other violation still shows the SDK's screen.
    const script =
      '<script>window.addEventListener("securitypolicyviolation",function(e){' +
      `var quiet=${JSON.stringify(edits.quietOrigins)};` +
      'try{if(quiet.indexOf(new URL(e.blockedURI).origin)>=0)e.stopImmediatePropagation()}' +
      'catch(_){}},true)</script>';
    page = page.replace(/<head>/i, (head) => `${head}${script}`);
  }
  return page;
}
