import './integrations.css';
import type { ComponentType } from 'preact';
import { useEffect } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ButtonLink } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { TabPanel, Tabs } from '../../components/ui/tabs';
import { TokensPage } from './tokens-page';

/**
 * The pages of the Integrations section, in the order of its tabs: what
 * scripts and other systems connect with. A page is a route
 * (/integrations/<id>) and an entry here; the API tokens come first, and
 * webhooks join them later.
 */
export const INTEGRATION_PAGES: readonly { id: string; label: string; page: ComponentType }[] = [{ id: 'tokens', label: 'API tokens', page: TokensPage }];

/** The Integrations section: its heading and tabs around the page of the route. */
export function IntegrationsPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const current = INTEGRATION_PAGES.find((p) => p.id === params.section);

  // /integrations is its first page
  useEffect(() => {
    if (!params.section) route(`/integrations/${INTEGRATION_PAGES[0]!.id}`, true);
  }, [params.section]);

  useEffect(() => {
    document.title = `${current ? `${current.label} · ` : ''}Integrations · clientd`;
  }, [current?.id]);

  const Page = current?.page;
  return (
    <div class="page">
      <header class="page-header">
        <div class="page-header__text">
          <h1 class="page-header__title">Integrations</h1>
          <p class="page-header__sub">How scripts and other systems (Zapier, Make, n8n, your own) work with your clients through the API.</p>
        </div>
      </header>
      <Tabs label="Integrations" tabs={INTEGRATION_PAGES.map((p) => ({ id: p.id, label: p.label, href: `/integrations/${p.id}` }))} active={current?.id ?? ''} idBase="integrations" />
      <TabPanel idBase="integrations" active={current?.id ?? ''}>
        {Page ? (
          <Page />
        ) : params.section ? (
          <EmptyState title="This page does not exist" action={<ButtonLink href="/integrations">Go to the integrations</ButtonLink>} compact />
        ) : null}
      </TabPanel>
    </div>
  );
}
