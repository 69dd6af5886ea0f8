import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, loadBotConfig } from '../src/config.js';
import { VALID_ENV, configProblems } from './support/config-env.js';

/** VALID_ENV without its HEADLESS_CONTAINERS, and a CONFIG_FILE holding `{ hosts }`. */
function withHosts(hosts: unknown, env: Record<string, string> = {}): Record<string, string> {
  const file = join(mkdtempSync(join(tmpdir(), 'config-')), 'config.json');
  writeFileSync(file, JSON.stringify({ hosts }));
  const rest: Record<string, string> = { ...VALID_ENV };
  delete rest.HEADLESS_CONTAINERS;
  return { ...rest, CONFIG_FILE: file, ...env };
}

describe('Docker hosts in CONFIG_FILE', () => {
  it('reads each host in order, with its url, its containers or label, TLS and ssh settings', () => {
    const config = loadBotConfig(
      withHosts({
        'eu-1': { url: 'unix:///var/run/docker.sock', containers: ['lobby', 'build', 'lobby'] },
        'eu-2': {
          url: 'ssh://bot@eu2.example',
          label: 'resonite.headless=true',
          identityFile: '/keys/id',
          knownHostsFile: '/keys/known',
        },
        'us.1': {
          url: 'tcp://10.0.0.3:2376',
          tlsVerify: true,
          certPath: '/certs/us1',
          containers: ['us-lobby'],
        },
      }),
    );
    expect(config.hosts).toEqual([
      {
        name: 'eu-1',
        docker: {
          host: 'unix:///var/run/docker.sock',
          tlsVerify: false,
          certPath: undefined,
          identityFile: undefined,
          knownHostsFile: undefined,
        },
        managed: { kind: 'names', names: ['lobby', 'build'] },
      },
      {
        name: 'eu-2',
        docker: {
          host: 'ssh://bot@eu2.example',
          tlsVerify: false,
          certPath: undefined,
          identityFile: '/keys/id',
          knownHostsFile: '/keys/known',
        },
        managed: { kind: 'label', key: 'resonite.headless', value: 'true' },
      },
      {
        name: 'us.1',
        docker: {
          host: 'tcp://10.0.0.3:2376',
          tlsVerify: true,
          certPath: '/certs/us1',
          identityFile: undefined,
          knownHostsFile: undefined,
        },
        managed: { kind: 'names', names: ['us-lobby'] },
      },
    ]);
  });

  it('keeps the one host of DOCKER_HOST and HEADLESS_* when CONFIG_FILE lists none', () => {
    const config = loadBotConfig({ ...VALID_ENV, DOCKER_HOST: 'tcp://10.0.0.9:2375' });
    expect(config.hosts.map((h) => [h.name, h.docker.host, h.managed])).toEqual([
      [DEFAULT_HOST, 'tcp://10.0.0.9:2375', { kind: 'names', names: ['lobby'] }],
    ]);
  });

  it('refuses the same container name on two hosts, naming both', () => {
    const problems = configProblems(
      withHosts({
        'eu-1': { url: 'unix:///a.sock', containers: ['lobby'] },
        'eu-2': { url: 'unix:///b.sock', containers: ['build', 'lobby'] },
      }),
    );
    expect(problems).toEqual([
      'CONFIG_FILE hosts.eu-2.containers: "lobby" is also on host eu-1; server names must be unique across hosts',
    ]);
  });

  it('refuses hosts listed beside DOCKER_HOST or HEADLESS_*, naming each variable', () => {
    const problems = configProblems(
      withHosts(
        { 'eu-1': { url: 'unix:///a.sock', containers: ['lobby'] } },
        {
          HEADLESS_LABEL: 'a=b',
          DOCKER_HOST: 'unix:///c.sock',
        },
      ),
    );
    expect(problems).toEqual([
      'DOCKER_HOST: CONFIG_FILE lists hosts, each with its own url and containers: leave DOCKER_HOST unset',
      'HEADLESS_LABEL: CONFIG_FILE lists hosts, each with its own url and containers: leave HEADLESS_LABEL unset',
    ]);
  });

  it('names every bad host field in one error', () => {
    const problems = configProblems(
      withHosts({
        'no url': { url: 'unix:///a.sock', containers: ['lobby'] },
        nourl: { containers: ['lobby'] },
        both: { url: 'unix:///a.sock', containers: ['a'], label: 'k=v' },
        neither: { url: 'unix:///a.sock' },
        ftp: { url: 'ftp://x', containers: ['a'] },
        typo: { url: 'unix:///a.sock', containers: ['a'], tlsverify: true },
        names: { url: 'unix:///a.sock', containers: ['bad name', ''] },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'CONFIG_FILE hosts.no url: a host name is letters, digits, _ . or - (at most 32)',
        'CONFIG_FILE hosts.nourl.url: is required (unix://, tcp://, ssh://, http:// or https://)',
        'CONFIG_FILE hosts.both: set exactly one of `containers` and `label` (which containers the bot manages there)',
        'CONFIG_FILE hosts.neither: set exactly one of `containers` and `label` (which containers the bot manages there)',
        'CONFIG_FILE hosts.ftp.url: must start with unix://, tcp://, ssh://, http:// or https://',
        expect.stringMatching(/^CONFIG_FILE hosts\.typo: Unrecognized key.*tlsverify/),
        'CONFIG_FILE hosts.names.containers.0: must be a container name or id',
        'CONFIG_FILE hosts.names.containers.1: must be a container name or id',
      ]),
    );
  });

  it('refuses an empty host list', () => {
    expect(configProblems(withHosts({}))).toEqual([
      'CONFIG_FILE hosts: list at least one host, or leave `hosts` out',
    ]);
  });
});
