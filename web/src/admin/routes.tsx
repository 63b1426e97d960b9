import { Navigate, type RouteObject } from 'react-router';
import type { Me } from '../api/auth';
import { navigationFor } from '../app/navigation';
import { RequireRole } from '../app/RequireRole';
import { useMe } from '../session/session';
import { AccessReviewPage } from './AccessReviewPage';
import { ActivationPage } from './ActivationPage';
import { AlertsPage } from './AlertsPage';
import { ApprovalsPage } from './ApprovalsPage';
import { AuditPage } from './AuditPage';
import { BreakGlassPage } from './BreakGlassPage';
import { RetentionRulesPage } from './RetentionRulesPage';
import { StaffPage } from './StaffPage';
import { ExportApprovalsPage } from '../exports/ExportApprovalsPage';
import { ExportsPage } from '../exports/ExportsPage';

const hasRole =
  (...roles: string[]) =>
  (me: Me) =>
    me.kind === 'staff' && roles.includes(me.role ?? '');

/** /administration itself: the first entry of the person's menu. */
function AdminHome() {
  const me = useMe();
  return <Navigate to={navigationFor(me)[0]?.to ?? '/compte'} replace />;
}

/**
 * The admin and DPO console, under /administration (and access reviews for responsables). The
 * role wrappers only choose which pages to show; the API decides every read and change again.
 */
export const adminRoutes: RouteObject[] = [
  { path: '/administration', element: <AdminHome /> },
  {
    element: <RequireRole allow={hasRole('admin')} />,
    children: [
      { path: '/administration/agents', element: <StaffPage /> },
      { path: '/administration/approbations', element: <ApprovalsPage /> },
    ],
  },
  {
    element: <RequireRole allow={hasRole('dpo')} />,
    children: [
      { path: '/administration/audit', element: <AuditPage /> },
      { path: '/administration/bris-de-glace', element: <BreakGlassPage /> },
      { path: '/administration/exports-a-approuver', element: <ExportApprovalsPage /> },
      { path: '/administration/conservation', element: <RetentionRulesPage /> },
    ],
  },
  {
    element: <RequireRole allow={hasRole('admin', 'responsable')} />,
    children: [{ path: '/administration/exports', element: <ExportsPage /> }],
  },
  {
    element: <RequireRole allow={hasRole('admin', 'dpo')} />,
    children: [{ path: '/administration/alertes', element: <AlertsPage /> }],
  },
  { path: '/administration/revue-des-acces', element: <AccessReviewPage /> },
];

/** Pages reached signed out: a new agent's activation link. */
export const adminPublicRoutes: RouteObject[] = [
  { path: '/activation', element: <ActivationPage /> },
];
