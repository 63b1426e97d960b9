import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { publicRetention, type Schedule } from '../api/retention';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useApi } from '../ui/useApi';
import { Page } from './Page';

/** A duration in the words a reader uses: years, months or days. */
export function duration(days: number): string {
  if (days % 365 === 0) return days === 365 ? '1 an' : `${days / 365} ans`;
  if (days % 30 === 0) return `${days / 30} mois`;
  return days === 1 ? '1 jour' : `${days} jours`;
}

type Rule = Schedule['rules'][number];

/** What happens to one kind of data, in one sentence. */
export function whatHappens(rule: Rule): string {
  if (!rule.kept) return 'Aucune sauvegarde n’est programmée sur cette plateforme.';
  const active = `Conservées ${duration(rule.activeDays)} à compter de ${rule.startsFrom}`;
  const then =
    rule.archiveDays > 0
      ? `${active}, puis archivées ${duration(rule.archiveDays)} (hors de toute recherche, consultables seulement pour les motifs ci-dessous), puis supprimées.`
      : `${active}, puis supprimées.`;
  return rule.enforced
    ? then
    : `${then} La suppression automatique est en cours de mise en place : d’ici là, elle se fait sur demande.`;
}

function RetentionTable({ schedule }: { schedule: Schedule }) {
  return (
    <>
      <div className={fr.cx('fr-table')}>
        <table>
          <caption>Durées de conservation de la MDPH {schedule.tenant.code}</caption>
          <thead>
            <tr>
              <th scope="col">Données</th>
              <th scope="col">Durée</th>
              <th scope="col">Pourquoi</th>
            </tr>
          </thead>
          <tbody>
            {schedule.rules.map((rule) => (
              <tr key={rule.kind}>
                <th scope="row">{rule.covers}</th>
                <td>{whatHappens(rule)}</td>
                <td>
                  {rule.legalBasis}.{' '}
                  <span className={fr.cx('fr-text--xs')}>
                    Source : {rule.source}
                    {rule.setBy === 'dpo' ? ' ; durée fixée par le DPO de la MDPH.' : '.'}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 className={fr.cx('fr-h4')}>Demander l’effacement de vos données</h2>
      <p>{schedule.erasure}</p>
    </>
  );
}

function ScheduleOf({ code }: { code: string }) {
  const schedule = useApi(() => publicRetention(code), [code]);
  if (schedule.error) return <ProblemAlert error={schedule.error} />;
  if (!schedule.data) return <Loading />;
  return <RetentionTable schedule={schedule.data} />;
}

/**
 * How long each kind of data is kept, for anyone and without an account: the live schedule of
 * a département, as its DPO set it.
 */
export function RetentionPage() {
  const { code } = useParams();
  const navigate = useNavigate();
  const [typed, setTyped] = useState(code ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed) void navigate(`/conservation-des-donnees/${encodeURIComponent(typed)}`);
  };
  return (
    <Page
      title={code ? `Conservation des données : MDPH ${code}` : 'Conservation des données'}
      crumbs={[
        { label: 'Accueil', to: '/' },
        { label: 'Données personnelles', to: '/donnees-personnelles' },
      ]}
    >
      <p>
        Ce que la MDPH garde, pourquoi, combien de temps et à partir de quand, et ce qui se passe au
        terme de chaque durée.
      </p>
      <form onSubmit={submit} className={fr.cx('fr-mb-4w')}>
        <Input
          label="Numéro de votre département"
          hintText="Celui de la MDPH à laquelle vous vous adressez, par exemple 44"
          nativeInputProps={{
            name: 'tenant',
            inputMode: 'numeric',
            autoComplete: 'off',
            value: typed,
            onChange: (e) => setTyped(e.target.value.trim()),
          }}
        />
        <Button type="submit">Afficher les durées</Button>
      </form>
      {code && <ScheduleOf code={code} />}
      <p className={fr.cx('fr-mt-4w')}>
        <Link className={fr.cx('fr-link')} to="/donnees-personnelles">
          Vos données personnelles et vos droits
        </Link>
      </p>
    </Page>
  );
}
