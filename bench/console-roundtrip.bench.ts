/**
 * Console round trip: `status` through our whole console path against a raw dockerode attach,
 * with and without a TTY, on the fake headless.
 *
 * BASELINE: one hijacked attach, `status\n` written, output read (demultiplexed without a TTY)
 * until it ends with the prompt `Lobby World>`: the least any console client can do.
 * OURS: `ServerSet.get(name)` → `server.console.run('status')`: the session's queue, framing,
 * ANSI/CR stripping and TTY echo removal. For information, `server.status('0')` (a parsed
 * worlds + focus + status group) is reported too.
 *
 * Each path has its own identical container, so neither sees the other's output. Paths alternate
 * in blocks (order reversed every other block) so machine noise hits them alike.
 * Only sanity assertions here: timing goals are printed, never asserted.
 */
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManagedContainers } from '../src/docker/containers.js';
import { ServerSet } from '../src/servers/server-set.js';
import {
  buildFakeHeadlessImage,
  describeDocker,
  docker,
  removeStartedContainers,
  startFakeHeadless,
} from '../test/support/docker.js';
import { ratio, report, round2, summarize, time, type Row } from './stats.js';

const PROMPT = 'Lobby World>';
const WARMUP = 50;
const BLOCKS = 10;
const PER_BLOCK = 100;
const COMMAND_TIMEOUT_MS = 10_000;

/** Targets, printed next to the figures. */
const MAX_RATIO = 1.3;
const MAX_MEDIAN_MS = 10;
/** For scale: fixed waits per command of the system we replace and of another bot. */
const REPLACED_FIXED_MS = 3000;
const OTHER_BOT_FIXED_MS = 600;

interface RawConsole {
  run(line: string): Promise<string>;
  close(): void;
}

/** The baseline client: a bare hijacked attach, reading until the output ends with the prompt. */
async function rawConsole(container: Docker.Container, tty: boolean): Promise<RawConsole> {
  const socket = (await container.attach({
    stream: true,
    stdin: true,
    stdout: true,
    stderr: true,
    hijack: true,
  })) as NodeJS.ReadWriteStream & { destroy(): void };
  let buffer = '';
  let pending: { resolve: (text: string) => void; timer: NodeJS.Timeout } | null = null;
  const receive = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    if (pending && buffer.endsWith(PROMPT)) {
      const { resolve, timer } = pending;
      pending = null;
      clearTimeout(timer);
      resolve(buffer);
    }
  };
  if (tty) {
    socket.on('data', receive);
  } else {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        receive(chunk);
        done();
      },
    });
    container.modem.demuxStream(socket, sink, sink);
  }
  return {
    run: (line) =>
      new Promise<string>((resolve, reject) => {
        buffer = '';
        const timer = setTimeout(() => {
          pending = null;
          reject(
            new Error(`raw attach: no prompt within ${COMMAND_TIMEOUT_MS} ms after ${JSON.stringify(line)}`),
          );
        }, COMMAND_TIMEOUT_MS);
        pending = { resolve, timer };
        socket.write(`${line}\n`);
      }),
    close: () => socket.destroy(),
  };
}

interface Path {
  label: string;
  samples: number[];
  once: () => Promise<void>;
}

async function repeat(path: Path, count: number, record: boolean): Promise<void> {
  for (let i = 0; i < count; i++) {
    const ms = await time(path.once);
    if (record) path.samples.push(ms);
  }
}

describeDocker('console round trip: raw attach vs ConsoleSession', () => {
  const cleanups: Array<() => void> = [];

  beforeAll(async () => {
    await buildFakeHeadlessImage();
  });
  afterAll(async () => {
    for (const cleanup of cleanups) cleanup();
    await removeStartedContainers();
  });

  for (const tty of [false, true]) {
    const mode = tty ? 'TTY' : 'non-TTY';

    it(`${mode}: ${BLOCKS * PER_BLOCK} status commands, interleaved in ${BLOCKS} blocks`, async () => {
      const [baseContainer, oursContainer] = await Promise.all([
        startFakeHeadless({ tty, labels: { 'rhb.bench': 'console-roundtrip-baseline' } }),
        startFakeHeadless({ tty, labels: { 'rhb.bench': 'console-roundtrip-ours' } }),
      ]);
      const raw = await rawConsole(docker.getContainer(baseContainer.id), tty);
      cleanups.push(() => raw.close());
      const name = oursContainer.name;
      const servers = new ServerSet(new ManagedContainers(docker, { kind: 'names', names: [name] }), {
        consoleTimeoutSeconds: COMMAND_TIMEOUT_MS / 1000,
        servers: {},
      });
      cleanups.push(() => servers.close());

      let answered = { baseline: 0, ours: 0, parsed: 0 };
      const baseline: Path = {
        label: 'baseline: raw dockerode attach',
        samples: [],
        once: async () => {
          const reply = await raw.run('status');
          if (reply.includes('Name: Lobby World')) answered.baseline++;
        },
      };
      const ours: Path = {
        label: 'ours: ServerSet.get → console.run',
        samples: [],
        once: async () => {
          const reply = await (await servers.get(name)).console.run('status');
          // Framed on the prompt, echo and CRs removed: the reply starts with the status itself.
          if (reply.startsWith('Name: Lobby World\n') && !reply.includes('\r')) answered.ours++;
        },
      };
      const parsed: Path = {
        label: 'focus+status parsed: server.status("0")',
        samples: [],
        once: async () => {
          const [world] = await (await servers.get(name)).status('0');
          if (world?.name === 'Lobby World' && world.maxUsers === 16) answered.parsed++;
        },
      };

      for (const path of [baseline, ours, parsed]) await repeat(path, WARMUP, false);
      expect(answered).toEqual({ baseline: WARMUP, ours: WARMUP, parsed: WARMUP });
      answered = { baseline: 0, ours: 0, parsed: 0 };

      for (let block = 0; block < BLOCKS; block++) {
        const order = block % 2 === 0 ? [baseline, ours, parsed] : [parsed, ours, baseline];
        for (const path of order) await repeat(path, PER_BLOCK, true);
      }
      const total = BLOCKS * PER_BLOCK;
      expect(answered).toEqual({ baseline: total, ours: total, parsed: total });

      const base = summarize(baseline.samples);
      const our = summarize(ours.samples);
      const par = summarize(parsed.samples);
      const row = (path: Path, s: typeof base, vsBaseline: boolean): Row => ({
        path: path.label,
        n: s.n,
        'median ms': s.median,
        'p95 ms': s.p95,
        'min ms': s.min,
        'max ms': s.max,
        'ratio median': vsBaseline ? ratio(s.median, base.median) : null,
        'ratio p95': vsBaseline ? ratio(s.p95, base.p95) : null,
      });
      const medianRatio = ratio(our.median, base.median);
      const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
      report(
        `console-roundtrip-${tty ? 'tty' : 'non-tty'}`,
        [row(baseline, base, false), row(ours, our, true), row(parsed, par, true)],
        [
          `${mode}; ${WARMUP} warm-up commands per path, then ${BLOCKS} blocks of ${PER_BLOCK} per path, alternating order.`,
          `target: ours median within ${MAX_RATIO}x of baseline: ${medianRatio}x (p95 ${ratio(our.p95, base.p95)}x) -> ${verdict(medianRatio <= MAX_RATIO)}`,
          `target: ours median under ${MAX_MEDIAN_MS} ms: ${our.median} ms -> ${verdict(our.median < MAX_MEDIAN_MS)}`,
          `overhead of ours over baseline: ${round2(our.median - base.median)} ms at the median, ${round2(our.p95 - base.p95)} ms at p95`,
          `for scale: the system we replace waits a fixed ${REPLACED_FIXED_MS} ms per command (${Math.round(REPLACED_FIXED_MS / our.median)}x our median), another bot a fixed ${OTHER_BOT_FIXED_MS} ms (${Math.round(OTHER_BOT_FIXED_MS / our.median)}x)`,
          `"focus+status parsed" is worlds + focus 0 + status in one group, parsed: for information only.`,
        ],
      );
    });
  }
});
