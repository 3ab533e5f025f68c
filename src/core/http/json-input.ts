import { badRequest, invalidField, missingQuery } from './core-error.js';

/** A parsed JSON request body: always a plain object (anything else is `Invalid Json Input`). */
export type JsonObject = Record<string, unknown>;

/**
 * The real core's JSON parser (Gson 2.13) refuses documents nested deeper than this; deeper ones
 * would also overflow the stack of whatever walks them here (a 500).
 */
const MAX_NESTING = 255;

/** Whether arrays and objects nest deeper than `MAX_NESTING` (strings skipped), without recursion. */
function nestedTooDeep(raw: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_NESTING) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

export function parseJsonObject(raw: string): JsonObject {
  if (nestedTooDeep(raw)) throw badRequest('Invalid Json Input');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badRequest('Invalid Json Input');
  }
  if (!isJsonObject(value)) throw badRequest('Invalid Json Input');
  return value;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON number (a fraction cut off) or a string of digits; NaN for anything else. */
export function wholeNumber(value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value);
  return typeof value === 'string' && /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
}

/** Field readers with the real core's validation: `null` and wrong JSON types are invalid. */
export const body = {
  string(input: JsonObject, field: string): string {
    const value = input[field];
    if (typeof value !== 'string') throw invalidField(field);
    return value;
  },
  optionalString(input: JsonObject, field: string): string | undefined {
    return input[field] === undefined ? undefined : body.string(input, field);
  },
  boolean(input: JsonObject, field: string): boolean {
    const value = input[field];
    if (typeof value !== 'boolean') throw invalidField(field);
    return value;
  },
  optionalBoolean(input: JsonObject, field: string): boolean | undefined {
    return input[field] === undefined ? undefined : body.boolean(input, field);
  },
  object(input: JsonObject, field: string): JsonObject {
    const value = input[field];
    if (!isJsonObject(value)) throw invalidField(field);
    return value;
  },
  optionalObject(input: JsonObject, field: string): JsonObject | undefined {
    return input[field] === undefined ? undefined : body.object(input, field);
  },
  /**
   * An int as Gson's `getAsInt` reads one: a JSON number (a fraction is cut off) or a string of
   * digits, within 32 bits.
   */
  int(input: JsonObject, field: string): number {
    const number = wholeNumber(input[field]);
    if (!Number.isSafeInteger(number) || number > 2 ** 31 - 1 || number < -(2 ** 31)) {
      throw invalidField(field);
    }
    return number;
  },
  /** A long as Gson's `getAsLong` reads one (within what a JS number holds exactly), if given. */
  optionalLong(input: JsonObject, field: string): number | undefined {
    if (input[field] === undefined) return undefined;
    const number = wholeNumber(input[field]);
    if (!Number.isSafeInteger(number)) throw invalidField(field);
    return number;
  },
  stringArray(input: JsonObject, field: string): string[] {
    const value = input[field];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      throw invalidField(field);
    }
    return value;
  },
};

/** Query readers: a missing required parameter is `Field name '<f>' is missing in GET request`. */
export const query = {
  string(params: URLSearchParams, field: string): string {
    const value = params.get(field);
    if (value === null) throw missingQuery(field);
    return value;
  },
  optionalString(params: URLSearchParams, field: string): string | undefined {
    return params.get(field) ?? undefined;
  },
  /** `'true'`/`'false'`; anything else is the default (the real core's lenient boolean params). */
  flag(params: URLSearchParams, field: string, fallback: boolean): boolean {
    const value = params.get(field);
    return value === null ? fallback : value.toLowerCase() === 'true';
  },
};
