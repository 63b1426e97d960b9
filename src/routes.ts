import { accountRoutes } from './modules/accounts/account.routes.js';
import { reviewRoutes } from './modules/access-reviews/review.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { caseRoutes } from './modules/cases/case.routes.js';
import { documentRoutes } from './modules/documents/document.routes.js';
import { erasureRoutes } from './modules/erasure/erasure.routes.js';
import { retentionRoutes } from './modules/retention/retention.routes.js';
import { federationRoutes } from './modules/federation/federation.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { alertRoutes } from './modules/alerts/alert.routes.js';
import { breakGlassRoutes } from './modules/break-glass/break-glass.routes.js';
import { alertChannelRoutes } from './modules/alerts/alert-channel.routes.js';
import { alertSettingsRoutes } from './modules/alerts/alert-settings.routes.js';
import { mfaRoutes } from './modules/mfa/mfa.routes.js';
import { integrationTokenRoutes } from './modules/integrations/integration-token.routes.js';
import { messageRoutes } from './modules/messages/message.routes.js';
import { myDataRoutes } from './modules/my-data/my-data.routes.js';
import { noteRoutes } from './modules/notes/note.routes.js';
import { personRoutes } from './modules/persons/person.routes.js';
import { personRegistrationRoutes } from './modules/persons/person-registration.routes.js';
import { invitationRoutes } from './modules/invitations/invitation.routes.js';
import { selfServiceRoutes } from './modules/self-service/self-service.routes.js';
import { staffRoutes } from './modules/staff/staff.routes.js';
import { tenantRoutes } from './modules/tenants/tenants.routes.js';
import { backupStatusRoutes } from './modules/backup/backup-status.routes.js';
import { notificationPreferenceRoutes } from './modules/notifications/notification-preferences.routes.js';
import { mandateRoutes } from './modules/persons/mandate.routes.js';
import { cdaphSessionRoutes } from './modules/cdaph-sessions/cdaph-session.routes.js';
import { exportInstructionRoutes } from './modules/exports/export-instruction.routes.js';
import type { RouteDef } from './http/route.js';

/** The whole API. The access matrix test iterates over this table. */
export const apiRoutes: readonly RouteDef[] = [
  ...healthRoutes,
  ...authRoutes,
  ...mfaRoutes,
  ...auditRoutes,
  ...alertRoutes,
  ...breakGlassRoutes,
  ...alertChannelRoutes,
  ...alertSettingsRoutes,
  ...federationRoutes,
  ...selfServiceRoutes,
  ...personRoutes,
  ...personRegistrationRoutes,
  ...invitationRoutes,
  ...myDataRoutes,
  ...erasureRoutes,
  ...retentionRoutes,
  ...staffRoutes,
  ...tenantRoutes,
  ...backupStatusRoutes,
  ...accountRoutes,
  ...integrationTokenRoutes,
  ...reviewRoutes,
  ...caseRoutes,
  ...documentRoutes,
  ...messageRoutes,
  ...noteRoutes,
  ...notificationPreferenceRoutes,
  ...mandateRoutes,
  ...cdaphSessionRoutes,
  ...exportInstructionRoutes,
];
