import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import config from '../vite.config';
import { apacheSnippet, CONTENT_SECURITY_POLICY, headersFile, nginxSnippet, netlifyHeadersFile, PRODUCTION_HEADERS } from './headers';

/** Runs the plugin's build hook and returns the files it emitted. */
function emittedByBuild(): { type: string; fileName?: string; source?: unknown }[] {
  const emitted: { type: string; fileName?: string; source?: unknown }[] = [];
  const hook = headersFile().generateBundle as unknown as (this: { emitFile(file: (typeof emitted)[number]): string }) => void;
  hook.call({ emitFile: (file) => (emitted.push(file), 'ref') });
  return emitted;
}

/** Reads a `_headers` file (Netlify / Cloudflare Pages): path lines, then indented `Name: value` lines. */
function parseHeadersFile(text: string): Record<string, Record<string, string>> {
  const rules: Record<string, Record<string, string>> = {};
  let path = '';
  for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
    const header = /^\s+([\w-]+):\s*(.*)$/.exec(line);
    if (header) rules[path]![header[1]!] = header[2]!;
    else rules[(path = line.trim())] = {};
  }
  return rules;
}

const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));

describe('production headers', () => {
  it('are written by the build to _headers, every one for every path', () => {
    const files = emittedByBuild();
    expect(files.map((f) => [f.type, f.fileName])).toEqual([['asset', '_headers']]);
    expect(parseHeadersFile(String(files[0]!.source))).toEqual({ '/*': PRODUCTION_HEADERS });
  });

  it('forbid inline script, eval and framing, and let nothing load from another origin', () => {
    // WebAssembly compilation only (the engine's kernels): never JS eval.
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    for (const [name, sources] of directives) {
      for (const source of sources) expect(["'self'", "'none'", 'data:', ...(name === 'script-src' ? ["'wasm-unsafe-eval'"] : [])], `${name} ${source}`).toContain(source);
    }
    expect(PRODUCTION_HEADERS['X-Content-Type-Options']).toBe('nosniff');
    expect(PRODUCTION_HEADERS['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(PRODUCTION_HEADERS['Cross-Origin-Embedder-Policy']).toBe('require-corp');
  });

  it('are sent by vite preview, and all but the CSP by the dev server (hot reload runs an inline script)', () => {
    expect(config.preview?.headers).toEqual(PRODUCTION_HEADERS);
    const { 'Content-Security-Policy': csp, ...rest } = PRODUCTION_HEADERS;
    expect(csp).toBeDefined();
    expect(config.server?.headers).toEqual(rest);
  });

  it('appear in deploy/README.md exactly as the source defines them, for Netlify, nginx and Apache', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    expect(readme).toContain('```\n' + netlifyHeadersFile() + '```');
    expect(readme).toContain('```nginx\n' + nginxSnippet() + '\n```');
    expect(readme).toContain('```apache\n' + apacheSnippet() + '\n```');
  });
});
