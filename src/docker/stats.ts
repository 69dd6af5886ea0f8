import type { Readable } from 'node:stream';
import type Docker from 'dockerode';

export interface ContainerStats {
  /** Percent of one CPU (200 = two cores busy); null when Docker gave no usable sample. */
  cpuPercent: number | null;
  memoryBytes: number;
  memoryLimitBytes: number;
  memoryPercent: number | null;
}

interface CpuSample {
  total: number;
  system: number;
}

interface Follow {
  stream?: Readable;
  latest?: Docker.ContainerStats;
  at: number;
}

/** A streamed sample older than this is not trusted (the stream stalled or the container stopped). */
const FRESH_MS = 5_000;

/**
 * CPU and memory of a container. Docker answers a stats request, even a one-shot one, only at its
 * collector's next round, up to a second away; so the first read of a container is one-shot, and
 * from then on a streaming subscription (what `docker stats` does) keeps its latest sample, which
 * every later read takes from memory. A stream ends with its container and is started again by
 * the next read.
 */
export class StatsReader {
  private readonly follows = new Map<string, Follow>();
  private readonly previous = new Map<string, CpuSample>();

  async read(container: Docker.Container, startedAt: Date | null): Promise<ContainerStats> {
    const follow = this.follows.get(container.id);
    if (follow?.latest && Date.now() - follow.at < FRESH_MS)
      return fromSample(follow.latest, null, startedAt);
    this.follow(container);
    const raw: Docker.ContainerStats | undefined = await container.stats({ stream: false, 'one-shot': true });
    if (!raw) return { cpuPercent: null, memoryBytes: 0, memoryLimitBytes: 0, memoryPercent: null };
    const before = this.previous.get(container.id);
    this.previous.set(container.id, cpuSample(raw.cpu_stats));
    return fromSample(raw, before ?? null, startedAt);
  }

  /** Ends every subscription (the bot is stopping). */
  close(): void {
    for (const follow of this.follows.values()) follow.stream?.destroy();
    this.follows.clear();
  }

  private follow(container: Docker.Container): void {
    if (this.follows.has(container.id)) return;
    const follow: Follow = { at: 0 };
    this.follows.set(container.id, follow);
    const forget = () => {
      if (this.follows.get(container.id) === follow) this.follows.delete(container.id);
    };
    container.stats({ stream: true }).then((stream) => {
      const readable = stream as unknown as Readable;
      if (this.follows.get(container.id) !== follow) {
        readable.destroy();
        return;
      }
      follow.stream = readable;
      let pending = '';
      readable.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        const last = lines.filter((l) => l.trim() !== '').at(-1);
        if (last === undefined) return;
        try {
          follow.latest = JSON.parse(last) as Docker.ContainerStats;
          follow.at = Date.now();
        } catch {
          // A torn line: the next sample replaces it within a second.
        }
      });
      readable.on('error', forget);
      readable.on('close', forget);
      readable.on('end', forget);
    }, forget);
  }
}

function cpuSample(cpu: Docker.CPUStats | undefined): CpuSample {
  return { total: cpu?.cpu_usage?.total_usage ?? 0, system: cpu?.system_cpu_usage ?? 0 };
}

/**
 * CPU from the sample's own previous reading when Docker included one (streamed samples do),
 * else from the caller's earlier sample, else as the average since the container started.
 */
function fromSample(
  raw: Docker.ContainerStats,
  before: CpuSample | null,
  startedAt: Date | null,
): ContainerStats {
  const now = cpuSample(raw.cpu_stats);
  const pre = cpuSample(raw.precpu_stats);
  const cpus = raw.cpu_stats.online_cpus || raw.cpu_stats.cpu_usage.percpu_usage?.length || 1;
  const base = pre.system > 0 ? pre : before;
  return { cpuPercent: cpuPercent(now, base, cpus, startedAt), ...memory(raw) };
}

function cpuPercent(now: CpuSample, before: CpuSample | null, cpus: number, startedAt: Date | null) {
  if (before && now.system > before.system && now.total >= before.total) {
    return round(((now.total - before.total) / (now.system - before.system)) * cpus * 100);
  }
  if (!startedAt) return null;
  const elapsedNs = (Date.now() - startedAt.getTime()) * 1e6;
  return elapsedNs > 0 ? round((now.total / elapsedNs) * 100) : null;
}

function memory(raw: Docker.ContainerStats): Omit<ContainerStats, 'cpuPercent'> {
  const stats = (raw.memory_stats.stats ?? {}) as unknown as Record<string, number | undefined>;
  // Page cache is not the process's memory: cgroup v2 reports it as inactive_file, v1 as cache.
  const cache = stats.inactive_file ?? stats.total_inactive_file ?? stats.cache ?? 0;
  const usage = Math.max(0, (raw.memory_stats.usage ?? 0) - cache);
  const limit = raw.memory_stats.limit ?? 0;
  return {
    memoryBytes: usage,
    memoryLimitBytes: limit,
    memoryPercent: limit > 0 ? round((usage / limit) * 100) : null,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
