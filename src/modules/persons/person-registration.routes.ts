import { defineRoute } from '../../http/route.js';
import { PersonMatch, RegisterPersonBody } from './person.schemas.js';
import { registerPerson } from './person-registration.service.js';

export const personRegistrationRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/persons/registrations',
    summary: 'Register a person without an account, to file a paper request for them',
    tags: ['persons'],
    policy: { action: 'person.register' },
    body: RegisterPersonBody,
    status: 201,
    response: PersonMatch,
    handler: async ({ deps, actor, body }) => registerPerson(deps, actor, body),
  }),
];
