import { Type } from '@sinclair/typebox';
import { Id } from '../common.schemas.js';

export const LoginBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
    newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const Me = Type.Object({
  id: Id,
  kind: Type.Union([Type.Literal('usager'), Type.Literal('staff'), Type.Literal('operateur')]),
  role: Type.Union([Type.String(), Type.Null()]),
  tenantId: Type.Union([Id, Type.Null()]),
  displayName: Type.String(),
  email: Type.String(),
  /** done, or what this session still owes: `second-factor` to prove, `enroll` to register. */
  secondFactor: Type.Union([
    Type.Literal('done'),
    Type.Literal('second-factor'),
    Type.Literal('enroll'),
  ]),
});

/** After the first factor: done, or which second-factor step the client must take. */
export const LoginResult = Type.Object({
  next: Type.Union([Type.Literal('done'), Type.Literal('second-factor'), Type.Literal('enroll')]),
});
