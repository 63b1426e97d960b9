/** Export and migration instructions, approved by the DPO before anything runs (src/modules/exports). */
import type { Static } from '@sinclair/typebox';
import type {
  AcknowledgementBody,
  CreateInstructionBody,
  FieldCatalogue,
  InstructionList,
  InstructionView,
} from '../../../src/modules/exports/export-instruction.schemas';
import type {
  CreatedToken,
  RecipientTokenBody,
} from '../../../src/modules/integrations/integration-token.schemas';
import { api, url } from './client';

export type ExportInstruction = Static<typeof InstructionView>;
export type NewExportInstruction = Static<typeof CreateInstructionBody>;
export type ExportScope = NewExportInstruction['scope'];
export type ExportField = Static<typeof FieldCatalogue>['items'][number];
export type MigrationAcknowledgement = Static<typeof AcknowledgementBody>;
export type NewRecipientToken = Static<typeof RecipientTokenBody>;
/** A recipient's token as minted: the secret itself (`token`) is in this answer only. */
export type MintedRecipientToken = Static<typeof CreatedToken>;

/** Every field Cloison can export, with its sensitivity. */
export const listExportFields = async () =>
  (await api.get<Static<typeof FieldCatalogue>>('/api/v1/export-fields')).items;

/** Instructions: the whole département's for the DPO, my own for whoever orders them. */
export const listExportInstructions = async () =>
  (await api.get<Static<typeof InstructionList>>('/api/v1/export-instructions')).items;

/** One instruction, with what its scope covers and its run. */
export const getExportInstruction = (instructionId: string) =>
  api.get<ExportInstruction>(url`/api/v1/export-instructions/${instructionId}`);

/** Orders an export or a migration; it waits for the DPO's approval. */
export const orderExportInstruction = (body: NewExportInstruction) =>
  api.post<ExportInstruction>('/api/v1/export-instructions', body);

/** Approves an instruction someone else ordered (the DPO). */
export const approveExportInstruction = (instructionId: string) =>
  api.post<ExportInstruction>(url`/api/v1/export-instructions/${instructionId}/approval`);

/** Refuses an instruction, saying why (the DPO). */
export const refuseExportInstruction = (instructionId: string, reason: string) =>
  api.post<ExportInstruction>(url`/api/v1/export-instructions/${instructionId}/refusal`, {
    reason,
  });

/**
 * Records that a migration's recipient received it, with the two proofs only its decrypted
 * manifest gives (the DPO); the source's erasure is then due after the grace period.
 */
export const acknowledgeMigration = (instructionId: string, body: MigrationAcknowledgement) =>
  api.post<ExportInstruction>(
    url`/api/v1/export-instructions/${instructionId}/acknowledgement`,
    body,
  );

/** Stops a migration's erasure of the source before it is due: the persons stay (the DPO). */
export const cancelMigrationErasure = (instructionId: string) =>
  api.post<ExportInstruction>(
    url`/api/v1/export-instructions/${instructionId}/erasure-cancellation`,
  );

/**
 * Where the orderer downloads a ready export: a plain same-origin link, the session cookie
 * carrying who asks (never a bearer link that works for whoever holds it).
 */
export const exportContentPath = (instructionId: string) =>
  url`/api/v1/exports/${instructionId}/content`;

/**
 * Mints the token of the recipient's system for an approved export (its orderer): it downloads
 * that one file and, for a migration, posts the acknowledgement, until the instruction expires.
 * A new one revokes the live one. The secret comes in this answer only.
 */
export const mintRecipientToken = (instructionId: string, body: NewRecipientToken) =>
  api.post<MintedRecipientToken>(
    url`/api/v1/export-instructions/${instructionId}/recipient-token`,
    body,
  );

/** Where a recipient's system posts a migration's acknowledgement with its token. */
export const acknowledgementPath = (instructionId: string) =>
  url`/api/v1/export-instructions/${instructionId}/acknowledgement`;
