import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeSyntaxError, jsonErrorOffset, lineAndColumn, parseJsonText } from './json-text';

function errorOf(text: string): string {
  const r = parseJsonText(text);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  expect(r.error.path).toBe('');
  return r.error.message;
}

describe('parseJsonText', () => {
  it('parses valid JSON, also after a byte-order mark', () => {
    expect(parseJsonText('{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('names the line and column of a trailing comma, and says why', () => {
    const text = '{\n  "nodes": [\n    1,\n  ],\n  "edges": []\n}';
    expect(errorOf(text)).toBe("not valid JSON at line 4, column 3: unexpected ']' (JSON does not allow a comma before ']')");
    expect(errorOf('{"a": 1,\n}')).toBe("not valid JSON at line 2, column 1: unexpected '}' (JSON does not allow a comma before '}')");
  });

  it('names the place of a missing comma', () => {
    expect(errorOf('{\n  "a": 1\n  "b": 2\n}')).toBe("not valid JSON at line 3, column 3: unexpected '\"'");
  });

  it('explains single quotes and comments', () => {
    expect(errorOf("{'a': 1}")).toBe("not valid JSON at line 1, column 2: unexpected ''' (JSON strings and names use double quotes)");
    expect(errorOf('{\n  // a comment\n  "a": 1\n}')).toBe("not valid JSON at line 2, column 3: unexpected '/' (JSON does not allow comments)");
  });

  it('says when the text ends too early, at its end', () => {
    expect(errorOf('{\n  "a": [1, 2')).toBe(
      'not valid JSON at line 2, column 13: the text ends too early (is a closing bracket, brace or quote missing?)',
    );
  });

  it('calls an empty file empty', () => {
    expect(errorOf('')).toBe('the file is empty');
    expect(errorOf(' \n\t')).toBe('the file is empty');
  });

  it('names characters that cannot be shown by their code', () => {
    expect(errorOf('{"a": 1}\u0001')).toBe('not valid JSON at line 1, column 9: unexpected character U+0001');
  });
});

describe('describeSyntaxError', () => {
  const text = '{\n  "a": 1\n  "b": 2\n}';
  const expected = "not valid JSON at line 3, column 3: unexpected '\"'";

  it.each([
    ['V8 with a position', 'Unexpected string in JSON at position 13'],
    ['V8 with line and column', `Expected ',' or '}' after property value in JSON at position 13 (line 3 column 3)`],
    ['Firefox', "JSON.parse: expected ',' or '}' after property value in object at line 3 column 3 of the JSON data"],
    ['Safari (no place: the scanner finds it)', "JSON Parse error: Expected '}'"],
  ])('reads the place from %s', (_, parserMessage) => {
    expect(describeSyntaxError(text, parserMessage)).toBe(expected);
  });

  it("falls back to the parser's words when it cannot place the error", () => {
    expect(describeSyntaxError('[1]', 'Something odd')).toBe('not valid JSON: Something odd');
  });
});

describe('lineAndColumn', () => {
  it('counts from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 2)).toEqual({ line: 1, column: 3 });
    expect(lineAndColumn('ab\ncd', 3)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn('ab\ncd', 5)).toEqual({ line: 2, column: 3 });
  });
});

describe('jsonErrorOffset', () => {
  it.each([
    ['[1,]', 3],
    ['{"a":1,}', 7],
    ['{"a" 1}', 5],
    ['{"a": 01}', 7],
    ['"ab\\x"', 4],
    ['"\\u12G4"', 5],
    ['"a\nb"', 2],
    ['tru', 0],
    ['[1] 2', 4],
    ['{"a": [1, {"b": null}]', 22],
    ['-', 0],
    ['1.', 1],
  ])('finds the first bad character of %j at %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('agrees with V8 where V8 gives a position', () => {
    for (const text of ['{"a": 01}', '{"a":1}}', '"abc', '{\n  "a": 1,\n  "b" 2\n}']) {
      let position: number | undefined;
      try {
        JSON.parse(text);
      } catch (e) {
        const m = /at position (\d+)/.exec((e as Error).message);
        position = m ? Number(m[1]) : undefined;
      }
      if (position !== undefined) expect(jsonErrorOffset(text), text).toBe(position);
    }
  });

  it('does not overflow on deep nesting', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(jsonErrorOffset(deep)).toBeUndefined();
    expect(jsonErrorOffset(`${'['.repeat(100_000)}}`)).toBe(100_000);
  });

  it('accepts exactly the texts JSON.parse accepts (valid JSON, and JSON with one edit)', () => {
    const jsonParses = (text: string): boolean => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    };
    const edited = fc
      .tuple(fc.json(), fc.nat(), fc.nat(3), fc.constantFrom('', ',', ']', '}', '"', ':', '\\', '0', '-', '.', 'e', ' ', '\n', 'u', '\u0001'))
      .map(([text, at, remove, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + remove);
      });
    fc.assert(
      fc.property(fc.oneof(fc.json(), edited, fc.string()), (text) => {
        expect(jsonErrorOffset(text) === undefined).toBe(jsonParses(text));
      }),
      { numRuns: 3000 },
    );
  });
});
