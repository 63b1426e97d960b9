import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { exportContentPath, type ExportInstruction } from '../api/exports';
import { formatBytes } from '../ui/labels';
import { INSTRUCTION_STATUS, counted } from './labels';

/** An instruction's status as a badge with its words. */
export function InstructionBadge({ status }: { status: ExportInstruction['status'] }) {
  const s = INSTRUCTION_STATUS[status] ?? { label: status, severity: undefined };
  return (
    <Badge severity={s.severity} small noIcon>
      {s.label}
    </Badge>
  );
}

/** Where the run stands: progress, failure, the refusal's reason, or the file's hashes. */
export function RunDetails({ instruction: i }: { instruction: ExportInstruction }) {
  if (i.status === 'refused') return <>Motif du refus : {i.refusalReason ?? '—'}</>;
  const run = i.run;
  if (run === null) return <>—</>;
  if (run.failure) return <>Échec : {run.failure}</>;
  const p = run.progress;
  return (
    <>
      {p && i.status === 'running' && (
        <>
          {p.cases} dossier{p.cases > 1 ? 's' : ''} traité{p.cases > 1 ? 's' : ''} sur{' '}
          {i.counts.cases}, {counted(p.documents, 'pièce')}
        </>
      )}
      {p && i.status !== 'running' && (
        <>
          {counted(p.cases, 'dossier')}, {counted(p.persons, 'personne')},{' '}
          {counted(p.documents, 'pièce')}
          {run.bytes !== null && `, ${formatBytes(run.bytes)}`}
        </>
      )}
      {run.sha256 && (
        <span className={fr.cx('fr-text--xs')}>
          <br />
          SHA-256 du fichier : <code className="cloison-admin-code">{run.sha256}</code>
          {run.manifestSha256 && (
            <>
              <br />
              SHA-256 du manifeste :{' '}
              <code className="cloison-admin-code">{run.manifestSha256}</code>
            </>
          )}
        </span>
      )}
      {run.fileDeletedAt && (
        <>
          <br />
          Fichier supprimé du serveur.
        </>
      )}
    </>
  );
}

/**
 * The download of a ready export: a plain link to the API, so the session cookie says who
 * asks; the file is encrypted to the recipient and useless to anyone without their key.
 */
export function DownloadLink({ instruction: i }: { instruction: ExportInstruction }) {
  if (i.status !== 'ready' || !i.run || i.run.fileDeletedAt) return <>—</>;
  return (
    <a className={fr.cx('fr-link', 'fr-link--download')} href={exportContentPath(i.id)} download>
      Télécharger l’export pour {i.recipient.name}
      <span className="fr-link__detail">
        Archive TAR chiffrée (age){i.run.bytes !== null ? ` – ${formatBytes(i.run.bytes)}` : ''}
      </span>
    </a>
  );
}
