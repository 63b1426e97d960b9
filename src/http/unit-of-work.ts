import type { FastifyRequest } from 'fastify';
import { groupCommits, PendingCommits } from '../db/durability.js';

/**
 * Each request is one unit of work for the database's group commit (src/db/durability.ts): its
 * hooks and handler run inside it, and its answer leaves only once what it wrote — or read
 * before it was on disk — is durable.
 */
const units = new WeakMap<FastifyRequest, PendingCommits>();

function unitOf(request: FastifyRequest): PendingCommits {
  let unit = units.get(request);
  if (!unit) {
    unit = new PendingCommits();
    units.set(request, unit);
  }
  return unit;
}

/** Runs a step of the request (a hook, the handler) inside its unit of work. */
export function inUnitOf<T>(request: FastifyRequest, step: () => T): T {
  return groupCommits(unitOf(request), step);
}

/** Requests whose failure to be made durable has already replaced their answer. */
const failed = new WeakSet<FastifyRequest>();

/**
 * Waits until everything the request's answer depends on is on disk; throws if it never is,
 * once: the error answer that replaces the first one is then let through.
 */
export async function requestDurable(request: FastifyRequest): Promise<void> {
  if (failed.has(request)) return;
  try {
    await unitOf(request).settled();
  } catch (error) {
    failed.add(request);
    throw error;
  }
}
