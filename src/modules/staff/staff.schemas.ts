import { Type } from '@sinclair/typebox';
import { STAFF_ROLES } from '../../policy/actor.js';
import { Id, Timestamp } from '../common.schemas.js';
import { VisibleText } from '../visible-text.js';

export const StaffRoleSchema = Type.Union(STAFF_ROLES.map((r) => Type.Literal(r)));
/** Team slugs as cases carry them (equipe-nord). */
export const TeamSchema = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[a-z0-9][a-z0-9-]*$',
});

export const StaffRequestBody = Type.Object(
  {
    /** The person's own professional address, never a shared mailbox. */
    email: Type.String({ format: 'email', maxLength: 254 }),
    /** "Prénom Nom". */
    displayName: VisibleText({ minVisible: 3, maxLength: 100 }),
    role: StaffRoleSchema,
    team: Type.Optional(TeamSchema),
    /** The responsable who reviews this person's role; by default one of the team, or any. */
    managerId: Type.Optional(Id),
    /** A temporary grant: the role stops working at this instant. */
    expiresAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

export const RoleRequestBody = Type.Object(
  {
    role: StaffRoleSchema,
    team: Type.Optional(TeamSchema),
    expiresAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

export const RequestParams = Type.Object({ requestId: Id }, { additionalProperties: false });
export const AccountParams = Type.Object({ accountId: Id }, { additionalProperties: false });

const RequestStatus = Type.Union(['pending', 'approved', 'refused'].map((s) => Type.Literal(s)));

export const RequestReceipt = Type.Object({
  requestId: Id,
  accountId: Id,
  status: RequestStatus,
});

export const DecisionReceipt = Type.Object({
  requestId: Id,
  status: RequestStatus,
});

export const PendingRequest = Type.Object({
  id: Id,
  /**
   * create: a new account; change: a role for an existing one; disable: an account holding admin
   * or DPO to be disabled; enable: a disabled staff account to be re-enabled.
   */
  purpose: Type.Union(['create', 'change', 'disable', 'enable'].map((p) => Type.Literal(p))),
  accountId: Id,
  displayName: Type.String(),
  email: Type.String(),
  currentRole: Type.Union([Type.String(), Type.Null()]),
  /** The role asked for; null for disable and enable, which ask for no role. */
  role: Type.Union([Type.String(), Type.Null()]),
  team: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  requestedBy: Type.Union([Id, Type.Null()]),
  requestedAt: Timestamp,
  /** False when this admin asked for it or it is for them: another admin must decide. */
  mayDecide: Type.Boolean(),
});

/** A staff account as the staff list shows it. */
export const StaffMember = Type.Object({
  id: Id,
  displayName: Type.String(),
  role: Type.String(),
  team: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  /** Disabling it takes a second admin's approval (it holds admin or DPO). */
  disableNeedsSecondAdmin: Type.Boolean(),
  /** Disabled after a departure or inactivity: two admins may re-enable it. */
  canBeReenabled: Type.Boolean(),
});

export const ActivationBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
