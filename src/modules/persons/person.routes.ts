import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import {
  DeclareRepresentedBody,
  DeclareSelfBody,
  MandateListQuery,
  MandateParams,
  MandateReview,
  PersonMatch,
  PersonSearchQuery,
  PersonView,
} from './person.schemas.js';
import {
  declareRepresented,
  declareSelf,
  listMandatesForReview,
  listMyPersons,
  searchPersonsByNir,
  verifyMandate,
} from './person.service.js';

export const personRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/persons',
    summary: 'My own person and the persons I represent',
    tags: ['persons'],
    policy: { action: 'person.list' },
    response: Type.Object({ items: Type.Array(PersonView) }),
    handler: async ({ deps, actor }) => listMyPersons(deps, actor),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/persons',
    summary: 'Declare a person I represent (mandate to be verified by an agent)',
    tags: ['persons'],
    policy: { action: 'person.declareRepresented' },
    body: DeclareRepresentedBody,
    status: 201,
    response: PersonView,
    handler: async ({ deps, actor, body }) => declareRepresented(deps, actor, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/persons/self',
    summary: 'Declare who I am (once, after sign-up): the person I file requests for',
    tags: ['persons'],
    policy: { action: 'person.declareSelf' },
    body: DeclareSelfBody,
    status: 201,
    response: PersonView,
    handler: async ({ deps, actor, body }) => declareSelf(deps, actor, body),
  }),
  defineRoute({
    // POST, not GET: a NIR in a query string would end up in proxy and browser histories.
    method: 'POST',
    url: '/api/v1/persons/search',
    summary: 'Persons of my département with this NIR (blind-index lookup)',
    tags: ['persons'],
    policy: { action: 'person.search' },
    body: PersonSearchQuery,
    response: Type.Object({ items: Type.Array(PersonMatch) }),
    handler: async ({ deps, actor, body }) => searchPersonsByNir(deps, actor, body.nir),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/mandates',
    summary: 'Mandates of my département, to verify',
    tags: ['persons'],
    policy: { action: 'mandate.list' },
    querystring: MandateListQuery,
    response: Type.Object({ items: Type.Array(MandateReview) }),
    handler: async ({ deps, actor, query }) =>
      listMandatesForReview(deps, actor, query.pending ?? false),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/mandates/:mandateId/verify',
    summary: 'Record that a mandate’s evidence was checked',
    tags: ['persons'],
    policy: { action: 'mandate.verify' },
    params: MandateParams,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, actor, params }) => verifyMandate(deps, actor, params.mandateId),
  }),
];
