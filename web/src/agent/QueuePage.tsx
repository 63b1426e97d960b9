import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { listCases } from '../api/cases';
import { Page } from '../app/Page';
import { useMe } from '../session/session';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';
import { formatDate, formatDateTime } from '../ui/labels';
import { assigneeLines, deadlineText, instructionDeadlineText } from './format';
import { QueueFilters, filterFromSearch, filterToSearch, type QueueFilter } from './QueueFilters';
import { useStaff } from './useStaff';
import './agent.css';
import { StatusBadge } from '../ui/StatusBadge';

const PAGE_SIZE = 25;

/** The queue of cases the signed-in agent may see, filtered in the URL. */
export function QueuePage() {
  const me = useMe();
  const [search, setSearch] = useSearchParams();
  const filter = useMemo(() => filterFromSearch(search), [search]);
  const page = Math.max(1, Number.parseInt(search.get('page') ?? '1', 10) || 1);
  const staff = useStaff(me);
  const names = useMemo(() => new Map(staff.map((s) => [s.id, s.displayName])), [staff]);

  const cases = useApi(
    () =>
      listCases({
        status: filter.status || undefined,
        assignee: filter.assignee || undefined,
        team: filter.team.trim() || undefined,
        overdue: filter.overdue || undefined,
        sort: filter.sort,
        limit: PAGE_SIZE + 1,
        offset: (page - 1) * PAGE_SIZE,
      }),
    [filter, page],
  );
  const items = cases.data?.slice(0, PAGE_SIZE) ?? [];
  const hasNext = (cases.data?.length ?? 0) > PAGE_SIZE;

  const apply = (f: QueueFilter) => setSearch(filterToSearch(f));
  const pageLink = (n: number) =>
    `?${new URLSearchParams({ ...filterToSearch(filter), page: String(n) })}`;

  return (
    <Page title="Dossiers" wide>
      <QueueFilters value={filter} error={cases.error} onApply={apply} />
      <ProblemAlert error={cases.error} />
      {cases.loading && !cases.data ? (
        <Loading label="Chargement des dossiers…" />
      ) : (
        <>
          <p role="status" className={fr.cx('fr-text--sm')}>
            {items.length === 0
              ? 'Aucun dossier ne correspond à ces filtres.'
              : `${items.length} dossier${items.length > 1 ? 's' : ''} affiché${items.length > 1 ? 's' : ''}, page ${page}.`}
          </p>
          {items.length > 0 && (
            <Table
              caption="Dossiers de la file"
              bordered
              headers={[
                'Dossier',
                'Personne',
                'Statut',
                'Droits demandés',
                'Affectation',
                'Échéance des pièces',
                'Délai légal (4 mois)',
                'Dernière modification',
              ]}
              data={items.map((c) => [
                <Link
                  key="ref"
                  to={`/instruction/dossiers/${c.id}`}
                  aria-label={`Voir le dossier ${c.reference}`}
                  className="cloison-nowrap"
                >
                  {c.reference}
                </Link>,
                `${c.subject.firstName} ${c.subject.lastName}`,
                <StatusBadge key="status" status={c.status} />,
                c.rightCodes.join(', '),
                <ul key="who" className="cloison-lines">
                  {assigneeLines(c, me.id, names).map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>,
                c.status === 'attente_pieces'
                  ? deadlineText(c.piecesDeadline, c.deadlines.piecesOverdue)
                  : formatDate(c.piecesDeadline),
                instructionDeadlineText(c),
                formatDateTime(c.updatedAt),
              ])}
            />
          )}
          {(page > 1 || hasNext) && (
            <nav
              role="navigation"
              className={fr.cx('fr-pagination')}
              aria-label="Pagination des dossiers"
            >
              <ul className={fr.cx('fr-pagination__list')}>
                <li>
                  {page > 1 ? (
                    <Link
                      className={fr.cx(
                        'fr-pagination__link',
                        'fr-pagination__link--prev',
                        'fr-pagination__link--lg-label',
                      )}
                      to={pageLink(page - 1)}
                    >
                      Page précédente
                    </Link>
                  ) : null}
                </li>
                <li>
                  <span className={fr.cx('fr-pagination__link')} aria-current="page">
                    Page {page}
                  </span>
                </li>
                <li>
                  {hasNext ? (
                    <Link
                      className={fr.cx(
                        'fr-pagination__link',
                        'fr-pagination__link--next',
                        'fr-pagination__link--lg-label',
                      )}
                      to={pageLink(page + 1)}
                    >
                      Page suivante
                    </Link>
                  ) : null}
                </li>
              </ul>
            </nav>
          )}
        </>
      )}
    </Page>
  );
}
