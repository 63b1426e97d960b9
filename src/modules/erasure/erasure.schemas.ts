import { Type } from '@sinclair/typebox';
import { Id, Timestamp } from '../common.schemas.js';
import { VisibleText } from '../visible-text.js';

const ERASURE_REASONS = ['right-to-erasure', 'retention-expired', 'after-migration'] as const;

export const ErasureBody = Type.Object(
  {
    reason: Type.Union(ERASURE_REASONS.map((r) => Type.Literal(r))),
    /** The DPO's own reference (request number, ticket). */
    reference: Type.Optional(
      VisibleText({ minVisible: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f<>]+$' }),
    ),
  },
  { additionalProperties: false },
);

export const ErasureCertificateView = Type.Object({
  id: Id,
  personId: Id,
  reason: Type.Union(ERASURE_REASONS.map((r) => Type.Literal(r))),
  requestedBy: Id,
  erasedAt: Timestamp,
  dataKeyId: Type.String(),
  tenantKeyRetired: Type.Union([Type.Integer(), Type.Null()]),
  masterKeyId: Type.Union([Type.String(), Type.Null()]),
  copiesUnreadable: Type.Boolean(),
  detail: Type.Record(Type.String(), Type.Unknown()),
  /** The certificate as signed (canonical JSON); null until the copies were dealt with. */
  statement: Type.Union([Type.String(), Type.Null()]),
  /** Ed25519 over `cloison erasure-certificate v1\n` and the statement, base64. */
  signature: Type.Union([Type.String(), Type.Null()]),
});

export const ErasureCertificateList = Type.Object({ items: Type.Array(ErasureCertificateView) });

export const CertificateParams = Type.Object(
  { certificateId: Id },
  { additionalProperties: false },
);

export const PersonParams = Type.Object({ personId: Id }, { additionalProperties: false });
