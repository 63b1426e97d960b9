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

async function toProblem(response: Response): Promise<ApiProblem> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): the status alone says what happened.
  }
  const title =
    typeof body.title === 'string' ? body.title : `Erreur ${response.status} du serveur`;
  return new ApiProblem(
    response.status,
    typeof body.type === 'string' ? body.type : 'about:blank',
    title,
    typeof body.detail === 'string' ? body.detail : undefined,
    body,
  );
}

/** Listeners told when any call finds the session gone (401), to send the person to sign in. */
const onSignedOut = new Set<() => void>();
export function whenSignedOut(listener: () => void): () => void {
  onSignedOut.add(listener);
  return () => onSignedOut.delete(listener);
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
  if (!response.ok) {
    const problem = await toProblem(response);
    if (response.status === 401 && !path.startsWith('/api/v1/auth/')) {
      for (const listener of onSignedOut) listener();
    }
    throw problem;
  }
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
    xhr.withCredentials = false;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () =>
      reject(new ApiProblem(0, 'network', 'La connexion au serveur a été perdue', undefined, {}));
    xhr.onabort = () => reject(new ApiProblem(0, 'aborted', 'Envoi annulé', undefined, {}));
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        // keep {}
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
        return;
      }
      const title = typeof body.title === 'string' ? body.title : `Erreur ${xhr.status}`;
      const detail = typeof body.detail === 'string' ? body.detail : undefined;
      const type = typeof body.type === 'string' ? body.type : 'about:blank';
      reject(new ApiProblem(xhr.status, type, title, detail, body));
    };
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}

/** The URL of a file the API serves as an attachment (the session cookie authorizes it). */
export function downloadUrl(path: string): string {
  return path;
}
