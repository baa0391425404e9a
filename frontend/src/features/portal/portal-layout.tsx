import type { ComponentChildren } from 'preact';
import { IconLock } from '../../components/ui/icons';

/**
 * The client portal's own frame: lighter than the admin portal, centred.
 * The business's logo and name come with the portal issue (with the
 * signed-in header and the navigation); until then no empty box stands
 * in for them.
 */
export function PortalLayout({ children }: { children: ComponentChildren }) {
  return (
    <div class="portal">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="portal__header">
        <span class="portal__brand">
          <IconLock size={18} class="portal__icon" />
          <span>Client portal</span>
        </span>
      </header>
      <main class="portal__main" id="main" tabIndex={-1}>
        {children}
      </main>
      <footer class="portal__footer">Powered by clientd</footer>
    </div>
  );
}
