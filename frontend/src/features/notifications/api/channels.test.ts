import { describe, expect, it } from 'vitest';
import { channelBody, channelToForm, emptyChannelForm, testOutcome, type Channel } from './channels';

describe('channel form', () => {
  it('sends a webhook with its secret only when one was typed', () => {
    const form = { ...emptyChannelForm('webhook'), name: ' ops ', url: 'https://hooks.example.com/fleet' };
    expect(channelBody(form, true)).toEqual({ body: { name: 'ops', kind: 'webhook', url: 'https://hooks.example.com/fleet' } });
    expect(channelBody({ ...form, secret: 's3cret' }, true)).toEqual({ body: { name: 'ops', kind: 'webhook', url: 'https://hooks.example.com/fleet', secret: 's3cret' } });
  });

  it('refuses what the server refuses, naming it', () => {
    expect(channelBody({ ...emptyChannelForm('webhook'), name: '', url: 'https://a.example' }, true)).toHaveProperty('error', expect.stringContaining('name'));
    expect(channelBody({ ...emptyChannelForm('webhook'), name: 'x', url: 'ftp://a.example' }, true)).toHaveProperty('error', expect.stringContaining('http'));
    expect(channelBody({ ...emptyChannelForm('slack'), name: 'x' }, true)).toHaveProperty('error', expect.stringContaining('Slack'));
    const mail = { ...emptyChannelForm('email'), name: 'm', host: 'smtp.example.com', from: 'fleet@example.com', to: 'ops@example.com' };
    expect(channelBody({ ...mail, port: '70000' }, true)).toHaveProperty('error', 'port is 1 to 65535.');
    expect(channelBody({ ...mail, to: 'ops@example.com, nobody' }, true)).toHaveProperty('error', expect.stringContaining('to is'));
    expect(channelBody({ ...mail, from: 'not an address' }, true)).toHaveProperty('error', expect.stringContaining('from'));
    expect(channelBody({ ...mail, host: ' ' }, true)).toHaveProperty('error', expect.stringContaining('host'));
  });

  it('sends an email channel with its recipients as a list', () => {
    const form = { ...emptyChannelForm('email'), name: 'mail', host: 'smtp.example.com', port: '465', tls: 'tls', userName: 'fleet', password: 'pw', from: 'FleetHealth <fleet@example.com>', to: 'a@example.com; b@example.com' };
    expect(channelBody(form, true)).toEqual({ body: {
      name: 'mail', kind: 'email', host: 'smtp.example.com', port: 465, tls: 'tls', userName: 'fleet', password: 'pw', from: 'FleetHealth <fleet@example.com>', to: ['a@example.com', 'b@example.com'],
    } });
  });

  it('edits without the kind, keeping a secret left blank, clearing it when asked', () => {
    const stored: Channel = { id: 3, name: 'ops', kind: 'webhook', url: 'https://h.example/x', hasSecret: true, createdAt: '', createdBy: 'a', updatedAt: '' };
    const form = channelToForm(stored);
    expect(form.secret).toBe('');
    expect(channelBody(form, false)).toEqual({ body: { name: 'ops', url: 'https://h.example/x' } });
    expect(channelBody({ ...form, clearSecret: true }, false)).toEqual({ body: { name: 'ops', url: 'https://h.example/x', secret: '' } });
    const slack = channelToForm({ ...stored, kind: 'slack', url: 'https://hooks.slack.com/…' });
    expect(slack.url).toBe('');
    expect(channelBody(slack, false)).toEqual({ body: { name: 'ops' } });
  });
});

describe('test outcome', () => {
  it('says what the receiver answered', () => {
    expect(testOutcome({ delivered: true, status: 200, response: 'ok', durationMs: 12.4, notificationId: 'n' })).toBe('Delivered: the receiver answered 200 in 12 ms: ok.');
    expect(testOutcome({ delivered: false, status: 500, error: 'HTTP 500', durationMs: 3, notificationId: 'n' })).toBe('Not delivered: the receiver answered 500 (3 ms): HTTP 500.');
    expect(testOutcome({ delivered: false, error: 'connection refused', durationMs: 1, notificationId: 'n' })).toBe('Not delivered (1 ms): connection refused.');
  });
});
