import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { getConsultationNames, listConsultations, setConsultationNames } from './consultations.js';
import { searchAudit, verifyMyChain } from './audit-search.js';
import {
  AuditSearchQuery,
  AuditSearchResult,
  ConsultationList,
  ConsultationSetting,
  ConsultationSettingBody,
  VerificationResult,
} from './audit.schemas.js';
import { consistency, exportEvents, inclusion, latestCheckpoint } from './auditor.service.js';

const Hex = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Size = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });

export const auditRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/me/consultations',
    summary: 'Who consulted my file: every access by staff to my cases and their documents',
    tags: ['audit'],
    policy: { action: 'me.consultations' },
    querystring: Type.Object(
      { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })) },
      { additionalProperties: false },
    ),
    response: ConsultationList,
    handler: async ({ deps, actor, query }) => listConsultations(deps, actor, query.limit ?? 200),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/consultation-settings',
    summary: 'Whether usagers see the names of the agents who consulted their file (as set now)',
    tags: ['audit'],
    policy: { action: 'consultations.configure' },
    response: ConsultationSetting,
    handler: async ({ deps, actor }) => getConsultationNames(deps, actor),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/consultation-settings',
    summary: 'Whether usagers see the names of the agents who consulted their file',
    tags: ['audit'],
    policy: { action: 'consultations.configure' },
    body: ConsultationSettingBody,
    response: ConsultationSetting,
    handler: async ({ deps, actor, body }) => setConsultationNames(deps, actor, body.showNames),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/checkpoint',
    summary: 'The latest signed checkpoint of my département’s audit log, and its public key',
    tags: ['audit'],
    policy: { action: 'audit.read' },
    response: Type.Object({
      size: Type.Integer(),
      rootHash: Hex,
      note: Type.String(),
      keyName: Type.String(),
      publicKey: Type.String(),
    }),
    handler: async ({ deps, actor }) => latestCheckpoint(deps, actor),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/proofs/inclusion',
    summary: 'RFC 6962 inclusion proof of one audit event in the tree of the first `size` events',
    tags: ['audit'],
    policy: { action: 'audit.read' },
    querystring: Type.Object({ seq: Size, size: Size }, { additionalProperties: false }),
    response: Type.Object({
      seq: Type.Integer(),
      size: Type.Integer(),
      leafHash: Hex,
      rootHash: Hex,
      proof: Type.Array(Hex),
    }),
    handler: async ({ deps, actor, query }) => inclusion(deps, actor, query.seq, query.size),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/proofs/consistency',
    summary: 'RFC 6962 consistency proof between two sizes of the audit log',
    tags: ['audit'],
    policy: { action: 'audit.read' },
    querystring: Type.Object({ from: Size, to: Size }, { additionalProperties: false }),
    response: Type.Object({
      from: Type.Integer(),
      to: Type.Integer(),
      fromRoot: Hex,
      toRoot: Hex,
      proof: Type.Array(Hex),
    }),
    handler: async ({ deps, actor, query }) => consistency(deps, actor, query.from, query.to),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/events',
    summary: 'SIEM export: my département’s audit events as JSON lines, after a sequence number',
    tags: ['audit'],
    policy: { action: 'audit.read' },
    querystring: Type.Object(
      { after: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })) },
      { additionalProperties: false },
    ),
    response: 'binary',
    handler: async ({ deps, actor, reply, query }) => {
      const stream = exportEvents(deps, actor, query.after ?? 0);
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(stream);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/search',
    summary: 'Search my département’s audit events (actor, action, object, outcome, period)',
    tags: ['audit'],
    policy: { action: 'audit.read' },
    querystring: AuditSearchQuery,
    response: AuditSearchResult,
    handler: async ({ deps, actor, query }) => searchAudit(deps, actor, query),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/audit/verification',
    summary: 'Verify my département’s audit chain and its signed checkpoints now',
    tags: ['audit'],
    policy: { action: 'audit.read' },
    response: VerificationResult,
    handler: async ({ deps, actor }) => verifyMyChain(deps, actor),
  }),
];
