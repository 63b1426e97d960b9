/**
 * The one way the web application talks to the API: same origin, the session cookie only
 * (HttpOnly, never readable here), JSON in and out. Nothing is kept in localStorage or
 * sessionStorage. Every change is a POST/PUT/DELETE that the browser sends with its Origin and
 * Sec-Fetch-Site headers, which the server checks (CSRF), and the cookie is SameSite=Strict.
 */

/** An RFC 9457 problem answered by the API, with its stable `type` and French `title`. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly body: Record<string, unknown>,
  ) {
    super(detail ? `${title} : ${detail}` : title);
    this.name = 'ApiProblem';
  }

  /** Field errors of a 400 (`errors: [{ path, message }]`), when the API gave them. */
  get fieldErrors(): Array<{ path: string; message: string }> {
    const errors = this.body.errors;
    return Array.isArray(errors) ? (errors as Array<{ path: string; message: string }>) : [];
  }
}

/** Listeners told when any call finds the session gone, to send the person to sign in. */
const onSignedOut = new Set<() => void>();
export function whenSignedOut(listener: () => void): () => void {
  onSignedOut.add(listener);
  return () => onSignedOut.delete(listener);
}

/** The problem of a refused answer, whatever carried it (fetch or XMLHttpRequest). */
function problemFrom(status: number, text: string): ApiProblem {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): the status alone says what happened.
  }
  const problem = new ApiProblem(
    status,
    typeof body.type === 'string' ? body.type : 'about:blank',
    typeof body.title === 'string' ? body.title : `Erreur ${status} du serveur`,
    typeof body.detail === 'string' ? body.detail : undefined,
    body,
  );
  // Only "no session" means signed out: a wrong current password or code is a 401 too
  // (bad-credentials, bad-second-factor), answered to a person who is still signed in.
  if (problem.type === 'urn:cloison:problem:unauthenticated') {
    for (const listener of onSignedOut) listener();
  }
  return problem;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
    cache: 'no-store',
  };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) throw problemFrom(response.status, await response.text());
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) return (await response.json()) as T;
  return (await response.text()) as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  del: <T = void>(path: string) => call<T>('DELETE', path),
};

/** A path with each interpolated value encoded as one URL segment (an id never adds a `/`). */
export function url(parts: TemplateStringsArray, ...values: Array<string | number>): string {
  return parts.reduce((out, part, i) => out + encodeURIComponent(String(values[i - 1])) + part);
}

/** Builds a query string from defined values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Sends a file with upload progress (fetch has none): XMLHttpRequest, same origin, the cookie
 * only. Resolves with the parsed answer, rejects with an ApiProblem.
 */
export function uploadWithProgress<T>(
  path: string,
  form: FormData,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () =>
      reject(new ApiProblem(0, 'network', 'La connexion au serveur a été perdue', undefined, {}));
    xhr.onabort = () => reject(new ApiProblem(0, 'aborted', 'Envoi annulé', undefined, {}));
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(problemFrom(xhr.status, xhr.responseText));
        return;
      }
      onProgress(1);
      resolve(JSON.parse(xhr.responseText) as T);
    };
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}
