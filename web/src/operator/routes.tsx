import { Navigate, type RouteObject } from 'react-router';
import { BackupsPage } from './BackupsPage';
import { TenantsPage } from './TenantsPage';

/**
 * The operator's console, under /exploitation: the départements of the platform and its
 * backups. Nothing inside a département is reachable from here; the API decides every read and
 * change again.
 */
export const operatorRoutes: RouteObject[] = [
  { path: '/exploitation', element: <Navigate to="/exploitation/departements" replace /> },
  { path: '/exploitation/departements', element: <TenantsPage /> },
  { path: '/exploitation/sauvegardes', element: <BackupsPage /> },
];
