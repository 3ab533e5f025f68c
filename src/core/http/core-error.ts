/**
 * A non-200 answer of the core. The real core answers these with a plain-text body, and
 * supertokens-node turns any non-200 into an exception, so business outcomes never use this:
 * they are 200s with a `status` string.
 */
export class CoreHttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** `400 Field name '<f>' is invalid in JSON input`: a required field is missing or mistyped. */
export const invalidField = (field: string): CoreHttpError =>
  new CoreHttpError(400, `Field name '${field}' is invalid in JSON input`);

/** `400 Field name '<f>' is missing in GET request`. */
export const missingQuery = (field: string): CoreHttpError =>
  new CoreHttpError(400, `Field name '${field}' is missing in GET request`);

export const badRequest = (message: string): CoreHttpError => new CoreHttpError(400, message);
