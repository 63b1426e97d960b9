import type { World } from '../harness/world.js';

/**
 * Who may do what, restated from PRODUCT.md and THREATS.md T1 independently of src/policy.
 * The matrix compares the running server against this oracle; if both were derived from the
 * same table, a wrong rule would be wrong in both and the test would pass.
 */

export type WorldAccount = World['accounts'][number];
export type WorldCase = World['cases'][number];

/** An actor of the matrix: a seeded account, an integration token of a tenant, or nobody. */
export interface Who {
  name: string;
  account: WorldAccount | null;
  /** A département's system holding a token with every permission an integration may hold. */
  integration?: { tenantId: string; tokenId: string };
}

type Relation =
  'usager' | 'accueil' | 'instructeur' | 'evaluateur' | 'responsable' | 'cdaph' | 'integration';

/** What each relation to a case allows (PRODUCT.md, roles). */
const ALLOWED: Record<Relation, readonly string[]> = {
  usager: [
    'read',
    'transition',
    'editDraft',
    'renew',
    'documents',
    'upload',
    'messages',
    'message',
  ],
  accueil: [
    'read',
    'transition',
    'editDraft',
    'renew',
    'documents',
    'upload',
    'messages',
    'message',
    'notes',
    'note',
  ],
  // Decisions are the commission's, recorded in session by its secretariat (the responsable).
  instructeur: [
    'read',
    'transition',
    'documents',
    'upload',
    'messages',
    'message',
    'notes',
    'note',
  ],
  // The évaluateur médical reads the exchanges but does not write to the usager.
  evaluateur: ['read', 'transition', 'documents', 'upload', 'messages', 'notes', 'note'],
  responsable: [
    'read',
    'transition',
    'assign',
    'decide',
    'documents',
    'upload',
    'messages',
    'message',
    'notes',
    'note',
  ],
  // The CDAPH member sees the synthesis of the cases on the agenda of a session they sit in,
  // while its agenda is open (from its opening day until the session closes), nothing else.
  cdaph: ['read'],
  // A département's own system follows statuses and decisions: no document, message or note,
  // no write (issue 4, item 8).
  integration: ['read'],
};

export type CaseAbility =
  | 'read'
  | 'transition'
  | 'editDraft'
  | 'renew'
  | 'assign'
  | 'decide'
  | 'documents'
  | 'upload'
  | 'messages'
  | 'message'
  | 'notes'
  | 'note';

export class Oracle {
  constructor(
    readonly world: World,
    readonly today: string,
  ) {}

  /** Accounts holding a verified mandate over the person that is valid today. */
  representatives(personId: string): string[] {
    return this.world.mandates
      .filter(
        (m) =>
          m.person_id === personId &&
          m.verified_at !== null &&
          m.starts_on <= this.today &&
          this.today <= m.ends_on,
      )
      .map((m) => m.representative_account_id);
  }

  /** True when the usager account may act for the person: themself or a valid mandate. */
  actsFor(account: WorldAccount, personId: string): boolean {
    const person = this.world.persons.find((p) => p.id === personId);
    if (!person || person.tenant_id !== account.tenant_id) return false;
    return person.account_id === account.id || this.representatives(personId).includes(account.id);
  }

  /**
   * README: a draft is its author's until it is submitted. No agent and no département system
   * reaches a draft someone else opened (an agent d'accueil keeps the paper draft they opened).
   */
  isDraftOfAnother(who: Who, c: WorldCase): boolean {
    return c.status === 'brouillon' && c.filed_by_account_id !== who.account?.id;
  }

  relation(who: Who, c: WorldCase): Relation | null {
    if (who.integration) {
      if (who.integration.tenantId !== c.tenant_id || this.isDraftOfAnother(who, c)) return null;
      return 'integration';
    }
    const a = who.account;
    if (!a || a.tenant_id !== c.tenant_id) return null;
    // The person a draft is about and their representatives see their own file.
    if (a.kind === 'usager') return this.actsFor(a, c.person_id) ? 'usager' : null;
    if (a.kind !== 'staff' || this.isDraftOfAnother(who, c)) return null;
    switch (a.role) {
      case 'accueil':
        return 'accueil';
      case 'responsable':
        return 'responsable';
      case 'instructeur':
        return c.instructeur_id === a.id || (a.team !== null && c.team === a.team)
          ? 'instructeur'
          : null;
      case 'evaluateur':
        return c.evaluateur_id === a.id ? 'evaluateur' : null;
      case 'cdaph':
        return this.sitsOnAgendaOf(a.id, c) ? 'cdaph' : null;
      default:
        return null;
    }
  }

  /** A session of the case's tenant the account sits in, with the case on its open agenda. */
  sitsOnAgendaOf(accountId: string, c: WorldCase): boolean {
    return this.world.cdaphAgenda.some((item) => {
      const s = this.world.cdaphSessions.find((x) => x.id === item.session_id);
      return (
        item.case_id === c.id &&
        s !== undefined &&
        s.tenant_id === c.tenant_id &&
        s.status !== 'closed' &&
        s.agenda_opens_on <= this.today &&
        this.world.cdaphMembers.some((m) => m.session_id === s.id && m.account_id === accountId)
      );
    });
  }

  /**
   * CDAPH sessions: the responsable of the tenant reads and manages them all (the secretariat);
   * a CDAPH member of the tenant reads those they sit in; nobody else anything.
   */
  mayOnSession(who: Who, s: World['cdaphSessions'][number], ability: 'read' | 'manage'): boolean {
    const a = who.account;
    if (!a || a.kind !== 'staff' || a.tenant_id !== s.tenant_id) return false;
    if (a.role === 'responsable') return true;
    return (
      ability === 'read' &&
      a.role === 'cdaph' &&
      this.world.cdaphMembers.some((m) => m.session_id === s.id && m.account_id === a.id)
    );
  }

  mayOnCase(who: Who, c: WorldCase, ability: CaseAbility): boolean {
    const relation = this.relation(who, c);
    if (relation === null || !ALLOWED[relation].includes(ability)) return false;
    // A draft is its author's: anyone else is refused as for a missing case (the author of a
    // request already submitted gets a 409, an answer of their own case, not a refusal).
    return ability !== 'editDraft' || c.filed_by_account_id === who.account?.id;
  }

  mayReadDocument(who: Who, documentId: string): boolean {
    const d = this.world.documents.find((x) => x.id === documentId);
    const c = d && this.world.cases.find((x) => x.id === d.case_id);
    if (!d || !c || !this.mayOnCase(who, c, 'documents')) return false;
    if (d.category !== 'medical') return true;
    const relation = this.relation(who, c);
    return relation === 'evaluateur' || relation === 'usager';
  }

  /**
   * Whether break-glass may even consider the case (an instructeur or évaluateur asks): one of
   * their département, never a draft someone else is preparing.
   */
  breakGlassCandidate(who: Who, c: WorldCase): boolean {
    return who.account?.tenant_id === c.tenant_id && !this.isDraftOfAnother(who, c);
  }

  /** Opening a request for a person: the person themself, a valid representative, or accueil. */
  mayFileFor(who: Who, personId: string): boolean {
    const a = who.account;
    const person = this.world.persons.find((p) => p.id === personId);
    if (!a || !person || a.tenant_id !== person.tenant_id) return false;
    if (a.kind === 'usager') return this.actsFor(a, personId);
    return a.kind === 'staff' && a.role === 'accueil';
  }

  /** Staff who handle mandates verify those of their own département. */
  mayVerifyMandate(who: Who, mandateId: string): boolean {
    const a = who.account;
    const m = this.world.mandates.find((x) => x.id === mandateId);
    if (!a || !m || a.kind !== 'staff' || a.tenant_id !== m.tenant_id) return false;
    return ['accueil', 'instructeur', 'responsable'].includes(a.role ?? '');
  }

  /** Persons a usager's own list shows: themself, and unexpired mandates they hold. */
  visiblePersons(who: Who): string[] {
    const a = who.account;
    if (!a || a.kind !== 'usager') return [];
    const own = this.world.persons.filter((p) => p.account_id === a.id).map((p) => p.id);
    const represented = this.world.mandates
      .filter((m) => m.representative_account_id === a.id && this.today <= m.ends_on)
      .map((m) => m.person_id);
    return [...own, ...represented];
  }

  /** The admins of a département manage its integration tokens, and nobody else does. */
  managesTokensOf(who: Who, tenantId: string): boolean {
    const a = who.account;
    return a?.kind === 'staff' && a.role === 'admin' && a.tenant_id === tenantId;
  }

  /** A token is approved by an admin of its département other than the one who created it. */
  mayApproveToken(who: Who, token: World['apiTokens'][number]): boolean {
    return this.managesTokensOf(who, token.tenant_id) && who.account?.id !== token.created_by;
  }

  /** An instruction is followed by its orderer and the DPO of its département. */
  mayReadInstruction(who: Who, i: World['exportInstructions'][number]): boolean {
    const a = who.account;
    if (a?.kind !== 'staff' || a.tenant_id !== i.tenant_id) return false;
    return (
      a.role === 'dpo' || (['responsable', 'admin'].includes(a.role!) && a.id === i.ordered_by)
    );
  }

  /** The DPO of its département approves or refuses it, never its orderer. */
  mayDecideInstruction(who: Who, i: World['exportInstructions'][number]): boolean {
    const a = who.account;
    return (
      a?.kind === 'staff' &&
      a.role === 'dpo' &&
      a.tenant_id === i.tenant_id &&
      a.id !== i.ordered_by
    );
  }

  /** Decoys are reached by id like any case, and found by no listing or search. */
  isDecoyCase(caseId: string): boolean {
    return this.world.decoys.some((d) => d.case_id === caseId);
  }

  isDecoyPerson(personId: string): boolean {
    return this.world.decoys.some((d) => d.person_id === personId);
  }

  staffOf(tenantId: string | null): WorldAccount[] {
    return this.world.accounts.filter((a) => a.kind === 'staff' && a.tenant_id === tenantId);
  }

  /**
   * Reviewing a piece: a medical one only by the évaluateur médical of its case, any other by
   * the accueil, the instructeur and the responsable who reach the case.
   */
  mayReviewDocument(who: Who, documentId: string): boolean {
    const d = this.world.documents.find((x) => x.id === documentId);
    const c = d && this.world.cases.find((x) => x.id === d.case_id);
    if (!d || !c || !this.mayOnCase(who, c, 'documents')) return false;
    const relation = this.relation(who, c);
    if (d.category === 'medical') return relation === 'evaluateur';
    return relation === 'accueil' || relation === 'instructeur' || relation === 'responsable';
  }

  /** The representative of a mandate: the one usager who uploads its proof. */
  isRepresentative(who: Who, mandateId: string): boolean {
    const m = this.world.mandates.find((x) => x.id === mandateId);
    return !!m && who.account?.kind === 'usager' && who.account.id === m.representative_account_id;
  }

  /** The proof of a mandate is read by its representative and by those who verify mandates. */
  mayReadMandateProof(who: Who, mandateId: string): boolean {
    return this.isRepresentative(who, mandateId) || this.mayVerifyMandate(who, mandateId);
  }
}

/**
 * Every value of a case and what hangs off it that could identify the person or reveal content.
 * Short or shared words (statuses, categories) are left out: they prove nothing.
 */
export function caseSecrets(world: World, c: WorldCase): string[] {
  const person = world.persons.find((p) => p.id === c.person_id);
  return [
    c.id,
    c.reference,
    c.summary ?? '',
    person?.id ?? '',
    person?.first_name ?? '',
    person?.last_name ?? '',
    person?.birth_date ?? '',
    person?.address ?? '',
    ...world.documents
      .filter((d) => d.case_id === c.id)
      .flatMap((d) => [d.id, d.original_name, d.sha256]),
    ...world.messages.filter((m) => m.case_id === c.id).flatMap((m) => [m.id, m.body]),
    ...world.notes.filter((n) => n.case_id === c.id).flatMap((n) => [n.id, n.body]),
    ...world.caseRights.filter((r) => r.case_id === c.id).map((r) => r.decision_reason ?? ''),
  ].filter((s) => s.length >= 6);
}

export function documentSecrets(world: World, documentId: string): string[] {
  const d = world.documents.find((x) => x.id === documentId);
  return d ? [d.id, d.original_name, d.sha256, `Cloison demo: ${d.original_name}`] : [];
}
