import { fr } from '@codegouvfr/react-dsfr';
import { ToggleSwitch } from '@codegouvfr/react-dsfr/ToggleSwitch';
import { getConsultationSetting, setConsultationSetting } from '../api/audit';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { useApi } from '../ui/useApi';

/** Whether usagers read the names of the agents in "qui a consulté mon dossier" (role and service always). */
export function ConsultationSetting() {
  const setting = useApi(getConsultationSetting);
  const { busy, error, status, run } = useAction();

  function change(showNames: boolean) {
    void run(async () => {
      setting.setData(await setConsultationSetting({ showNames }));
      return showNames
        ? 'Les usagers voient désormais le nom des agents qui ont consulté leur dossier.'
        : 'Les usagers ne voient plus que le rôle et le service des agents.';
    });
  }

  return (
    <section aria-labelledby="cloison-consultations" className={fr.cx('fr-mt-6w')}>
      <h2 id="cloison-consultations">Consultations visibles par les usagers</h2>
      <ProblemAlert error={setting.error ?? error} />
      {setting.data && (
        <ToggleSwitch
          label="Montrer aux usagers le nom des agents qui ont consulté leur dossier"
          helperText="Le rôle, le service et la finalité de chaque consultation sont toujours montrés."
          checked={setting.data.showNames}
          disabled={busy}
          onChange={(checked) => void change(checked)}
        />
      )}
      <p role="status" className={fr.cx('fr-mt-1w')}>
        {status}
      </p>
    </section>
  );
}
