import type { ComponentChildren } from 'preact';
import { TabPanel, Tabs, type TabItem } from '../ui/tabs';

interface IntegrationsLayoutProps {
  /** the sub-sections (webhooks, API tokens ...), as app.tsx lists them */
  sections: TabItem[];
  active: string;
  children: ComponentChildren;
}

/** Integrations: one page, a sub-navigation of its sections. */
export function IntegrationsLayout({ sections, active, children }: IntegrationsLayoutProps) {
  return (
    <div class="page">
      <header class="page-header">
        <div class="page-header__text">
          <h1 class="page-header__title">Integrations</h1>
          <p class="page-header__sub">Connect Zapier, Make, n8n or your own code.</p>
        </div>
      </header>
      <Tabs label="Integrations" tabs={sections} active={active} idBase="integrations" />
      <TabPanel idBase="integrations" active={active}>
        {children}
      </TabPanel>
    </div>
  );
}
