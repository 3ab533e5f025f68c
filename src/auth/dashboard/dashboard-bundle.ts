import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AuthConfigError } from '../errors/auth.errors.js';

/** The files a dashboard `build/` folder must have: what the SDK's page loads first. */
const REQUIRED = ['static/js/bundle.js', 'static/css/main.css'];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** The bundle's file names carry no content hash, so browsers re-check them after an hour. */
const CACHE_CONTROL = 'public, max-age=3600';

/**
 * A local copy of the dashboard UI's `build/` folder, served under `<apiBasePath>/dashboard/bundle/`
 * (`dashboard.bundleDir`). Only regular files inside the folder are served: a request path is
 * split into segments, each decoded once, and refused (400) if it is empty, `.`, `..`, hidden, or
 * hides a `/`, `\` or NUL; the file found is resolved through symlinks and must still be inside
 * the folder (404 otherwise, as for a missing file).
 */
export class DashboardBundle {
  private constructor(private readonly root: string) {}

  /** Checks the folder at start-up, with a message naming the option and the fix. */
  static async open(dir: string): Promise<DashboardBundle> {
    const problem = (detail: string) =>
      new AuthConfigError(
        `AuthModule option dashboard.bundleDir: ${detail}. Copy the build/ folder of the ` +
          'dashboard UI there (see docs/dashboard.md, "Serving the dashboard UI yourself").',
      );
    let root: string;
    try {
      root = await realpath(resolve(dir));
    } catch {
      throw problem(`${resolve(dir)} does not exist`);
    }
    for (const file of REQUIRED) {
      const found = await stat(join(root, file)).catch(() => undefined);
      if (!found?.isFile()) throw problem(`${root} has no ${file}`);
    }
    return new DashboardBundle(root);
  }

  /** Answers a request for `relative` (the routed path below the bundle's URL prefix). */
  async serve(req: IncomingMessage, res: ServerResponse, relative: string): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return answer(res, 405, `${req.method} is not allowed on the dashboard bundle`);
    }
    const segments = pathSegments(relative);
    if (typeof segments === 'string') return answer(res, 400, segments);
    const file = await this.find(segments);
    if (!file) return answer(res, 404, 'Not found in the dashboard bundle');

    const etag = `W/"${file.stats.size.toString(16)}-${Math.floor(file.stats.mtimeMs).toString(16)}"`;
    res.setHeader('Cache-Control', CACHE_CONTROL);
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', file.stats.mtime.toUTCString());
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader(
      'Content-Type',
      TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
    );
    res.setHeader('Content-Length', String(file.stats.size));
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // The file was there a moment ago; if it vanishes mid-way the connection is cut.
    await pipeline(createReadStream(file.path), res).catch(() => res.destroy());
  }

  /** The regular file these segments name, inside the folder after symlinks, or undefined. */
  private async find(segments: string[]): Promise<{ path: string; stats: Stats } | undefined> {
    try {
      const path = await realpath(join(this.root, ...segments));
      if (!path.startsWith(this.root + sep)) return undefined;
      const stats = await stat(path);
      return stats.isFile() ? { path, stats } : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The decoded segments of a bundle path, or why it is refused. */
export function pathSegments(relative: string): string[] | string {
  const segments: string[] = [];
  for (const raw of relative.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return 'Invalid percent-encoding in the dashboard bundle path';
    }
    if (segment === '' || segment === '.' || segment === '..') {
      return 'Empty, "." and ".." segments are not allowed in the dashboard bundle path';
    }
    if (/[/\\\0]/.test(segment)) {
      return 'Encoded "/", "\\" and NUL are not allowed in the dashboard bundle path';
    }
    if (segment.startsWith('.')) {
      return 'Hidden files are not served from the dashboard bundle';
    }
    segments.push(segment);
  }
  return segments;
}

function answer(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ message }));
}
