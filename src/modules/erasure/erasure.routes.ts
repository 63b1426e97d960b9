import { defineRoute } from '../../http/route.js';
import { erasePerson } from './erasure.service.js';
import { ErasureBody, ErasureCertificateView, PersonParams } from './erasure.schemas.js';

export const erasureRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/persons/:personId/erasure',
    summary:
      'Erase a person: destroy their data key and every row about them; returns the certificate',
    tags: ['persons'],
    policy: { action: 'person.erase' },
    params: PersonParams,
    body: ErasureBody,
    status: 201,
    response: ErasureCertificateView,
    handler: async ({ deps, actor, params, body }) =>
      erasePerson(deps, actor, params.personId, body),
  }),
];
