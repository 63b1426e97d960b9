import { fr } from '@codegouvfr/react-dsfr';
import type { Me } from '../api/auth';
import type { CaseDetail } from '../api/cases';
import { documentContentUrl, listDocuments } from '../api/documents';
import { DOCUMENT_CATEGORIES } from '../api/vocabulary';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';
import { CATEGORY_LABEL, PIECE_LABEL, formatBytes, formatDateTime } from '../ui/labels';
import { UploadForm } from './UploadForm';
import { PieceReview } from './PieceReview';

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
  const docs = useApi(() => listDocuments(c.id), [c.id]);
  // Wording only: the API decides which documents leave (medical ones to the évaluateur).
  const medicalCleared = me.role === 'evaluateur';
  const items = docs.data ?? [];
  // Wording only, as above: the API refuses a review the policy does not allow.
  const mayReview = (category: string) =>
    c.abilities.includes('document.review') &&
    (category === 'medical' ? me.role === 'evaluateur' : me.role !== 'evaluateur');
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
                <a href={documentContentUrl(d.id)} download={d.originalName}>
                  Télécharger {d.originalName}
                </a>{' '}
                <span className={fr.cx('fr-text--sm')}>
                  ({d.piece ? `${PIECE_LABEL[d.piece]}, ` : ''}
                  {formatBytes(d.sizeBytes)}, déposé le {formatDateTime(d.createdAt)})
                </span>
                <PieceReview
                  document={d}
                  mayReview={mayReview(d.category)}
                  onReviewed={() => {
                    void docs.reload();
                    onChanged();
                  }}
                />
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
          documents={items}
          onUploaded={() => {
            void docs.reload();
            onChanged();
          }}
        />
      )}
    </section>
  );
}
