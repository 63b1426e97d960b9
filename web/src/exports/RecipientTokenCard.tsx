import { useState, type FormEvent } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { ApiProblem } from '../api/client';
import {
  mintRecipientToken,
  type ExportInstruction,
  type MintedRecipientToken,
} from '../api/exports';
import { fieldState } from '../ui/field-error';
import { formatDateTime } from '../ui/labels';
import { ProblemAlert } from '../ui/ProblemAlert';
import { useAction } from '../ui/useAction';
import { TokenShownOnce } from './TokenShownOnce';

/** The instructions whose recipient may be given a token: approved by the DPO, not expired. */
const MINTABLE: ReadonlySet<string> = new Set(['approved', 'running', 'ready']);

export const mayMintToken = (i: ExportInstruction, now = Date.now()) =>
  MINTABLE.has(i.status) && Date.parse(i.expiresAt) > now;

/** The ranges typed one a line: blank lines and spaces around them do not count. */
const rangesOf = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

/**
 * The API's refusal of one range, which it names by index (`allowedRanges[2]`), said with the
 * line as typed; undefined for any other answer.
 */
function rangeRefusal(error: unknown, ranges: readonly string[]): string | undefined {
  if (
    !(error instanceof ApiProblem) ||
    !error.type.endsWith(':validation') ||
    error.fieldErrors.length > 0 ||
    !error.detail?.includes('allowedRanges[')
  ) {
    return undefined;
  }
  return error.detail.replace(/allowedRanges\[(\d+)\]/, (_, n: string) => {
    const line = Number(n);
    return `La ligne ${line + 1} (« ${ranges[line] ?? ''} »)`;
  });
}

/**
 * The orderer hands the recipient's system a token for one approved instruction: it downloads
 * this export's encrypted file and, for a migration, posts the acknowledgement; nothing else,
 * and it expires with the instruction. A new one revokes the live one, which is how a lost
 * token (shown once) is replaced. The secret lives in this component's state only.
 */
export function RecipientTokenCard({ instruction: i }: { instruction: ExportInstruction }) {
  const [text, setText] = useState('');
  const [minted, setMinted] = useState<MintedRecipientToken | null>(null);
  const [mintedOnce, setMintedOnce] = useState(false);
  /** The ranges last sent: a refusal names a line of those, whatever was typed since. */
  const [sent, setSent] = useState<string[]>([]);
  const { busy, error, run } = useAction();
  const who = i.recipient.name;
  const heading = `token-${i.id}`;
  const migration = i.kind === 'migration';
  const ranges = rangesOf(text);
  // Said on the field and in the alert in the same words, never as the API's field name.
  const refusal = rangeRefusal(error, sent);

  function submit(event: FormEvent) {
    event.preventDefault();
    // The token on screen stays until the new one replaces it: a refused mint revokes nothing.
    setSent(ranges);
    void run(async () => {
      const created = await mintRecipientToken(
        i.id,
        ranges.length > 0 ? { allowedRanges: ranges } : {},
      );
      setMinted(created);
      setMintedOnce(true);
    });
  }

  return (
    <section className="cloison-export-card" aria-labelledby={heading}>
      <h3 id={heading}>Jeton pour {who}</h3>
      <p>
        Ce jeton permet au système informatique de {who} de télécharger ce seul export, chiffré pour
        lui
        {migration ? ', et d’envoyer l’accusé de réception de la migration' : ''}. Il ne donne accès
        à rien d’autre et expire avec l’instruction, le {formatDateTime(i.expiresAt)}.
      </p>
      <p className={fr.cx('fr-text--sm')}>
        {i.purpose} — référence de l’instruction : <code>{i.id.slice(0, 8)}</code>
      </p>
      <form onSubmit={submit} noValidate>
        <Input
          label={`Plages d’adresses autorisées pour ${who} (facultatif)`}
          hintText="Une adresse IP ou une plage CIDR par ligne (ex. 192.0.2.0/24), 16 au plus : le jeton ne fonctionnera que depuis ces adresses. Laissé vide, il fonctionne depuis toute adresse."
          textArea
          {...(refusal
            ? { state: 'error' as const, stateRelatedMessage: refusal }
            : fieldState(error, 'allowedRanges'))}
          nativeTextAreaProps={{
            name: `allowedRanges-${i.id}`,
            rows: 3,
            spellCheck: false,
            autoComplete: 'off',
            value: text,
            onChange: (e) => setText(e.target.value),
          }}
        />
        <p className={fr.cx('fr-text--sm')}>
          {mintedOnce
            ? 'Un nouveau jeton remplace celui affiché ci-dessous : ce dernier cessera aussitôt de fonctionner.'
            : 'Si un jeton a déjà été créé pour cette instruction, le nouveau le remplace : le précédent cesse aussitôt de fonctionner.'}
        </p>
        <ProblemAlert
          error={refusal ? new Error(refusal) : error}
          title="Le jeton n’est pas créé"
        />
        <Button type="submit" disabled={busy}>
          {mintedOnce ? 'Remplacer le jeton' : 'Créer le jeton'}
          <span className={fr.cx('fr-sr-only')}> pour {who}</span>
        </Button>
      </form>
      {minted && <TokenShownOnce key={minted.id} instruction={i} token={minted} />}
    </section>
  );
}
