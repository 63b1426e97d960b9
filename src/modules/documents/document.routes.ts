import { defineRoute } from '../../http/route.js';
import { CaseParams } from '../common.schemas.js';
import {
  DocumentList,
  DocumentParams,
  DocumentView,
  ReviewBody,
  UploadQuery,
} from './document.schemas.js';
import { reviewDocument } from './document-review.service.js';
import { listCaseDocuments, openDocumentForDownload, uploadDocument } from './document.service.js';
import { openSingleFile } from '../../http/multipart-file.js';
import { sendAttachment } from '../../http/send-attachment.js';

export const documentRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/cases/:caseId/documents',
    summary: 'Documents of a case (medical ones only with medical clearance)',
    tags: ['documents'],
    policy: { action: 'document.list' },
    params: CaseParams,
    response: DocumentList,
    handler: async ({ deps, actor, params }) => listCaseDocuments(deps, actor, params.caseId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:caseId/documents',
    summary:
      'Upload one PDF, JPEG or PNG file (multipart field "file"); replaces= a piece it supersedes',
    tags: ['documents'],
    policy: { action: 'document.upload' },
    params: CaseParams,
    querystring: UploadQuery,
    multipart: true,
    status: 201,
    response: DocumentView,
    handler: async ({ deps, actor, request, params, query }) =>
      uploadDocument(deps, actor, params.caseId, query, (maxBytes) =>
        openSingleFile(request, maxBytes),
      ),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/documents/:documentId/content',
    summary: 'Download a document (always as an attachment)',
    tags: ['documents'],
    policy: { action: 'document.read' },
    params: DocumentParams,
    response: 'binary',
    handler: async ({ deps, actor, params, reply, request }) => {
      const { document, fileName, stream } = await openDocumentForDownload(
        deps,
        actor,
        params.documentId,
      );
      await sendAttachment(deps, request, reply, {
        fileName,
        mediaType: document.media_type,
        sizeBytes: document.size_bytes,
        stream,
        object: { type: 'document', id: document.id },
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/documents/:documentId/review',
    summary: 'Accept or reject a piece (medical ones: only the case’s évaluateur médical)',
    tags: ['documents'],
    policy: { action: 'document.review' },
    params: DocumentParams,
    body: ReviewBody,
    response: DocumentView,
    handler: async ({ deps, actor, params, body }) =>
      reviewDocument(deps, actor, params.documentId, body),
  }),
];
