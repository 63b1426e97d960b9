/** The documents of a case: list, upload with progress, download (src/modules/documents). */
import type { Static } from '@sinclair/typebox';
import type {
  DocumentList,
  DocumentView as DocumentViewSchema,
  ReviewBody,
  UploadQuery,
} from '../../../src/modules/documents/document.schemas';
import { api, query, uploadWithProgress, url } from './client';

export type DocumentView = Static<typeof DocumentViewSchema>;
export type UploadTarget = Static<typeof UploadQuery>;

/** The documents of a case I may see (medical ones only with medical clearance). */
export const listDocuments = async (caseId: string) =>
  (await api.get<Static<typeof DocumentList>>(url`/api/v1/cases/${caseId}/documents`)).items;

/** Sends one file to a case as the piece or category given, reporting its progress (0 to 1). */
export function uploadDocument(
  caseId: string,
  target: UploadTarget,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<DocumentView> {
  const form = new FormData();
  form.append('file', file, file.name);
  return uploadWithProgress<DocumentView>(
    `${url`/api/v1/cases/${caseId}/documents`}${query(target)}`,
    form,
    onProgress,
  );
}

/** Where a document is downloaded from (always as an attachment). */
export const documentContentUrl = (documentId: string) =>
  url`/api/v1/documents/${documentId}/content`;

/** Accepts or rejects a piece (a rejection says why; medical ones: the évaluateur only). */
export const reviewDocument = (documentId: string, body: Static<typeof ReviewBody>) =>
  api.post<DocumentView>(url`/api/v1/documents/${documentId}/review`, body);
