import { ALERT_SECTIONS, type AlertSection } from '../api/sections';
import { ChannelsSection } from './ChannelsSection';
import { DeliveriesSection } from './DeliveriesSection';
import { RulesSection } from './RulesSection';
import { SilencesSection } from './SilencesSection';


const LABELS: Record<AlertSection, string> = { rules: 'Rules', channels: 'Channels', silences: 'Silences', deliveries: 'Delivery log' };

/** Alerts: rules (operators), channels (admins), silences (operators) and the delivery log, one section at a time. */
export function NotificationsPage({ apiBase, section, onSection, admin }: {
  apiBase: string; section: AlertSection; onSection: (section: AlertSection) => void; admin: boolean;
}) {
  return (
    <article aria-label="Alerts" className="notifications" data-testid="alerts">
      <h2>Alerts</h2>
      <nav className="tabs" aria-label="Alert sections">
        {ALERT_SECTIONS.map((s) => (
          <a key={s} href={`/alerts/${s}`} data-testid={`alerts-tab-${s}`} aria-current={s === section ? 'page' : undefined}
            onClick={(e) => { e.preventDefault(); onSection(s); }}>{LABELS[s]}</a>
        ))}
      </nav>
      {section === 'channels' && <ChannelsSection apiBase={apiBase} admin={admin} />}
      {section === 'rules' && <RulesSection apiBase={apiBase} />}
      {section === 'silences' && <SilencesSection apiBase={apiBase} />}
      {section === 'deliveries' && <DeliveriesSection apiBase={apiBase} />}
    </article>
  );
}
