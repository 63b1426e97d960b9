import { defineRoute } from '../../http/route.js';
import { sendAttachment } from '../../http/send-attachment.js';
import { openExportForDownload } from './export-delivery.service.js';
import { acknowledgeMigration, cancelSourceErasure } from './export-migration.service.js';
import { contextOf } from '../../http/request-context.js';
import { CreatedToken, RecipientTokenBody } from '../integrations/integration-token.schemas.js';
import { mintRecipientToken } from '../integrations/recipient-token.service.js';
import {
  AcknowledgementBody,
  CreateInstructionBody,
  FieldCatalogue,
  InstructionList,
  InstructionParams,
  InstructionView,
  RefusalBody,
} from './export-instruction.schemas.js';
import {
  decideOnInstruction,
  fieldCatalogue,
  listInstructions,
  orderInstruction,
  readInstruction,
} from './export-instruction.service.js';

export const exportInstructionRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/export-fields',
    summary: 'Every field Cloison can export, with its sensitivity',
    tags: ['exports'],
    policy: { action: 'export.catalogue' },
    response: FieldCatalogue,
    handler: async () => fieldCatalogue(),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/export-instructions',
    summary: 'Order an export or a migration (nothing runs before the DPO approves it)',
    tags: ['exports'],
    policy: { action: 'export.order' },
    body: CreateInstructionBody,
    status: 201,
    response: InstructionView,
    handler: async ({ deps, actor, request, body }) =>
      orderInstruction(deps, actor, contextOf(request), body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/export-instructions',
    summary: 'Export instructions: all of the département for the DPO, my own otherwise',
    tags: ['exports'],
    policy: { action: 'export.list' },
    response: InstructionList,
    handler: async ({ deps, actor }) => listInstructions(deps, actor),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/export-instructions/:instructionId',
    summary: 'One export instruction, its status and what its scope covers',
    tags: ['exports'],
    policy: { action: 'export.read' },
    params: InstructionParams,
    response: InstructionView,
    handler: async ({ deps, actor, params }) => readInstruction(deps, actor, params.instructionId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/export-instructions/:instructionId/approval',
    summary: 'Approve an export instruction someone else ordered (the DPO)',
    tags: ['exports'],
    policy: { action: 'export.approve' },
    params: InstructionParams,
    response: InstructionView,
    handler: async ({ deps, actor, request, params }) =>
      decideOnInstruction(deps, actor, contextOf(request), params.instructionId, {
        approve: true,
      }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/export-instructions/:instructionId/refusal',
    summary: 'Refuse an export instruction, with the reason (the DPO)',
    tags: ['exports'],
    policy: { action: 'export.approve' },
    params: InstructionParams,
    body: RefusalBody,
    response: InstructionView,
    handler: async ({ deps, actor, request, params, body }) =>
      decideOnInstruction(deps, actor, contextOf(request), params.instructionId, {
        approve: false,
        reason: body.reason,
      }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/exports/:instructionId/content',
    summary: 'Download an export (encrypted to its recipient), until its expiry; its orderer only',
    tags: ['exports'],
    policy: { action: 'export.download' },
    params: InstructionParams,
    response: 'binary',
    handler: async ({ deps, actor, params, reply, request }) => {
      const file = await openExportForDownload(
        deps,
        actor,
        contextOf(request),
        params.instructionId,
      );
      await sendAttachment(deps, request, reply, {
        fileName: file.fileName,
        mediaType: 'application/octet-stream',
        sizeBytes: file.size,
        stream: file.stream,
        object: { type: 'export-instruction', id: params.instructionId },
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/export-instructions/:instructionId/recipient-token',
    summary:
      'Mint the token of the recipient’s system for this approved export (shown once; replaces the live one); its orderer only',
    tags: ['exports'],
    policy: { action: 'export.mintRecipientToken' },
    params: InstructionParams,
    body: RecipientTokenBody,
    status: 201,
    response: CreatedToken,
    handler: async ({ deps, actor, request, params, body }) =>
      mintRecipientToken(deps, actor, contextOf(request), params.instructionId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/export-instructions/:instructionId/acknowledgement',
    summary:
      'Record that the recipient of a migration received it (its manifest hash): the source is erased after the grace period',
    tags: ['exports'],
    policy: { action: 'export.acknowledge' },
    params: InstructionParams,
    body: AcknowledgementBody,
    response: InstructionView,
    handler: async ({ deps, actor, request, params, body }) =>
      acknowledgeMigration(deps, actor, contextOf(request), params.instructionId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/export-instructions/:instructionId/erasure-cancellation',
    summary: 'Cancel the erasure of a migration’s source before it is due (the DPO)',
    tags: ['exports'],
    policy: { action: 'export.cancelErasure' },
    params: InstructionParams,
    response: InstructionView,
    handler: async ({ deps, actor, request, params }) =>
      cancelSourceErasure(deps, actor, contextOf(request), params.instructionId),
  }),
];
