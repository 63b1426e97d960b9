import { defineRoute } from '../../http/route.js';
import { contextOf } from '../../http/request-context.js';
import { PersonParams, PersonView } from '../persons/person.schemas.js';
import { ClaimBody, InvitationView, InviteBody } from './invitation.schemas.js';
import { claimPersonInvitation, invitePerson } from './invitation.service.js';

export const invitationRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/persons/:personId/invitations',
    summary: 'Invite a person registered on paper to take over their file online (letter code)',
    tags: ['persons'],
    policy: { action: 'person.invite' },
    params: PersonParams,
    body: InviteBody,
    status: 201,
    response: InvitationView,
    handler: async ({ deps, actor, params, body }) =>
      invitePerson(deps, actor, params.personId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/invitations/claim',
    summary: 'Take over my file registered on paper: the invitation code and my birth date',
    tags: ['persons'],
    policy: { action: 'invitation.claim' },
    body: ClaimBody,
    response: PersonView,
    handler: async ({ deps, actor, body, request }) =>
      claimPersonInvitation(deps, contextOf(request), actor, body),
  }),
];
