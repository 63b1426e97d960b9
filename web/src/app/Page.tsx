import { useEffect, useRef, type ReactNode } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';

let firstPageShown = false;

export interface Crumb {
  label: string;
  to: string;
}

/**
 * Every page: a unique <title> (RGAA 8.6), one <h1> that receives focus when the page changes
 * (a screen reader announces the new page, RGAA 12.x), an optional breadcrumb.
 */
export function Page({
  title,
  crumbs,
  lead,
  children,
  wide = false,
}: {
  title: string;
  crumbs?: Crumb[];
  lead?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — Cloison`;
    // On the first page the browser starts at the top (skip links first, RGAA 12.7); after an
    // in-app navigation, focus goes to the new h1 so a screen reader announces the page.
    if (firstPageShown) heading.current?.focus({ preventScroll: false });
    firstPageShown = true;
  }, [title]);
  return (
    <div className={fr.cx('fr-container', 'fr-py-4w')}>
      {crumbs && crumbs.length > 0 && (
        <Breadcrumb
          currentPageLabel={title}
          segments={crumbs.map((c) => ({ label: c.label, linkProps: { to: c.to } }))}
        />
      )}
      <div className={wide ? undefined : fr.cx('fr-grid-row')}>
        <div className={wide ? undefined : fr.cx('fr-col-12')}>
          <h1 ref={heading} tabIndex={-1} className="cloison-page-title">
            {title}
          </h1>
          {lead && <p className={fr.cx('fr-text--lead')}>{lead}</p>}
          {children}
        </div>
      </div>
    </div>
  );
}
