/** Mandates: their proofs, their verification, their early end (src/modules/persons). */
import type { Static } from '@sinclair/typebox';
import type { MandateReview } from '../../../src/modules/persons/person.schemas';
import type {
  EndMandateBody,
  MandateProofView,
  ProofUploadQuery,
} from '../../../src/modules/persons/mandate.schemas';
import { api, query, uploadWithProgress, url } from './client';

export type MandateToReview = Static<typeof MandateReview>;
export type ProofKind = Static<typeof ProofUploadQuery>['kind'];

/** Mandates of my département (agents), pending ones only when asked. */
export const listMandates = async (pending: boolean) =>
  (await api.get<{ items: MandateToReview[] }>(`/api/v1/mandates${query({ pending })}`)).items;

/** Sends the proof of my mandate, reporting its progress (0 to 1). */
export function uploadMandateProof(
  mandateId: string,
  kind: ProofKind,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<Static<typeof MandateProofView>> {
  const form = new FormData();
  form.append('file', file, file.name);
  return uploadWithProgress(
    `${url`/api/v1/mandates/${mandateId}/proof`}${query({ kind })}`,
    form,
    onProgress,
  );
}

/** Where the proof on file of a mandate is downloaded from (always as an attachment). */
export const mandateProofUrl = (mandateId: string) =>
  url`/api/v1/mandates/${mandateId}/proof/content`;

/** Records that the proof on file was checked. */
export const verifyMandate = (mandateId: string) =>
  api.post<null>(url`/api/v1/mandates/${mandateId}/verify`);

/** Ends a mandate: from `endsOn` on it gives no access (today: at once). */
export const endMandate = (mandateId: string, body: Static<typeof EndMandateBody>) =>
  api.post<null>(url`/api/v1/mandates/${mandateId}/end`, body);
