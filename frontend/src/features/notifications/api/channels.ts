import { call, notificationsPath, parseItems, send } from './request';

export type ChannelKind = 'webhook' | 'slack' | 'email';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['webhook', 'slack', 'email'];
export const TLS_MODES = ['starttls', 'tls', 'none'] as const;

/** A channel as the API shows it: never a secret (`hasSecret` says whether one is set; a Slack URL shows only its host). */
export interface Channel {
  id: number;
  name: string;
  kind: ChannelKind;
  url?: string | null;
  hasSecret: boolean;
  host?: string | null;
  port?: number | null;
  tls?: string | null;
  userName?: string | null;
  from?: string | null;
  to?: string[] | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

/** What the receiver said to a test message. */
export interface ChannelTestResult {
  delivered: boolean;
  status?: number | null;
  response?: string | null;
  error?: string | null;
  durationMs: number;
  notificationId: string;
}

/** The form as typed: every field a string, secrets empty unless typed (they are never read back). */
export interface ChannelForm {
  name: string;
  kind: ChannelKind;
  url: string;
  secret: string;
  clearSecret: boolean;
  host: string;
  port: string;
  tls: string;
  userName: string;
  password: string;
  from: string;
  to: string;
}

export const emptyChannelForm = (kind: ChannelKind = 'webhook'): ChannelForm => ({
  name: '', kind, url: '', secret: '', clearSecret: false, host: '', port: '', tls: 'starttls', userName: '', password: '', from: '', to: '',
});

/** A stored channel in the form, to edit: secrets blank (blank keeps the stored one). */
export const channelToForm = (c: Channel): ChannelForm => ({
  ...emptyChannelForm(c.kind),
  name: c.name,
  url: c.kind === 'slack' ? '' : c.url ?? '',
  host: c.host ?? '',
  port: c.port == null ? '' : String(c.port),
  tls: c.tls ?? 'starttls',
  userName: c.userName ?? '',
  from: c.from ?? '',
  to: (c.to ?? []).join(', '),
});

const isHttpUrl = (text: string) => {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

const MAILBOX = /^[^\s@<>]+@[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>\s*$/;

/**
 * The body to send, or the first thing wrong (checked here as the server checks it, so the form
 * says it before sending; the server's own answer still shows when it refuses). Creating sends the
 * kind's fields; editing (`creating` false) sends no kind, and a secret only when one was typed.
 */
export function channelBody(form: ChannelForm, creating: boolean): { body: Record<string, unknown> } | { error: string } {
  const name = form.name.trim();
  if (name.length < 1 || name.length > 100) return { error: 'A channel needs a name of 1 to 100 characters.' };
  const body: Record<string, unknown> = { name };
  if (creating) body.kind = form.kind;
  const url = form.url.trim();
  switch (form.kind) {
    case 'webhook':
      if (!isHttpUrl(url)) return { error: 'A webhook needs an absolute http or https URL.' };
      body.url = url;
      if (form.clearSecret && !creating) body.secret = '';
      else if (form.secret !== '') body.secret = form.secret;
      break;
    case 'slack':
      if (url === '' && creating) return { error: 'A Slack channel needs its incoming-webhook URL.' };
      if (url !== '') {
        if (!isHttpUrl(url)) return { error: 'The Slack URL is an absolute https URL (hooks.slack.com/services/…).' };
        body.url = url;
      }
      break;
    case 'email': {
      const host = form.host.trim();
      if (host === '') return { error: 'An email channel needs the SMTP host.' };
      body.host = host;
      if (form.port.trim() !== '') {
        const port = Number(form.port.trim());
        if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: 'port is 1 to 65535.' };
        body.port = port;
      }
      body.tls = form.tls;
      if (form.userName.trim() !== '') body.userName = form.userName.trim();
      if (form.password !== '') body.password = form.password;
      const from = form.from.trim();
      if (!MAILBOX.test(from)) return { error: 'from is one email address (name <address> or address).' };
      body.from = from;
      const to = form.to.split(/[,;\n]/).map((t) => t.trim()).filter((t) => t !== '');
      if (to.length < 1 || to.length > 20 || to.some((t) => !MAILBOX.test(t))) return { error: 'to is a list of 1 to 20 email addresses, separated by commas.' };
      body.to = to;
      break;
    }
  }
  return { body };
}

/** One line for the receiver's answer to a test. */
export function testOutcome(result: ChannelTestResult): string {
  const status = result.status != null ? ` ${result.status}` : '';
  const took = `${Math.round(result.durationMs)} ms`;
  if (result.delivered) return `Delivered: the receiver answered${status} in ${took}${result.response ? `: ${result.response}` : ''}.`;
  return `Not delivered${status ? `: the receiver answered${status}` : ''} (${took})${result.error ? `: ${result.error}` : ''}${result.response ? ` — ${result.response}` : ''}.`;
}

const isChannel = (c: Record<string, unknown>) => typeof c.id === 'number' && typeof c.name === 'string' && CHANNEL_KINDS.includes(c.kind as ChannelKind) && typeof c.hasSecret === 'boolean';

const channels = (apiBase: string) => `${notificationsPath(apiBase)}/channels`;

export const fetchChannels = (apiBase: string, signal?: AbortSignal) =>
  call(channels(apiBase), { signal }, (b) => parseItems<Channel>(b, 'channel', isChannel));

export const createChannel = (apiBase: string, body: Record<string, unknown>) => call<Channel>(channels(apiBase), send('POST', body));

export const updateChannel = (apiBase: string, id: number, body: Record<string, unknown>) => call<Channel>(`${channels(apiBase)}/${id}`, send('PATCH', body));

export const deleteChannel = (apiBase: string, id: number) => call<void>(`${channels(apiBase)}/${id}`, { method: 'DELETE' });

export const testChannel = (apiBase: string, id: number) => call<ChannelTestResult>(`${channels(apiBase)}/${id}/test`, { method: 'POST' });
