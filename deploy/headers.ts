/**
 * The HTTP headers Gradflow's responses carry in production: the one source for every server.
 * vite.config.ts sends them from `vite preview` (all of them, so the e2e suite runs the app under
 * the production policy) and from `vite` (all but the CSP, which hot reload's inline preamble
 * would break); the build writes them to dist/_headers for Netlify and Cloudflare Pages; the
 * nginx and Apache snippets in deploy/README.md are generated here and a test holds them equal.
 */
import type { Plugin } from 'vite';

/**
 * Content-Security-Policy, directive by directive. Everything the app loads is its own: one
 * module script, its CSS, the training worker (a separate file, built from
 * `new URL('…/training.worker.ts', import.meta.url)`), and the datasets under /datasets/.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  // No inline script and no eval. 'wasm-unsafe-eval' lets the training worker compile the engine's
  // WebAssembly SIMD kernels (engine/kernels/wasm.ts); it allows compiling WebAssembly, never JS.
  // Without it the engine still runs, on its TypeScript kernels, several times slower.
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  // React, React Flow and uPlot set styles through the CSSOM (element.style), which CSP does not
  // govern, so neither <style> elements nor style="" attributes from the page need allowing.
  'style-src': ["'self'"],
  // data: for the favicon, an inline SVG in index.html.
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'none'"],
  // Nobody may frame the app (clickjacking). Current browsers read this instead of X-Frame-Options.
  'frame-ancestors': ["'none'"],
};

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([directive, sources]) => [directive, ...sources].join(' '))
  .join('; ');

/**
 * Headers that hot reload tolerates: the dev server sends these too. COOP and COEP make the page
 * cross-origin isolated (`crossOriginIsolated`), which SharedArrayBuffer and so a threaded engine
 * (issue 14) require; every resource is same-origin, so require-corp blocks nothing.
 */
export const DEV_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  // Our files may not be embedded by other sites (the resource half of the isolation above).
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  // The app links nowhere today; whatever request ever leaves it need not say where it came from.
  'Referrer-Policy': 'no-referrer',
};

export const PRODUCTION_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  ...DEV_HEADERS,
};

const entries = () => Object.entries(PRODUCTION_HEADERS);

/** The `_headers` file of Netlify and Cloudflare Pages: every path gets every header. */
export const netlifyHeadersFile = (): string => ['/*', ...entries().map(([name, value]) => `  ${name}: ${value}`)].join('\n') + '\n';

/** nginx, inside the `server` or `location` block that serves dist/ (`always`: error pages too). */
export const nginxSnippet = (): string => entries().map(([name, value]) => `add_header ${name} "${value}" always;`).join('\n');

/** Apache (mod_headers), in the virtual host or an .htaccess beside index.html. */
export const apacheSnippet = (): string => entries().map(([name, value]) => `Header always set ${name} "${value}"`).join('\n');

/** Writes dist/_headers at build time, so a Netlify or Cloudflare Pages deploy of dist/ sends the headers. */
export function headersFile(): Plugin {
  return {
    name: 'gradflow:headers-file',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: netlifyHeadersFile() });
    },
  };
}
