import { Type } from '@sinclair/typebox';
import { Id, Timestamp } from '../common.schemas.js';
import { CaseDetail } from '../cases/case.schemas.js';
import { DocumentView } from '../documents/document.schemas.js';
import { EntryView } from '../case-entries/entry.schemas.js';
import { PersonView } from '../persons/person.schemas.js';
import { ConsultationView } from '../audit/audit.schemas.js';

/** My account as the export shows it: who I am, never a secret (no hash, factor or token). */
const AccountExport = Type.Object({
  id: Id,
  email: Type.String(),
  displayName: Type.String(),
  createdAt: Timestamp,
  lastLoginAt: Type.Union([Timestamp, Type.Null()]),
  emailVerifiedAt: Type.Union([Timestamp, Type.Null()]),
  secondFactorEnrolled: Type.Boolean(),
});

const CaseExport = Type.Object({
  case: Type.Omit(CaseDetail, ['abilities', 'nextStatuses']),
  messages: Type.Array(EntryView),
  documents: Type.Array(
    Type.Composite([DocumentView, Type.Object({ downloadPath: Type.String() })]),
  ),
});

/** Everything Cloison holds about the signed-in usager and the persons they act for. */
export const MyDataExport = Type.Object({
  exportedAt: Timestamp,
  account: AccountExport,
  persons: Type.Array(PersonView),
  cases: Type.Array(CaseExport),
  consultations: Type.Array(ConsultationView),
});
