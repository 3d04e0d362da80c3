/**
 * JSON.parse with an error a person can find in the file: "not valid JSON at line 3, column 9:
 * unexpected '}' (JSON does not allow a comma before '}')".
 *
 * The location comes from the parser's message when it gives one (V8: "at position N" or
 * "(line L column C)"; Firefox: "at line L column C"). Older V8 and Safari often give none, so
 * then a small scanner finds the first character at which the text stops being JSON.
 */
import type { ModelIssue } from './errors';

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: ModelIssue };

export function parseJsonText(text: string): JsonParseResult {
  // Editors on Windows may save a byte-order mark, which JSON.parse refuses.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (e) {
    const parserMessage = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { path: '', message: describeSyntaxError(body, parserMessage) } };
  }
}

/** The message for a text JSON.parse refused with `parserMessage` (whose wording varies by engine). */
export function describeSyntaxError(text: string, parserMessage: string): string {
  if (text.trim() === '') return 'the file is empty';
  const offset = offsetFromMessage(text, parserMessage) ?? jsonErrorOffset(text);
  if (offset === undefined) return `not valid JSON: ${parserMessage}`;
  const { line, column } = lineAndColumn(text, offset);
  return `not valid JSON at line ${line}, column ${column}: ${whatIsWrong(text, offset)}`;
}

function offsetFromMessage(text: string, message: string): number | undefined {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return offsetOf(text, Number(lineColumn[1]), Number(lineColumn[2]));
  const position = /at position (\d+)/.exec(message);
  if (position) return Math.min(Number(position[1]), text.length);
  return undefined;
}

function whatIsWrong(text: string, offset: number): string {
  if (offset >= text.length) return 'the text ends too early (is a closing bracket, brace or quote missing?)';
  const char = text[offset] ?? '';
  const shown = /^[\x20-\x7e]$/.test(char) ? `'${char}'` : `character U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const before = text.slice(0, offset).trimEnd().at(-1);
  if ((char === '}' || char === ']') && before === ',') return `unexpected ${shown} (JSON does not allow a comma before '${char}')`;
  if (char === "'") return `unexpected ${shown} (JSON strings and names use double quotes)`;
  if (char === '/') return `unexpected ${shown} (JSON does not allow comments)`;
  return `unexpected ${shown}`;
}

/** 1-based line and column of a UTF-16 offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function offsetOf(text: string, line: number, column: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', start);
    if (next === -1) return text.length;
    start = next + 1;
  }
  return Math.min(start + column - 1, text.length);
}

type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * Offset of the first character at which `text` stops being JSON (RFC 8259), `text.length` if it
 * ends too early, or undefined if it is valid JSON. Iterative, so deep nesting cannot overflow.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const n = text.length;
  const open: ('{' | '[')[] = [];
  let expect: Expect = 'value';
  let i = 0;
  const afterValue = (): Expect => (open.length === 0 ? 'end' : 'commaOrClose');

  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= n) return expect === 'end' ? undefined : n;
    const c = text[i];
    switch (expect) {
      case 'end':
        return i;
      case 'colon':
        if (c !== ':') return i;
        i++;
        expect = 'value';
        break;
      case 'commaOrClose': {
        const inObject = open.at(-1) === '{';
        if (c === ',') {
          i++;
          expect = inObject ? 'key' : 'value';
        } else if (c === (inObject ? '}' : ']')) {
          open.pop();
          i++;
          expect = afterValue();
        } else return i;
        break;
      }
      case 'keyOrClose':
      case 'key': {
        if (expect === 'keyOrClose' && c === '}') {
          open.pop();
          i++;
          expect = afterValue();
          break;
        }
        if (c !== '"') return i;
        const end = scanString(text, i);
        if (end.error !== undefined) return end.error;
        i = end.next;
        expect = 'colon';
        break;
      }
      case 'valueOrClose':
      case 'value': {
        if (expect === 'valueOrClose' && c === ']') {
          open.pop();
          i++;
          expect = afterValue();
        } else if (c === '{' || c === '[') {
          open.push(c);
          i++;
          expect = c === '{' ? 'keyOrClose' : 'valueOrClose';
        } else {
          const end = scanScalar(text, i);
          if (end.error !== undefined) return end.error;
          i = end.next;
          expect = afterValue();
        }
        break;
      }
    }
  }
}

type Scan = { next: number; error?: undefined } | { next?: undefined; error: number };

function scanScalar(text: string, i: number): Scan {
  if (text[i] === '"') return scanString(text, i);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, i)) return { next: i + literal.length };
  }
  NUMBER.lastIndex = i;
  return NUMBER.test(text) ? { next: NUMBER.lastIndex } : { error: i };
}

function scanString(text: string, i: number): Scan {
  for (let j = i + 1; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code === 0x22) return { next: j + 1 };
    if (code < 0x20) return { error: j };
    if (code !== 0x5c) continue;
    const escaped = text[j + 1];
    if (escaped === undefined) return { error: text.length };
    if (escaped === 'u') {
      for (let k = j + 2; k < j + 6; k++) {
        if (k >= text.length) return { error: text.length };
        if (!/[0-9a-fA-F]/.test(text[k] ?? '')) return { error: k };
      }
      j += 5;
    } else if (ESCAPES.has(escaped)) j += 1;
    else return { error: j + 1 };
  }
  return { error: text.length };
}
