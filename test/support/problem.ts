import { expect } from 'vitest';
import type { HttpResult } from '../harness/client.js';

/** Text that must never reach a client: stack frames, SQL, driver and file-system details. */
const LEAKS =
  /\bat \S+ \(|node_modules|\.ts:\d+|\.js:\d+|sqlite|kysely|select\s.+\sfrom|insert\s+into|drop\s+table|syntax error|stack/i;

/**
 * What is wrong with a response that should be an RFC 9457 problem with a client-error status
 * (or exactly `status`) disclosing nothing of the server's insides; empty when nothing is.
 */
export function problemIssues(res: HttpResult, status?: number): string[] {
  const issues: string[] = [];
  if (status !== undefined ? res.status !== status : res.status < 400 || res.status >= 500) {
    issues.push(`status ${res.status}, expected ${status ?? '4xx'}`);
  }
  if (!(res.headers.get('content-type') ?? '').includes('application/problem+json')) {
    issues.push(`content-type ${res.headers.get('content-type')}`);
  }
  const body = res.json as { type?: unknown; status?: unknown; title?: unknown } | undefined;
  if (typeof body?.type !== 'string' || !body.type.startsWith('urn:cloison:problem:')) {
    issues.push('no problem type');
  }
  if (body?.status !== res.status) issues.push('body status differs from HTTP status');
  if (typeof body?.title !== 'string') issues.push('no title');
  if (LEAKS.test(res.text)) issues.push('leaks internals');
  return issues;
}

/** Asserts the response is a problem as problemIssues() describes. */
export function expectProblem(res: HttpResult, status?: number, context = ''): void {
  expect(
    problemIssues(res, status),
    `${context} -> ${res.status} ${res.text.slice(0, 300)}`,
  ).toEqual([]);
}

/** The problem type slug, e.g. "validation". */
export function problemSlug(res: HttpResult): string {
  const type = (res.json as { type?: string } | undefined)?.type ?? '';
  return type.replace('urn:cloison:problem:', '');
}
