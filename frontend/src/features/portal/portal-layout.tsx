import type { ComponentChildren } from 'preact';

/**
 * The client portal's own frame: lighter than the admin portal, centred,
 * with the business's name where its logo will go. The portal issue adds
 * the signed-in header (contact, client) and the navigation.
 */
export function PortalLayout({ children }: { children: ComponentChildren }) {
  return (
    <div class="portal">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="portal__header">
        <span class="portal__brand">
          <span class="portal__mark" aria-hidden="true" />
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
