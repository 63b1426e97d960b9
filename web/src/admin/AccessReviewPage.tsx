import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import {
  decideReviewItem,
  listReviewItems,
  openReview,
  type ReviewDecision,
  type ReviewItem,
} from '../api/access-reviews';
import { Page } from '../app/Page';
import { useMe } from '../session/session';
import { fieldState } from '../ui/field-error';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { dayFromToday, formatDate, roleLabel } from '../ui/labels';
import { useApi } from '../ui/useApi';
import { labelOf, REVIEW_STATUS_LABEL } from './labels';
import './admin.css';

/** Periodic access review: who still needs their role? Each reviewer decides their items. */
export function AccessReviewPage() {
  const me = useMe();
  const mayOpen = me.role === 'admin' || me.role === 'dpo';
  const items = useApi(listReviewItems);
  const [deadline, setDeadline] = useState(() => dayFromToday(30));
  const action = useAction();
  const { busy, error, status } = action;

  function run(work: () => Promise<string>) {
    void action.run(async () => {
      const message = await work();
      await items.reload();
      return message;
    });
  }

  function open(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const opened = await openReview(new Date(`${deadline}T23:59:59`).toISOString());
      return `Campagne ouverte : ${opened.items} rôles à revoir${
        opened.unassigned ? `, dont ${opened.unassigned} sans relecteur (ils échoiront)` : ''
      }.`;
    });
  }

  function decide(item: ReviewItem, decision: ReviewDecision) {
    void run(async () => {
      await decideReviewItem(item.id, decision);
      return decision === 'confirm'
        ? `Rôle de ${item.displayName} maintenu.`
        : `Rôle de ${item.displayName} retiré.`;
    });
  }

  return (
    <Page title="Revue des accès">
      <div role="status">{status && <Alert severity="success" small description={status} />}</div>
      <ProblemAlert error={error} />
      <h2>Mes décisions</h2>
      <ProblemAlert error={items.error} />
      {items.loading && !items.data && <Loading />}
      {items.data && items.data.length === 0 && <p>Aucun rôle à revoir pour vous.</p>}
      {items.data && items.data.length > 0 && (
        <Table
          caption="Rôles dont vous êtes le relecteur"
          headers={['Agent', 'Rôle', 'Équipe', 'Échéance', 'État', 'Décision']}
          data={items.data.map((item) => [
            item.displayName,
            roleLabel(item.role),
            item.team ?? '—',
            formatDate(item.deadline),
            <Badge key="s" small noIcon>
              {labelOf(REVIEW_STATUS_LABEL, item.status)}
            </Badge>,
            item.status === 'pending' ? (
              <div key="d" className="cloison-admin-actions">
                <Button size="small" disabled={busy} onClick={() => decide(item, 'confirm')}>
                  Maintenir le rôle de {item.displayName}
                </Button>
                <Button
                  size="small"
                  priority="secondary"
                  disabled={busy}
                  onClick={() => decide(item, 'revoke')}
                >
                  Retirer le rôle de {item.displayName}
                </Button>
              </div>
            ) : (
              '—'
            ),
          ])}
        />
      )}
      {mayOpen && (
        <form onSubmit={open} noValidate className={fr.cx('fr-mt-4w')}>
          <h2>Ouvrir une campagne</h2>
          <p>
            Chaque rôle du département est confié à un relecteur (le responsable de l’agent ou un
            administrateur). Un rôle non revu à l’échéance cesse de fonctionner.
          </p>
          <Input
            label="Échéance de la campagne"
            {...fieldState(error, 'deadline')}
            nativeInputProps={{
              type: 'date',
              name: 'deadline',
              required: true,
              value: deadline,
              onChange: (e) => setDeadline(e.target.value),
            }}
          />
          <Button type="submit" disabled={busy || !deadline}>
            Ouvrir la campagne de revue
          </Button>
        </form>
      )}
    </Page>
  );
}
