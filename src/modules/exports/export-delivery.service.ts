import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import type { RequestContext } from '../request-context.js';
import { exportFile } from './export-archive.js';
import { requireInstruction } from './export-instruction.service.js';

/**
 * The export's file for its orderer, until its expiry: encrypted to the recipient, so it is
 * useless to whoever holds it without the recipient's key. Every download is recorded.
 */
export async function openExportForDownload(
  deps: AppDeps,
  actor: Actor,
  origin: RequestContext,
  instructionId: string,
): Promise<{ fileName: string; size: number; stream: Readable }> {
  const row = await requireInstruction(deps, actor, 'export.download', instructionId);
  const now = deps.clock.now().toISOString();
  if (row.status !== 'ready' || row.expires_at <= now || row.output_bytes === null) {
    throw problems.conflict(
      'export-not-available',
      row.expires_at <= now
        ? 'Cet export a expiré : son fichier est supprimé.'
        : 'Cet export n’est pas prêt.',
    );
  }
  const stream = fs.createReadStream(exportFile(deps.config.dataDir, row.id));
  await recordSecurityEvent(deps, origin, {
    kind: 'export.downloaded',
    actor,
    objectType: 'export-instruction',
    objectId: row.id,
    detail: { bytes: row.output_bytes },
  });
  return { fileName: `cloison-export-${row.id}.tar.age`, size: row.output_bytes, stream };
}
