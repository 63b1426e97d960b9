import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.js';
import { openSingleFile } from '../../http/multipart-file.js';
import { sendAttachment } from '../../http/send-attachment.js';
import { endMandate } from './mandate-end.service.js';
import { openMandateProof, uploadMandateProof } from './mandate-proof.service.js';
import { MandateParams } from './person.schemas.js';
import { EndMandateBody, MandateProofView, ProofUploadQuery } from './mandate.schemas.js';

export const mandateRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/mandates/:mandateId/proof',
    summary: 'Upload the proof of my mandate (one PDF, JPEG or PNG file, multipart field "file")',
    tags: ['persons'],
    policy: { action: 'mandate.uploadProof' },
    params: MandateParams,
    querystring: ProofUploadQuery,
    multipart: true,
    status: 201,
    response: MandateProofView,
    handler: async ({ deps, actor, request, params, query }) =>
      uploadMandateProof(deps, actor, params.mandateId, query, (maxBytes) =>
        openSingleFile(request, maxBytes),
      ),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/mandates/:mandateId/proof/content',
    summary: 'Download the proof on file of a mandate (always as an attachment)',
    tags: ['persons'],
    policy: { action: 'mandate.readProof' },
    params: MandateParams,
    response: 'binary',
    handler: async ({ deps, actor, params, reply, request }) => {
      const { proof, fileName, stream } = await openMandateProof(deps, actor, params.mandateId);
      await sendAttachment(deps, request, reply, {
        fileName,
        mediaType: proof.media_type,
        sizeBytes: proof.size_bytes,
        stream,
        object: { type: 'mandate-proof', id: proof.id },
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/mandates/:mandateId/end',
    summary: 'End a mandate early or revoke it (from endsOn on it gives no access)',
    tags: ['persons'],
    policy: { action: 'mandate.end' },
    params: MandateParams,
    body: EndMandateBody,
    status: 204,
    response: Type.Null(),
    handler: async ({ deps, actor, params, body }) =>
      endMandate(deps, actor, params.mandateId, body),
  }),
];
