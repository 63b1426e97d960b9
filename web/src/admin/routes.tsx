import type { RouteObject } from 'react-router';

/** The admin and DPO console, under /administration (and access reviews for responsables). */
export const adminRoutes: RouteObject[] = [];

/** Pages reached signed out: a new agent's activation link. */
export const adminPublicRoutes: RouteObject[] = [];
