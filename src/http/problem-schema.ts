import { Type } from '@sinclair/typebox';

/** The one error body (RFC 9457), declared for every route in the OpenAPI document. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    next: Type.Optional(Type.Union([Type.Literal('second-factor'), Type.Literal('enroll')])),
    /** GET /api/ready: each check's outcome, by name. */
    checks: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.Literal('failed')])),
    ),
  },
  { $id: 'Problem', title: 'Problem' },
);
