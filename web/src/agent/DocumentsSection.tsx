import { fr } from '@codegouvfr/react-dsfr';
import { api } from '../api/client';
import { DOCUMENT_CATEGORIES, type CaseDetail, type DocumentView, type Me } from '../api/types';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';
import { CATEGORY_LABEL, PIECE_LABEL, formatBytes, formatDateTime } from '../ui/labels';
import { UploadForm } from './UploadForm';

/**
 * The case's documents grouped by category. The API leaves medical documents out for roles
 * without medical clearance; the page says so instead of showing an empty group.
 */
export function DocumentsSection({
  c,
  me,
  onChanged,
}: {
  c: CaseDetail;
  me: Me;
  onChanged: () => void;
}) {
  const docs = useApi(
    () => api.get<{ items: DocumentView[] }>(`/api/v1/cases/${c.id}/documents`),
    [c.id],
  );
  // Wording only: the API decides which documents leave (medical ones to the évaluateur).
  const medicalCleared = me.role === 'evaluateur';
  const items = docs.data?.items ?? [];
  const groups = DOCUMENT_CATEGORIES.map((category) => ({
    category,
    docs: items.filter((d) => d.category === category),
  })).filter((g) => g.docs.length > 0);

  return (
    <section aria-labelledby="documents-title" className={fr.cx('fr-mt-4w')}>
      <h2 id="documents-title" className={fr.cx('fr-h4')}>
        Pièces
      </h2>
      <ProblemAlert error={docs.error} />
      {docs.loading && !docs.data && <Loading label="Chargement des pièces…" />}
      {docs.data && groups.length === 0 && <p>Aucune pièce n’est encore au dossier.</p>}
      {groups.map((g) => (
        <div key={g.category}>
          <h3 className={fr.cx('fr-h6', 'fr-mb-1w')}>{CATEGORY_LABEL[g.category]}</h3>
          <ul>
            {g.docs.map((d) => (
              <li key={d.id}>
                <a href={`/api/v1/documents/${d.id}/content`} download={d.originalName}>
                  Télécharger {d.originalName}
                </a>{' '}
                <span className={fr.cx('fr-text--sm')}>
                  ({d.piece ? `${PIECE_LABEL[d.piece]}, ` : ''}
                  {formatBytes(d.sizeBytes)}, déposé le {formatDateTime(d.createdAt)})
                </span>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {!medicalCleared && (
        <p className={fr.cx('fr-text--sm')}>
          <span className={fr.cx('fr-icon-lock-line', 'fr-icon--sm')} aria-hidden="true" /> Pièces
          médicales : réservées à l’équipe médicale.
        </p>
      )}
      {c.abilities.includes('document.upload') && (
        <UploadForm
          caseId={c.id}
          onUploaded={() => {
            void docs.reload();
            onChanged();
          }}
        />
      )}
    </section>
  );
}
