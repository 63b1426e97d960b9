import { Type } from '@sinclair/typebox';
import { Day, Id, Timestamp } from '../common.schemas.js';
import { VisibleText } from '../visible-text.js';

export const MANDATE_PROOF_KINDS = ['jugement_tutelle', 'livret_famille', 'attestation'] as const;

const ProofKind = Type.Union(MANDATE_PROOF_KINDS.map((k) => Type.Literal(k)));

export const ProofUploadQuery = Type.Object({ kind: ProofKind }, { additionalProperties: false });

/** A proof as its readers see it: what it is and when it came, never its name. */
export const MandateProofView = Type.Object({
  id: Id,
  kind: ProofKind,
  mediaType: Type.String(),
  sizeBytes: Type.Integer(),
  uploadedAt: Timestamp,
});

export const EndMandateBody = Type.Object(
  {
    /** The day the mandate stops: from that day on it gives no access (today: at once). */
    endsOn: Day,
    reason: VisibleText({ minVisible: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
