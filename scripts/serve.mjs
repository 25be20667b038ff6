/**
 * The static server of `npm start`: `node scripts/serve.mjs [--port 8080] [--dir dist]`.
 * Serves files only from inside the folder, on 127.0.0.1, with
 *  - the right MIME types (application/wasm for streaming compilation);
 *  - the build's precompressed copies (file.br, file.gz; scripts/lib/compress.mjs) to browsers that
 *    accept them (Vary: Accept-Encoding), and the plain file otherwise or when a copy is older than
 *    its file;
 *  - caching: files under assets/ have content-hashed names, so they are cached for a year
 *    (immutable); everything else (pages, sw.js, embed.js, icons) is revalidated on every use
 *    (no-cache with an ETag; a matching If-None-Match gets 304);
 *  - with `csp` (as `npm start` runs it), the site's Content-Security-Policy as a header on pages
 *    (they carry it in a <meta> too).
 * Any plain static server (python3 -m http.server -d dist) serves the same site, uncompressed.
 */
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CSP } from './lib/html.mjs';
import { ENCODINGS } from './lib/compress.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.woff2': 'font/woff2', '.webmanifest': 'application/manifest+json', '.txt': 'text/plain; charset=utf-8',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The precompressed copy of `file` to send for this Accept-Encoding, or null: { path, encoding, size }. */
function compressedCopy(file, accept, fileStat) {
  const accepted = new Set(String(accept ?? '').split(',').map((s) => s.split(';')[0].trim().toLowerCase()));
  for (const [encoding, suffix] of ENCODINGS) {
    if (!accepted.has(encoding)) continue;
    try {
      const s = statSync(file + suffix);
      if (s.isFile() && s.mtimeMs >= fileStat.mtimeMs) return { path: file + suffix, encoding, size: s.size };
    } catch { /* no copy */ }
  }
  return null;
}

/**
 * Starts serving `dir` on host:port; resolves with the http.Server once listening. `headers` are
 * added to every response (tests use it for CORS or a stricter policy); `csp` adds the site's
 * policy header to HTML responses (not for the blog fixtures, whose pages embed from elsewhere).
 */
export function serve({ dir = 'dist', port = 8080, host = '127.0.0.1', headers = {}, csp = false } = {}) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    try {
      if (statSync(file).isDirectory()) {
        if (!path.endsWith('/')) {
          res.writeHead(301, { Location: `${path}/` }).end();
          return;
        }
        file = join(file, 'index.html');
      }
      const stat = statSync(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const hashed = file.startsWith(join(root, 'assets') + sep);
      const copy = compressedCopy(file, req.headers['accept-encoding'], stat);
      const etag = `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}${copy ? `-${copy.encoding}` : ''}"`;
      const head = {
        'Content-Type': type,
        'Cache-Control': hashed ? IMMUTABLE : 'no-cache',
        ETag: etag,
        Vary: 'Accept-Encoding',
        ...(csp && type.startsWith('text/html') ? { 'Content-Security-Policy': CSP } : {}),
        ...headers,
      };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, head).end();
        return;
      }
      if (copy) head['Content-Encoding'] = copy.encoding;
      res.writeHead(200, { ...head, 'Content-Length': copy ? copy.size : stat.size });
      if (req.method === 'HEAD') res.end();
      else createReadStream(copy ? copy.path : file).pipe(res);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : def;
  };
  const port = Number(arg('port', process.env.PORT ?? 8080));
  serve({ dir: arg('dir', 'dist'), port, csp: true }).then(
    () => console.log(`Attention Lab is at http://127.0.0.1:${port}/  (Ctrl+C to stop)`),
    (err) => {
      console.error(`serve: cannot listen on 127.0.0.1:${port}: ${err.message}`);
      process.exit(1);
    },
  );
}
