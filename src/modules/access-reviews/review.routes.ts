import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { decideItem, listMyItems, openReview } from './review.service.js';
import {
  ItemDecided,
  ItemDecisionBody,
  ItemParams,
  OpenReviewBody,
  ReviewItem,
  ReviewOpened,
} from './review.schemas.js';
import { contextOf } from '../../http/request-context.js';

export const reviewRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/access-reviews',
    summary:
      'Open an access review of my département: each role confirmed or revoked by the deadline',
    tags: ['access-reviews'],
    policy: { action: 'review.open' },
    body: OpenReviewBody,
    status: 201,
    response: ReviewOpened,
    handler: async ({ deps, actor, request, body }) =>
      openReview(deps, actor, contextOf(request), body.deadline),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/access-reviews/items',
    summary: 'The roles I have to review in the open campaign',
    tags: ['access-reviews'],
    policy: { action: 'review.listItems' },
    response: Type.Object({ items: Type.Array(ReviewItem) }),
    handler: async ({ deps, actor }) => listMyItems(deps, actor),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/access-reviews/items/:itemId',
    summary: 'Confirm or revoke a role I review',
    tags: ['access-reviews'],
    policy: { action: 'review.decide' },
    params: ItemParams,
    body: ItemDecisionBody,
    response: ItemDecided,
    handler: async ({ deps, actor, request, params, body }) =>
      decideItem(deps, actor, contextOf(request), params.itemId, body.decision),
  }),
];
