import { Type } from '@sinclair/typebox';
import { Day, Id, Timestamp } from '../common.schemas.js';

const MandateKind = Type.Union([
  Type.Literal('parent'),
  Type.Literal('tuteur'),
  Type.Literal('aidant'),
]);
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f<>]+$' });

export const MandateView = Type.Object({
  id: Id,
  kind: MandateKind,
  startsOn: Day,
  endsOn: Day,
  verified: Type.Boolean(),
});

export const PersonView = Type.Object({
  id: Id,
  firstName: Type.String(),
  lastName: Type.String(),
  birthDate: Day,
  relation: Type.Union([Type.Literal('self'), Type.Literal('represented')]),
  mandate: Type.Union([MandateView, Type.Null()]),
});

export const DeclareRepresentedBody = Type.Object(
  {
    firstName: Name,
    lastName: Name,
    birthDate: Day,
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
});

export const MandateListQuery = Type.Object(
  { pending: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const MandateParams = Type.Object({ mandateId: Id }, { additionalProperties: false });
