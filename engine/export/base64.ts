/**
 * Base64 (RFC 4648, standard and URL-safe alphabets) over the platform's btoa/atob, which workers,
 * browsers and Node all have; in slices, so that megabytes of weights never go through one call.
 */

/** The platform codecs (the engine's TypeScript lib names no DOM). */
interface Base64Globals {
  btoa(binary: string): string;
  atob(text: string): string;
}
const platform = globalThis as unknown as Base64Globals;

/** Bytes per slice: a multiple of 3, so each slice encodes without padding and the slices join. */
const SLICE_BYTES = 3 * 0x3000;
/** The same slice in base64 characters. */
const SLICE_CHARS = (SLICE_BYTES / 3) * 4;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `bytes` in standard base64, padded. */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += SLICE_BYTES) parts.push(platform.btoa(String.fromCharCode(...bytes.subarray(i, i + SLICE_BYTES))));
  return parts.join('');
}

/** Standard base64 (padded, as toBase64 writes it) to bytes, or null when `text` is not that. */
export function fromBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  try {
    for (let i = 0; i < text.length; i += SLICE_CHARS) {
      const binary = platform.atob(text.slice(i, i + SLICE_CHARS));
      for (let j = 0; j < binary.length; j++) out[at++] = binary.charCodeAt(j);
    }
  } catch {
    return null; // padding in the middle
  }
  return at === out.length ? out : null;
}

/** The length of `bytes` bytes in padded base64. */
export const base64Length = (bytes: number): number => Math.ceil(bytes / 3) * 4;

/** `bytes` in base64url without padding (RFC 4648 §5), as links carry it. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Base64url (padding optional) to bytes, or null when `text` is not base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1 || /[+/=]/.test(bare)) return null;
  return fromBase64(bare.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(bare.length / 4) * 4, '='));
}
