/** Periodic access reviews: campaigns, each reviewer's decisions (src/modules/access-reviews). */
import type { Static } from '@sinclair/typebox';
import type {
  ItemDecided,
  ItemDecisionBody,
  ReviewItem as ReviewItemSchema,
  ReviewOpened,
} from '../../../src/modules/access-reviews/review.schemas';
import { api, url } from './client';

export type ReviewItem = Static<typeof ReviewItemSchema>;
export type ReviewDecision = Static<typeof ItemDecisionBody>['decision'];

/** The roles I review, in every open campaign. */
export const listReviewItems = async () =>
  (await api.get<{ items: ReviewItem[] }>('/api/v1/access-reviews/items')).items;

/** Opens a campaign: every role of the département to be reviewed by `deadline`. */
export const openReview = (deadline: string) =>
  api.post<Static<typeof ReviewOpened>>('/api/v1/access-reviews', { deadline });

/** Keeps or withdraws one role I review. */
export const decideReviewItem = (itemId: string, decision: ReviewDecision) =>
  api.post<Static<typeof ItemDecided>>(url`/api/v1/access-reviews/items/${itemId}`, { decision });
