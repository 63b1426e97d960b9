import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { tokenLink } from '../self-service/account-mails.js';
import { createTenant } from './tenant-creation.service.js';
import { enqueueMail } from '../outbox/enqueue.js';
import { listTenantsWithAdmins } from './tenant.repository.js';
import type { NewTenantBody } from './tenants.schemas.js';

/** The départements, as the operator sees them. */
export async function listTenantsForOperator(deps: AppDeps) {
  const rows = await listTenantsWithAdmins(deps.db);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    createdAt: r.created_at,
    activeAdmins: Number(r.active_admins ?? 0),
    adminsToActivate: Number(r.admins_to_activate ?? 0),
  }));
}

/**
 * The operator creates a département over the API. The admins' activation links go to their own
 * mailboxes and never to the operator, who would otherwise hold both admin accounts of a
 * département; so the creation is refused while no mail can leave.
 */
export async function createTenantAndInvite(
  deps: AppDeps,
  actor: Actor,
  body: Static<typeof NewTenantBody>,
) {
  if (!deps.mailer.available)
    throw problems.mailUnavailable(
      'Aucun serveur SMTP n’est configuré (CLOISON_SMTP_URL) : les liens d’activation des administrateurs ne pourraient pas être envoyés. Rien n’a été créé.',
    );
  const site = deps.publicOrigin();
  const created = await createTenant(
    deps,
    { kind: 'operator', actor },
    body,
    async (trx, tenant, admins) => {
      for (const admin of admins) {
        await enqueueMail(trx, deps, {
          tenantId: tenant.id,
          topic: 'activation',
          to: { accountId: admin.accountId, awaitingActivation: true },
          subject: 'Cloison : activez votre compte',
          text:
            `Bonjour ${admin.displayName},\n\n` +
            `Vous êtes l’un des deux premiers administrateurs de ${tenant.name} sur Cloison.\n\n` +
            'Pour activer votre compte et choisir votre mot de passe, ouvrez ce lien (valable 72 heures, une seule fois) :\n' +
            `${tokenLink(site, '/activation', admin.activationToken)}\n\n` +
            'Si vous n’attendiez pas ce message, ne cliquez pas et prévenez l’exploitant de la plateforme.\n',
        });
      }
    },
  );
  return {
    ...created.tenant,
    admins: created.admins.map((a) => ({
      accountId: a.accountId,
      email: a.email,
      status: 'awaiting-activation' as const,
    })),
  };
}
