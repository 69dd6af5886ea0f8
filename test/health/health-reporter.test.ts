/**
 * The health reporter with several Docker hosts: Docker counts as reachable while any host answers
 * a ping (restarting the bot brings back no remote machine), and as cut off once none does.
 * Real Docker clients: the suite's engine, and a socket where no daemon listens.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { Status, type Client } from 'discord.js';
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { readHealthReport, type HealthReport } from '../../src/health/health-report.js';
import { startHealthReporter } from '../../src/health/health-reporter.js';
import { describeDocker } from '../support/docker.js';

describeDocker('the health reporter across Docker hosts', () => {
  const answering = new Docker({ socketPath: '/var/run/docker.sock' });
  const silent = new Docker({ socketPath: join(mkdtempSync(join(tmpdir(), 'rhb-health-')), 'none.sock') });
  // The gateway as the reporter reads it: one shard, ready.
  const client = { ws: { shards: new Map([[0, { status: Status.Ready }]]) } } as unknown as Client;
  let reporter: { stop(): void } | undefined;
  afterEach(() => reporter?.stop());

  /** The first report a reporter over `dockers` writes. */
  async function report(dockers: Docker[]): Promise<HealthReport> {
    const file = join(mkdtempSync(join(tmpdir(), 'rhb-health-')), 'health.json');
    reporter = startHealthReporter({ file, client, dockers, logger: pino({ level: 'silent' }) });
    let written: HealthReport | undefined;
    await expect
      .poll(() => {
        try {
          written = readHealthReport(file);
        } catch {
          // Not written yet.
        }
        return written;
      })
      .toBeDefined();
    return written!;
  }

  it('keeps Docker reachable while one host of two answers', async () => {
    const written = await report([silent, answering]);
    expect(written).toMatchObject({ ready: true, discordDownSince: null, dockerDownSince: null });
  });

  it('marks Docker cut off when no host answers', async () => {
    const written = await report([silent]);
    expect(written.dockerDownSince).toEqual(expect.any(Number));
  });
});
