import { CoreHttpError } from './core-error.js';
import { parseJsonObject } from './json-input.js';

const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('parseJsonObject: nesting as deep as the real core (Gson) accepts', () => {
  it('accepts 255 levels and refuses 256 with the real core’s 400', () => {
    expect(() => parseJsonObject(nested(255))).not.toThrow();
    expect(() => parseJsonObject(nested(256))).toThrow(
      expect.objectContaining({ statusCode: 400, message: 'Invalid Json Input' }) as CoreHttpError,
    );
    // Arrays count too.
    expect(() => parseJsonObject(`{"a":${'['.repeat(300)}${']'.repeat(300)}}`)).toThrow(
      'Invalid Json Input',
    );
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = `"${'{['.repeat(400)}\\"${'[{'.repeat(400)}"`;
    expect(parseJsonObject(`{"s":${text}}`)).toEqual({ s: JSON.parse(text) as string });
  });

  it('survives a megabyte of nesting without overflowing the stack', () => {
    expect(() => parseJsonObject('['.repeat(1_000_000))).toThrow('Invalid Json Input');
  });
});
