import { isJsonObject, type JsonObject } from '../http/json-input.js';

/** The real core's `JsonValidatorUtils.ValueType`, by the name its error texts give it. */
type FieldType =
  'string' | 'integer' | 'boolean' | 'object' | 'array of string' | 'array of object';

/** A JSON string that is not blank (Java's `isBlank`: whitespace only is refused too). */
const nonBlankString = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';

const valid: Record<FieldType, (value: unknown) => boolean> = {
  string: nonBlankString,
  integer: (value) => typeof value === 'number' && Number.isFinite(value),
  boolean: (value) => typeof value === 'boolean',
  object: isJsonObject,
  'array of string': (value) => Array.isArray(value) && value.every(nonBlankString),
  'array of object': (value) => Array.isArray(value) && value.every(isJsonObject),
};

/** What each type reads as (integers cut to whole numbers, as Java's `longValue()`). */
interface FieldValue {
  string: string;
  integer: number;
  boolean: boolean;
  object: JsonObject;
  'array of string': string[];
  'array of object': JsonObject[];
}

/**
 * `parseAndValidateFieldType`: the field's value when present and of its type; otherwise
 * undefined, with `<field> should be of type <type><suffix>` (JSON `null` included) or, when
 * required and absent, `<field> is required<suffix>` added to `errors`.
 */
export function field<T extends FieldType>(
  input: JsonObject,
  name: string,
  type: T,
  required: boolean,
  errors: string[],
  suffix: string,
): FieldValue[T] | undefined {
  if (!(name in input)) {
    if (required) errors.push(`${name} is required${suffix}`);
    return undefined;
  }
  const value = input[name];
  if (!valid[type](value)) {
    errors.push(`${name} should be of type ${type}${suffix}`);
    return undefined;
  }
  return (type === 'integer' ? Math.trunc(value as number) : value) as FieldValue[T];
}
