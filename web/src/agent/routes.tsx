import type { RouteObject } from 'react-router';
import { QueuePage } from './QueuePage';
import { CasePage } from './CasePage';
import { SessionsPage } from './sessions/SessionsPage';
import { SessionPage } from './sessions/SessionPage';

/** The agents' back office, under /instruction (accueil, instructeur, évaluateur, responsable, CDAPH). */
export const agentRoutes: RouteObject[] = [
  { path: '/instruction', element: <QueuePage /> },
  { path: '/instruction/dossiers/:caseId', element: <CasePage /> },
  { path: '/instruction/seances', element: <SessionsPage /> },
  { path: '/instruction/seances/:sessionId', element: <SessionPage /> },
];
