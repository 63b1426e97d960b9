import type { DbOrTx } from '../../db/database.js';

/**
 * The decided rights of a case of the tenant, with everything a decision letter states: the
 * decision, its validity, the sealed motive (open it with
 * `cipher.openOptional(sealedField.decisionReason(id), reasonEnc)` under the person's key), who
 * recorded it and when, and the session it was taken in (day, time, formation).
 */
export async function listDecidedRights(db: DbOrTx, tenantId: string, caseId: string) {
  const rows = await db
    .selectFrom('case_rights')
    .leftJoin('cdaph_sessions', (join) =>
      join
        .onRef('cdaph_sessions.id', '=', 'case_rights.session_id')
        .on('cdaph_sessions.tenant_id', '=', tenantId),
    )
    .select([
      'case_rights.id',
      'case_rights.right_code',
      'case_rights.decision',
      'case_rights.decision_reason_enc',
      'case_rights.valid_from',
      'case_rights.valid_until',
      'case_rights.decided_by',
      'case_rights.decided_at',
      'case_rights.session_id',
      'cdaph_sessions.sits_on',
      'cdaph_sessions.starts_at',
      'cdaph_sessions.formation',
    ])
    .where('case_rights.tenant_id', '=', tenantId)
    .where('case_rights.case_id', '=', caseId)
    .where('case_rights.decision', 'is not', null)
    .orderBy('case_rights.right_code')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    rightCode: r.right_code,
    decision: r.decision as 'accord' | 'accord_partiel' | 'rejet',
    reasonEnc: r.decision_reason_enc,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    session:
      r.session_id === null || r.sits_on === null
        ? null
        : { id: r.session_id, sitsOn: r.sits_on, startsAt: r.starts_at, formation: r.formation },
  }));
}
