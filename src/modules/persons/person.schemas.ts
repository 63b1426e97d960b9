import { Type } from '@sinclair/typebox';
import { Day, Id, Timestamp } from '../common.schemas.js';
import { VisibleText } from '../visible-text.js';
import { MANDATE_PROOF_KINDS } from './mandate.schemas.js';

const MandateKind = Type.Union([
  Type.Literal('parent'),
  Type.Literal('tuteur'),
  Type.Literal('aidant'),
]);
/** The proof on file of a mandate, as lists show it (the file itself: GET .../proof/content). */
const ProofOnFile = Type.Union([
  Type.Object({
    kind: Type.Union(MANDATE_PROOF_KINDS.map((k) => Type.Literal(k))),
    uploadedAt: Timestamp,
  }),
  Type.Null(),
]);
const Name = VisibleText({ minVisible: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f<>]+$' });

const MandateView = Type.Object({
  id: Id,
  kind: MandateKind,
  startsOn: Day,
  endsOn: Day,
  verified: Type.Boolean(),
  proof: ProofOnFile,
});

export const PersonView = Type.Object({
  id: Id,
  firstName: Type.String(),
  lastName: Type.String(),
  birthDate: Day,
  relation: Type.Union([Type.Literal('self'), Type.Literal('represented')]),
  mandate: Type.Union([MandateView, Type.Null()]),
});

/** A NIR (numéro de sécurité sociale), 13 characters with or without its 2-digit key. */
const Nir = Type.String({
  pattern: '^[1-478][0-9]{4}(?:[0-9]{2}|2[AB])[0-9]{6}(?:[0-9]{2})?$',
  description: 'NIR without spaces; stored sealed, searchable only through a keyed blind index',
});

export const PersonSearchQuery = Type.Object({ nir: Nir }, { additionalProperties: false });

export const PersonMatch = Type.Object({
  id: Id,
  firstName: Type.String(),
  lastName: Type.String(),
  birthDate: Day,
});

export const DeclareRepresentedBody = Type.Object(
  {
    firstName: Name,
    lastName: Name,
    birthDate: Day,
    nir: Type.Optional(Nir),
    mandate: Type.Object(
      { kind: MandateKind, startsOn: Day, endsOn: Day },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const MandateReview = Type.Object({
  id: Id,
  kind: MandateKind,
  startsOn: Day,
  endsOn: Day,
  verifiedAt: Type.Union([Timestamp, Type.Null()]),
  personId: Id,
  personName: Type.String(),
  representativeName: Type.String(),
  proof: ProofOnFile,
  /** The proof that was in view when the mandate was verified. */
  verifiedProofId: Type.Union([Id, Type.Null()]),
  endedAt: Type.Union([Timestamp, Type.Null()]),
});

export const MandateListQuery = Type.Object(
  { pending: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const MandateParams = Type.Object({ mandateId: Id }, { additionalProperties: false });

/** The usager's own identity, declared once after sign-up; every field is stored sealed. */
export const DeclareSelfBody = Type.Object(
  {
    firstName: Name,
    lastName: Name,
    birthDate: Day,
    nir: Type.Optional(Nir),
    address: Type.Optional(
      VisibleText({ minVisible: 1, maxLength: 300, pattern: '^[^\\u0000-\\u001f<>]+$' }),
    ),
  },
  { additionalProperties: false },
);

/** A person registered by the accueil from a paper request: no account, every field sealed. */
export const RegisterPersonBody = Type.Object(
  {
    firstName: Name,
    lastName: Name,
    birthDate: Day,
    nir: Type.Optional(Nir),
    address: Type.Optional(
      VisibleText({ minVisible: 1, maxLength: 300, pattern: '^[^\\u0000-\\u001f<>]+$' }),
    ),
  },
  { additionalProperties: false },
);

export const PersonParams = Type.Object({ personId: Id }, { additionalProperties: false });
