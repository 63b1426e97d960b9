import type { RouteObject } from 'react-router';

/** The agents' back office, under /instruction (accueil, instructeur, évaluateur, responsable, CDAPH). */
export const agentRoutes: RouteObject[] = [];
