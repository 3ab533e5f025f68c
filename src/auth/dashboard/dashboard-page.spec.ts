import { editDashboardPage, SELF_HOSTED_BUNDLE_ORIGIN } from './dashboard-page.js';

// The shape of supertokens-node 24's dashboardGET page (recipe/dashboard/api/implementation.js).
const bundle = `${SELF_HOSTED_BUNDLE_ORIGIN}/auth/dashboard/bundle`;
const page = `<html>
  <head>
    <script>
      window.addEventListener('securitypolicyviolation', function (event) { /* SDK screen */ });
      window.staticBasePath = "${bundle}/static"
      window.connectionURI = "http://127.0.0.1:41234"
    </script>
    <script defer src="${bundle}/static/js/bundle.js"></script>
    <link href="${bundle}/static/css/main.css" rel="stylesheet" type="text/css">
  </head>
</html>`;

describe('editDashboardPage', () => {
  it('points the page at the served bundle path, on whatever origin the browser used', () => {
    const edited = editDashboardPage(page, {
      bundle: { rendered: bundle, servedAt: '/auth/dashboard/bundle' },
    });
    expect(edited).not.toContain('.invalid');
    expect(edited).toContain('window.staticBasePath = "/auth/dashboard/bundle/static"');
    expect(edited).toContain('src="/auth/dashboard/bundle/static/js/bundle.js"');
    expect(edited).toContain('href="/auth/dashboard/bundle/static/css/main.css"');
  });

  it('shows another connection URI, escaped for a script', () => {
    const edited = editDashboardPage(page, { connectionURI: 'http://x/"</script>' });
    expect(edited).toContain('window.connectionURI = "http://x/\\"\\u003c/script>"');
  });

  it('quiets the violation screen for the given origins before the SDK listener runs', () => {
    const edited = editDashboardPage(page, { quietOrigins: ['https://fonts.gstatic.com'] });
    const quiet = edited.indexOf('stopImmediatePropagation');
    expect(quiet).toBeGreaterThan(0);
    expect(quiet).toBeLessThan(edited.indexOf('SDK screen'));
    expect(edited).toContain('["https://fonts.gstatic.com"]');
    expect(editDashboardPage(page, { quietOrigins: [] })).toBe(page);
  });
});
