/**
 * What pino must never write. Bodies are not logged at all; these paths cover the places a
 * secret or a personal value could still appear (headers, errors quoting input).
 */
export const redactionPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'body',
  'req.body',
  'password',
  '*.password',
  'email',
  '*.email',
];
