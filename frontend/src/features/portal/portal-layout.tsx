import type { ComponentChildren } from 'preact';
import type { PortalMe } from '../../api/portal';

interface Props {
  children: ComponentChildren;
  /** the portal's company name, when known */
  company?: string | undefined;
  me?: PortalMe | null | undefined;
  slug?: string | undefined;
  path?: string;
  onSignOut?: () => void;
}

/**
 * The client portal's frame: the business's name, and once signed in the
 * navigation, the client and Sign out; a banner while staff are inside the
 * portal as the contact.
 */
export function PortalLayout({ children, company, me, slug, path, onSignOut }: Props) {
  const link = (to: string, label: string) => {
    const href = `/portal/${slug}${to}`;
    const here = path === href;
    return (
      <a href={href} class={here ? 'portal-nav__link portal-nav__link--on' : 'portal-nav__link'} aria-current={here ? 'page' : undefined}>
        {label}
      </a>
    );
  };
  return (
    <div class="portal">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      {me?.impersonated_by ? (
        <div class="portal-banner" role="status">
          Staff view: {me.impersonated_by.name} is in the portal as {[me.contact.first_name, me.contact.last_name].join(' ').trim() || me.contact.email}. Changes are recorded under both names.
        </div>
      ) : null}
      <header class="portal__header">
        <span class="portal__brand">
          <span>{company ?? me?.company.name ?? 'Client portal'}</span>
        </span>
        {me && slug ? (
          <nav class="portal-nav" aria-label="Portal">
            {link('', 'Overview')}
            {link('/documents', 'Documents')}
            {link('/profile', 'Details')}
            <button type="button" class="portal-nav__link portal-nav__signout" onClick={onSignOut}>
              Sign out
            </button>
          </nav>
        ) : null}
      </header>
      <main class="portal__main" id="main" tabIndex={-1}>
        {children}
      </main>
      <footer class="portal__footer">Powered by clientd</footer>
    </div>
  );
}
