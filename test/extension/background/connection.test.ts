// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { testConnection } from '../../../extension/background/connection';
import { startFakeBackend, type FakeBackend } from '../support/backend';

let backend: FakeBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

describe('test connection', () => {
  it('names the workspace and role when everything is right', async () => {
    backend = await startFakeBackend();
    expect(await testConnection({ backendUrl: backend.url, token: backend.token, permitted: true })).toEqual({ ok: true, workspace: 'Acme Sales', role: 'rep', apiVersion: 1 });
  });

  it('says the backend is unreachable', async () => {
    backend = await startFakeBackend();
    const url = backend.url;
    await backend.close();
    backend = undefined;
    const result = await testConnection({ backendUrl: url, token: 'tok', permitted: true });
    expect(result).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(result.ok || result.message).toContain('npm start');
  });

  it('says the token is bad', async () => {
    backend = await startFakeBackend();
    expect(await testConnection({ backendUrl: backend.url, token: 'tok_wrong', permitted: true })).toMatchObject({ ok: false, problem: 'bad_token' });
  });

  it('says the API version is wrong, and which side to update', async () => {
    backend = await startFakeBackend({ apiVersion: '2.1' });
    const result = await testConnection({ backendUrl: backend.url, token: backend.token, permitted: true });
    expect(result).toMatchObject({ ok: false, problem: 'wrong_version' });
    expect(result.ok || result.message).toContain('Update the extension');
  });

  it('says a server without the rep API is not a leadscore backend', async () => {
    backend = await startFakeBackend();
    const result = await testConnection({ backendUrl: `${backend.url}/nothing-here`, token: backend.token, permitted: true });
    expect(result).toMatchObject({ ok: false, problem: 'wrong_version' });
  });

  it('asks for a token, and for permission to reach a non-local backend, before trying', async () => {
    expect(await testConnection({ backendUrl: 'http://localhost:8787', token: null, permitted: true })).toMatchObject({ ok: false, problem: 'not_configured' });
    expect(await testConnection({ backendUrl: 'https://crm.example', token: 'x', permitted: false })).toMatchObject({ ok: false, problem: 'no_permission' });
  });
});
