import type { RouteObject } from 'react-router';

/** Pages of the usager's space, under /mon-espace (shown to signed-in usagers only). */
export const usagerRoutes: RouteObject[] = [];

/** Pages reached signed out: sign-up, e-mail confirmation, forgotten password. */
export const usagerPublicRoutes: RouteObject[] = [];
