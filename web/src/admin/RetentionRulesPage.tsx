import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { changeRetentionRule, tenantRetention, type Schedule } from '../api/retention';
import { Page } from '../app/Page';
import { duration, whatHappens } from '../app/RetentionPage';
import { fieldState } from '../ui/field-error';
import { Loading } from '../ui/Loading';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useApi } from '../ui/useApi';

type Rule = Schedule['rules'][number];

/** One rule the DPO may change: both durations within their bounds, and why. */
function RuleForm({ rule, onSaved }: { rule: Rule; onSaved: (s: Schedule) => void }) {
  const [activeDays, setActiveDays] = useState(String(rule.activeDays));
  const [archiveDays, setArchiveDays] = useState(String(rule.archiveDays));
  const [reason, setReason] = useState('');
  const { busy, error, status, run } = useAction();
  const bounds = rule.bounds!;
  const archived = bounds.archive[1] > 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      onSaved(
        await changeRetentionRule(rule.kind, {
          activeDays: Number(activeDays),
          archiveDays: Number(archiveDays),
          reason,
        }),
      );
      setReason('');
      return 'Durées enregistrées ; la page publique les montre déjà.';
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`regle-${rule.kind}`}>
      <h3 id={`regle-${rule.kind}`} className={fr.cx('fr-h6', 'fr-mt-4w')}>
        {rule.covers}
      </h3>
      <p className={fr.cx('fr-text--sm')}>
        {whatHappens(rule)}{' '}
        {rule.setBy === 'dpo' ? 'Durées fixées par le DPO.' : 'Durées par défaut.'}
      </p>
      <ProblemAlert error={error} />
      <Input
        label="Jours en base active"
        hintText={`Entre ${bounds.active[0]} et ${bounds.active[1]} jours (${duration(bounds.active[0])} à ${duration(bounds.active[1])})`}
        {...fieldState(error, 'activeDays')}
        nativeInputProps={{
          inputMode: 'numeric',
          value: activeDays,
          onChange: (e) => setActiveDays(e.target.value.trim()),
        }}
      />
      {archived && (
        <Input
          label="Jours d’archivage ensuite"
          hintText={`Entre ${bounds.archive[0]} et ${bounds.archive[1]} jours`}
          {...fieldState(error, 'archiveDays')}
          nativeInputProps={{
            inputMode: 'numeric',
            value: archiveDays,
            onChange: (e) => setArchiveDays(e.target.value.trim()),
          }}
        />
      )}
      <Input
        label="Motif du changement"
        hintText="Inscrit au journal d’audit avec les durées remplacées"
        {...fieldState(error, 'reason')}
        nativeInputProps={{ value: reason, onChange: (e) => setReason(e.target.value) }}
      />
      <Button type="submit" disabled={busy}>
        Enregistrer
      </Button>
      <p role="status" className={fr.cx('fr-mt-1w')}>
        {status}
      </p>
    </form>
  );
}

/** The DPO's durations of their département, within the bounds of each rule. */
export function RetentionRulesPage() {
  const schedule = useApi(tenantRetention);
  return (
    <Page
      title="Durées de conservation"
      crumbs={[{ label: 'Administration', to: '/administration' }]}
    >
      <p>
        Ce que la MDPH garde et combien de temps, tel que le public le lit sur la page{' '}
        {schedule.data && (
          <Link
            className={fr.cx('fr-link')}
            to={`/conservation-des-donnees/${schedule.data.tenant.code}`}
          >
            conservation des données
          </Link>
        )}
        . Les durées fixées pour toute la plateforme (journal d’audit, sauvegardes, exports) ne se
        changent pas ici.
      </p>
      <ProblemAlert error={schedule.error} />
      {!schedule.data && !schedule.error && <Loading />}
      {schedule.data?.rules
        .filter((r) => r.bounds !== null)
        .map((rule) => (
          <RuleForm
            key={`${rule.kind}-${rule.changedAt ?? ''}`}
            rule={rule}
            onSaved={schedule.setData}
          />
        ))}
    </Page>
  );
}
