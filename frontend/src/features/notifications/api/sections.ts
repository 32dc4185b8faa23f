/** The sections of the alerts page, each at /alerts/<section>. */
export const ALERT_SECTIONS = ['rules', 'channels', 'silences', 'deliveries'] as const;
export type AlertSection = (typeof ALERT_SECTIONS)[number];
