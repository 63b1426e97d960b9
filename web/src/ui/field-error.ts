import { ApiProblem } from '../api/client';

/** Where a field sits in the request the API refused: `body/email`, `querystring/team`. */
const PART = /^(?:body|querystring|params)(?=\/|$)/;

/**
 * The API's message about one field of a refused request, when it gave one: a 400 names each
 * field by its place in the request (`body/email`, `body/mandate/kind`, as
 * src/http/error-handler.ts builds `path`). `field` is that place without its part (`email`,
 * `mandate/kind`); an error inside the field (`rights/0`) is the field's own.
 */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiProblem)) return undefined;
  const messages = error.fieldErrors
    .filter(({ path }) => {
      const inside = path.replace(PART, '');
      return inside === `/${field}` || inside.startsWith(`/${field}/`);
    })
    .map(({ message }) => message);
  return messages.length > 0 ? messages.join(' ') : undefined;
}

/** DSFR field props (Input, Select, Upload, Checkbox…) that show that message on the field. */
export function fieldState(
  error: unknown,
  field: string,
): { state: 'error' | 'default'; stateRelatedMessage?: string } {
  const message = fieldError(error, field);
  return message === undefined
    ? { state: 'default' }
    : { state: 'error', stateRelatedMessage: message };
}

/** The same for a PasswordInput, which shows messages rather than a state: the error, if any. */
export function fieldMessages(
  error: unknown,
  field: string,
): Array<{ severity: 'error'; message: string }> {
  const message = fieldError(error, field);
  return message === undefined ? [] : [{ severity: 'error', message }];
}
