import { forwardRef, type AnchorHTMLAttributes } from 'react';
import { Link, type LinkProps } from 'react-router';
import { setLink } from '@codegouvfr/react-dsfr/link';

type AppLinkProps =
  LinkProps | (AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; to?: undefined });

/** DSFR components take `linkProps`: `to` navigates inside the application, `href` leaves it. */
const AppLink = forwardRef<HTMLAnchorElement, AppLinkProps>(function AppLink(props, ref) {
  if ('to' in props && props.to !== undefined) return <Link ref={ref} {...(props as LinkProps)} />;
  const { children, ...rest } = props as AnchorHTMLAttributes<HTMLAnchorElement>;
  return (
    <a ref={ref} {...rest}>
      {children}
    </a>
  );
});

declare module '@codegouvfr/react-dsfr/link' {
  interface RegisterLink {
    Link: typeof AppLink;
  }
}

/**
 * Starts the design system's own script (menus, modals, accordions) the way react-dsfr's
 * startReactDsfr does, minus its colour-scheme logic: that one writes to localStorage and adds an
 * inline <style>, and Cloison keeps nothing in the browser and allows no inline style (CSP).
 * The page is light (index.html sets neither data-fr-theme nor data-fr-scheme: with either, its scheme script stores the choice in localStorage), which is what RGAA contrast was checked on.
 */
export async function startDsfr(): Promise<void> {
  setLink({ Link: AppLink as never });
  (window as unknown as { dsfr: unknown }).dsfr = { verbose: false, mode: 'react' };
  await import('@codegouvfr/react-dsfr/dsfr/dsfr.module.min.js' as string);
  (window as unknown as { dsfr: { start: () => void } }).dsfr.start();
}
