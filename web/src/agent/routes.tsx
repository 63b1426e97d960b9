import type { RouteObject } from 'react-router';
import { QueuePage } from './QueuePage';
import { CasePage } from './CasePage';
import { PaperFilingPage } from './PaperFilingPage';
import { MandateReviewPage } from '../mandates/MandateReviewPage';
import { SessionsPage } from './sessions/SessionsPage';
import { SessionPage } from './sessions/SessionPage';

/** The agents' back office, under /instruction (accueil, instructeur, évaluateur, responsable, CDAPH). */
export const agentRoutes: RouteObject[] = [
  { path: '/instruction', element: <QueuePage /> },
  { path: '/instruction/dossiers/:caseId', element: <CasePage /> },
  { path: '/instruction/dossier-papier', element: <PaperFilingPage /> },
  { path: '/instruction/mandats', element: <MandateReviewPage /> },
  { path: '/instruction/seances', element: <SessionsPage /> },
  { path: '/instruction/seances/:sessionId', element: <SessionPage /> },
];
