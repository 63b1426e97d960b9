import { useEffect, useRef, useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import {
  acknowledgementPath,
  exportContentPath,
  type ExportInstruction,
  type MintedRecipientToken,
} from '../api/exports';
import { formatDateTime } from '../ui/labels';

/**
 * A recipient's token just minted: the secret, once (the server keeps only its hash), a way to
 * copy it, and how the recipient's system uses it. Focus comes here, so that a keyboard or
 * screen reader user lands on what they must copy before leaving the page.
 */
export function TokenShownOnce({
  instruction: i,
  token: t,
}: {
  instruction: ExportInstruction;
  token: MintedRecipientToken;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => heading.current?.focus(), []);
  const origin = window.location.origin;
  const content = `${origin}${exportContentPath(i.id)}`;
  const id = `token-value-${i.id}`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(t.token);
      setCopied('Jeton copié dans le presse-papiers.');
    } catch {
      setCopied('La copie n’a pas abouti : sélectionnez le jeton et copiez-le vous-même.');
    }
  }

  return (
    <div className={fr.cx('fr-mt-3w')}>
      <h4 ref={heading} tabIndex={-1}>
        Jeton créé pour {i.recipient.name}
      </h4>
      <Alert
        severity="warning"
        small={false}
        as="h5"
        title="Copiez ce jeton maintenant"
        description="Il ne sera plus affiché : Cloison n’en garde qu’une empreinte. Transmettez-le au destinataire par un canal sûr ; s’il est perdu, créez-en un nouveau, qui remplacera celui-ci."
      />
      <p className={fr.cx('fr-mt-2w', 'fr-mb-1w')}>
        Jeton (valable jusqu’au {formatDateTime(t.expiresAt)}
        {t.allowedRanges ? `, depuis ${t.allowedRanges.join(', ')} seulement` : ''}) :
      </p>
      <p>
        <code id={id} className="cloison-export-token">
          {t.token}
        </code>
      </p>
      <Button
        type="button"
        priority="secondary"
        size="small"
        iconId="fr-icon-clipboard-line"
        onClick={() => void copy()}
      >
        Copier le jeton
      </Button>
      <div role="status" className={fr.cx('fr-text--sm', 'fr-mt-1w')}>
        {copied}
      </div>
      <p className={fr.cx('fr-mt-2w')}>
        Le système du destinataire l’envoie dans l’en-tête de chaque requête :{' '}
        <code>Authorization: Bearer &lt;jeton&gt;</code>.
      </p>
      <ul>
        <li>
          Télécharger le fichier chiffré, une fois l’export prêt :{' '}
          <code className="cloison-admin-code">GET {content}</code>
        </li>
        {i.kind === 'migration' && (
          <li>
            Envoyer l’accusé de réception, après avoir déchiffré et vérifié l’archive :{' '}
            <code className="cloison-admin-code">
              POST {origin}
              {acknowledgementPath(i.id)}
            </code>{' '}
            avec le corps JSON <code>{'{"manifestSha256": "…", "receipt": "…"}'}</code> (l’empreinte
            SHA-256 du fichier MANIFEST.json et son champ « receipt »).
          </li>
        )}
      </ul>
      <p className={fr.cx('fr-text--sm')}>
        Par exemple :{' '}
        <code className="cloison-admin-code">
          curl -fsS -H &quot;Authorization: Bearer $JETON&quot; -o export.tar.age {content}
        </code>
      </p>
    </div>
  );
}
