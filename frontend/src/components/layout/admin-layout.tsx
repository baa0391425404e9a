import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Me } from '../../api/types';
import { initials } from '../../lib/format';
import { Button } from '../ui/button';
import { IconChevronDown, IconFolder, IconLogOut, IconMail, IconMenu, IconPlug, IconSettings, IconUser, IconUsers, IconX } from '../ui/icons';
import { Menu } from '../ui/menu';
import { Logo } from './logo';

interface NavItem {
  href: string;
  label: string;
  icon: ComponentChildren;
  /** paths under this one count as "here" */
  match: string;
}

const NAV: NavItem[] = [
  { href: '/clients', label: 'Clients', icon: <IconUsers size={18} />, match: '/clients' },
  { href: '/groups', label: 'Groups', icon: <IconFolder size={18} />, match: '/groups' },
  { href: '/integrations/tokens', label: 'Integrations', icon: <IconPlug size={18} />, match: '/integrations' },
  { href: '/email', label: 'Email', icon: <IconMail size={18} />, match: '/email' },
  { href: '/settings', label: 'Settings', icon: <IconSettings size={18} />, match: '/settings' },
];

interface AdminLayoutProps {
  me: Me;
  path: string;
  onLogout: () => void;
  /** the account menu's "Profile" */
  onProfile: () => void;
  children: ComponentChildren;
}

function Nav({ path, onNavigate }: { path: string; onNavigate?: () => void }) {
  return (
    <nav class="nav" aria-label="Main">
      <ul>
        {NAV.map((n) => {
          const here = path === n.match || path.startsWith(`${n.match}/`);
          return (
            <li key={n.href}>
              <a href={n.href} class={here ? 'nav__link nav__link--on' : 'nav__link'} aria-current={here ? 'page' : undefined} onClick={onNavigate}>
                {n.icon}
                <span>{n.label}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/**
 * The admin portal's frame: a sidebar with the sections at desktop width,
 * a top bar with a drawer at phone width, and the signed-in user and
 * company in the top bar with the sign-out action.
 */
export function AdminLayout({ me, path, onLogout, onProfile, children }: AdminLayoutProps) {
  const [drawer, setDrawer] = useState(false);
  const drawerRef = useRef<HTMLDialogElement>(null);
  const who = me.user.name || me.user.email;

  useEffect(() => {
    const d = drawerRef.current;
    if (!d) return;
    if (drawer && !d.open) {
      d.showModal?.();
      d.querySelector<HTMLElement>('.nav__link')?.focus();
    } else if (!drawer && d.open) d.close?.();
  }, [drawer]);

  useEffect(() => {
    const d = drawerRef.current;
    if (!d) return;
    const onClose = () => setDrawer(false);
    const onClick = (e: MouseEvent) => {
      if (e.target === d) setDrawer(false);
    };
    d.addEventListener('close', onClose);
    d.addEventListener('click', onClick);
    return () => {
      d.removeEventListener('close', onClose);
      d.removeEventListener('click', onClick);
    };
  }, []);

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <aside class="sidebar" aria-label="Sections">
        <a href="/clients" class="sidebar__brand" aria-label="clientd home">
          <Logo inverse />
        </a>
        <Nav path={path} />
        <div class="sidebar__foot">
          <span class="sidebar__company-label">Company</span>
          <span class="sidebar__company">{me.company.name}</span>
        </div>
      </aside>

      <dialog ref={drawerRef} class="drawer" aria-label="Menu">
        <div class="drawer__panel">
          <div class="drawer__head">
            <Logo inverse />
            <Button variant="ghost" iconOnly icon={<IconX size={20} />} aria-label="Close menu" class="drawer__close" onClick={() => setDrawer(false)} />
          </div>
          <Nav path={path} onNavigate={() => setDrawer(false)} />
          <div class="sidebar__foot">
            <span class="sidebar__company-label">Company</span>
            <span class="sidebar__company">{me.company.name}</span>
          </div>
        </div>
      </dialog>

      <div class="shell__main">
        <header class="topbar">
          <Button variant="ghost" iconOnly icon={<IconMenu size={20} />} aria-label="Open menu" aria-expanded={drawer ? 'true' : 'false'} class="topbar__menu" onClick={() => setDrawer(true)} />
          <a href="/clients" class="topbar__brand" aria-label="clientd home">
            <Logo compact />
          </a>
          <div class="topbar__spacer" />
          <Menu
            label="Account"
            align="end"
            triggerClass="account"
            trigger={
              <>
                <span class="account__avatar" aria-hidden="true">
                  {initials(who)}
                </span>
                <span class="account__text">
                  <span class="account__name" data-testid="account-name">{who}</span>
                  <span class="account__company" data-testid="account-company">{me.company.name}</span>
                </span>
                <IconChevronDown size={16} class="account__chevron" />
              </>
            }
            items={[
              { id: 'profile', label: 'Profile', icon: <IconUser size={16} />, onSelect: onProfile },
              { id: 'logout', label: 'Sign out', icon: <IconLogOut size={16} />, onSelect: onLogout, separator: true },
            ]}
          />
        </header>
        <main class="content" id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
