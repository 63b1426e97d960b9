import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import { problems } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { normaliseNir } from '../../crypto/vault.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import { findPersonsByNirIndex, insertPerson } from './person.repository.js';
import { sealedPerson } from './sealed-person.js';
import type { RegisterPersonBody } from './person.schemas.js';

/** The earliest birth date a registration accepts: anything before is a typing error. */
const EARLIEST_BIRTH = '1900-01-01';

/**
 * The accueil registers a person who has no account, to file a paper request for them. Every
 * field is sealed as for a usager's own declaration. A NIR already known in the département is
 * refused: the existing person is the one to file for (the agent finds them by the NIR search),
 * never a second copy of them.
 */
export async function registerPerson(
  deps: AppDeps,
  actor: Actor,
  body: Static<typeof RegisterPersonBody>,
) {
  const agent = requireStaff(actor);
  const now = deps.clock.now();
  if (body.birthDate > isoDay(now)) {
    throw problems.validation('La date de naissance est dans le futur.');
  }
  if (body.birthDate < EARLIEST_BIRTH) {
    throw problems.validation('La date de naissance est antérieure à 1900.');
  }
  const personId = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    if (body.nir !== undefined) {
      const index = await deps.vault.blindIndex(trx, agent.tenantId, 'nir', normaliseNir(body.nir));
      if ((await findPersonsByNirIndex(trx, agent.tenantId, index)).length > 0) {
        throw problems.conflict(
          'duplicate-person',
          'Une personne portant ce NIR est déjà enregistrée dans le département : retrouvez-la ' +
            'par la recherche NIR et déposez la demande pour elle.',
        );
      }
    }
    await insertPerson(
      trx,
      await sealedPerson(deps, trx, {
        id: personId,
        tenantId: agent.tenantId,
        accountId: null,
        firstName: body.firstName,
        lastName: body.lastName,
        birthDate: body.birthDate,
        nir: body.nir ?? null,
        address: body.address ?? null,
        now,
      }),
    );
  });
  noteAuditedObject('person', personId);
  return {
    id: personId,
    firstName: body.firstName,
    lastName: body.lastName,
    birthDate: body.birthDate,
  };
}
