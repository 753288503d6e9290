import { badRequest } from './rest-errors';

/** A request body's fields, once it is known to be a JSON object. */
export type BodyFields = Readonly<Record<string, unknown>>;

/** The body of a POST or PUT as an object; 400 when it is anything else. */
export function bodyFields(body: unknown): BodyFields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('body', 'must be a JSON object');
  }
  return body as BodyFields;
}

/** A field that must be a non-empty string; 400 naming it otherwise. */
export function requiredString(fields: BodyFields, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value === '') throw badRequest(name, 'is required (a non-empty string)');
  return value;
}
