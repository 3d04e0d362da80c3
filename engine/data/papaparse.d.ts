/**
 * The part of papaparse the engine uses, imported as 'papaparse/papaparse.min.js': the build the
 * package's `browser` field names (its Node build requires 'stream'). The engine does not use
 * '@types/papaparse': it references the Node types, which would put Node globals (process,
 * Buffer) into the engine's type check and defeat its "no Node APIs" guard for every engine file.
 * csv.ts references this file, so programs that reach csv.ts through imports (worker, app) see it.
 */
declare module 'papaparse/papaparse.min.js' {
  export interface ParseError {
    type: 'Quotes' | 'Delimiter' | 'FieldMismatch';
    code: 'MissingQuotes' | 'UndetectableDelimiter' | 'TooFewFields' | 'TooManyFields' | 'InvalidQuotes';
    message: string;
    /** Index into `data` (with `header: false`, row 0 is the header line). */
    row?: number;
  }

  export interface ParseResult {
    data: string[][];
    errors: ParseError[];
    meta: { delimiter: string };
  }

  export interface ParseConfig {
    header?: false;
    skipEmptyLines?: boolean | 'greedy';
    transform?: (value: string) => string;
    delimiter?: string;
  }

  const Papa: {
    parse(text: string, config: ParseConfig): ParseResult;
  };
  export default Papa;
}
