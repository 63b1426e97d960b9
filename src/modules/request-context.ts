/**
 * What the domain knows of the request it serves: where it came from and by which route, for
 * the audit record and the security events. Built by src/http (`contextOf`); services never
 * see Fastify's request or reply.
 */
export interface RequestContext {
  /** The client's address as the proxy configuration resolves it. */
  readonly ip: string;
  /** The route as declared, with its method ("POST /api/v1/cases/:caseId"). */
  readonly route: string;
}
