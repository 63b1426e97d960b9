import { defineRoute } from '../../http/route.js';
import { CaseParams } from '../common.schemas.js';
import { DocumentList, DocumentParams, DocumentView, UploadQuery } from './document.schemas.js';
import { listCaseDocuments, openDocumentForDownload, uploadDocument } from './document.service.js';
import { attachmentDisposition } from './file-type.js';
import { openSingleFile } from '../../http/multipart-file.js';
import { TamperedError } from '../../crypto/key-manager.js';
import { recordSecurityEvent } from '../events/security-events.js';

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
    summary: 'Upload one PDF, JPEG or PNG file (multipart field "file")',
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
      // Past the first chunk the headers are sent: an altered chunk can only cut the transfer
      // short, and must still be reported.
      stream.once('error', (error) => {
        if (error instanceof TamperedError) {
          void recordSecurityEvent(deps, request, {
            kind: 'data.integrity-failure',
            actor,
            objectType: 'document',
            objectId: document.id,
          });
        }
      });
      await reply
        .code(200)
        .type(document.media_type)
        .header('content-length', String(document.size_bytes))
        .header('content-disposition', attachmentDisposition(fileName))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'; sandbox")
        .send(stream);
    },
  }),
];
