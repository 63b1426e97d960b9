import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { ApiProblem } from '../api/client';
import { createTenant } from '../api/tenants';
import { fieldError, fieldState } from '../ui/field-error';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';

interface AdminFields {
  displayName: string;
  email: string;
}

const NO_ADMIN: AdminFields = { displayName: '', email: '' };
const ADMIN_LEGENDS = ['Premier administrateur', 'Second administrateur'] as const;

/** The form's fields, as the API names them in a refusal. */
const FIELDS = [
  'code',
  'name',
  ...[0, 1].flatMap((i) => [`admins/${i}/displayName`, `admins/${i}/email`]),
];

/**
 * A refusal whose every reason is shown on its field (the API names them) is summed up here
 * rather than repeated; any other (already created, no mail, a reason on no field) is told whole.
 */
function RefusalAlert({ error }: { error: unknown }) {
  const reasons = error instanceof ApiProblem ? error.fieldErrors.length : 0;
  const onFields = FIELDS.filter((f) => fieldError(error, f) !== undefined).length;
  if (reasons === 0 || onFields < reasons) return <ProblemAlert error={error} />;
  return (
    <div role="alert" className={fr.cx('fr-my-2w')}>
      <Alert
        severity="error"
        small={false}
        title="Le département n’a pas été créé"
        description={
          onFields === 1
            ? 'Un champ est à corriger : son message est affiché sous lui.'
            : `${onFields} champs sont à corriger : chaque message est affiché sous son champ.`
        }
      />
    </div>
  );
}

/**
 * Creating a département with its first two administrators. Their activation links go by mail to
 * each of them, never to the operator, who would otherwise hold both admin accounts; so the API
 * refuses while no mail can leave.
 */
export function NewTenantForm({ onCreated }: { onCreated: () => void }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [admins, setAdmins] = useState<[AdminFields, AdminFields]>([NO_ADMIN, NO_ADMIN]);
  const { busy, error, status, run } = useAction();

  const setAdmin = (index: 0 | 1, change: Partial<AdminFields>) =>
    setAdmins((current) => {
      const next: [AdminFields, AdminFields] = [current[0], current[1]];
      next[index] = { ...current[index], ...change };
      return next;
    });

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const created = await createTenant({
        code: code.trim().toUpperCase(),
        name: name.trim(),
        admins: admins.map((a) => ({ displayName: a.displayName.trim(), email: a.email.trim() })),
      });
      setCode('');
      setName('');
      setAdmins([NO_ADMIN, NO_ADMIN]);
      onCreated();
      const to = created.admins.map((a) => a.email).join(' et ');
      return (
        `Le département ${created.code} (${created.name}) est créé. Chacun de ses deux ` +
        `administrateurs (${to}) a reçu par courriel son lien d’activation, valable 72 heures : ` +
        'il y choisit son mot de passe, puis sa vérification en deux étapes.'
      );
    });
  }

  return (
    <form onSubmit={submit} noValidate className={fr.cx('fr-mt-6w')}>
      <h2>Créer un département</h2>
      <p>
        Indiquez les deux premiers administrateurs de la MDPH : deux personnes distinctes, chacune
        avec son adresse professionnelle nominative. L’un demandera ensuite chaque création de
        compte, l’autre l’approuvera. Leurs liens d’activation leur sont envoyés par courriel ; ils
        ne vous sont jamais montrés.
      </p>
      <div role="status">{status && <Alert severity="success" small description={status} />}</div>
      <RefusalAlert error={error} />
      <Input
        label="Code du département"
        hintText="Code officiel : 01 à 95, 2A, 2B, 971 à 976"
        {...fieldState(error, 'code')}
        nativeInputProps={{
          name: 'code',
          autoComplete: 'off',
          required: true,
          maxLength: 3,
          value: code,
          onChange: (e) => setCode(e.target.value),
        }}
      />
      <Input
        label="Nom de la MDPH"
        hintText="Tel que le public le lira, par exemple : MDPH de Maine-et-Loire"
        {...fieldState(error, 'name')}
        nativeInputProps={{
          name: 'name',
          autoComplete: 'off',
          required: true,
          value: name,
          onChange: (e) => setName(e.target.value),
        }}
      />
      {([0, 1] as const).map((i) => (
        <fieldset key={i} className={fr.cx('fr-fieldset')}>
          <legend className={fr.cx('fr-fieldset__legend')}>{ADMIN_LEGENDS[i]}</legend>
          <div className={fr.cx('fr-fieldset__element')}>
            <Input
              label="Prénom et nom"
              hintText="Par exemple : Camille Durand"
              {...fieldState(error, `admins/${i}/displayName`)}
              nativeInputProps={{
                name: `admins.${i}.displayName`,
                autoComplete: 'off',
                required: true,
                value: admins[i].displayName,
                onChange: (e) => setAdmin(i, { displayName: e.target.value }),
              }}
            />
          </div>
          <div className={fr.cx('fr-fieldset__element')}>
            <Input
              label="Adresse électronique professionnelle et personnelle"
              hintText="Jamais une boîte partagée. Format attendu : prenom.nom@departement.fr"
              {...fieldState(error, `admins/${i}/email`)}
              nativeInputProps={{
                type: 'email',
                name: `admins.${i}.email`,
                autoComplete: 'off',
                required: true,
                value: admins[i].email,
                onChange: (e) => setAdmin(i, { email: e.target.value }),
              }}
            />
          </div>
        </fieldset>
      ))}
      <Button type="submit" disabled={busy}>
        Créer le département
      </Button>
    </form>
  );
}
