/**
 * Roles whose holders a responsable manages and reviews (the agents); responsables, admins and
 * the DPO are reviewed by another admin.
 */
export const AGENT_ROLES: readonly string[] = ['accueil', 'instructeur', 'evaluateur', 'cdaph'];
