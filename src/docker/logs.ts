import type Docker from 'dockerode';
import stripAnsi from 'strip-ansi';
import { demuxBuffer } from './demux.js';

export const MAX_LOG_LINES = 2000;

/** The last `tail` lines of a container's output: demultiplexed, ANSI and carriage returns removed. */
export async function readLogs(container: Docker.Container, tty: boolean, tail: number): Promise<string> {
  const lines = Math.max(1, Math.min(MAX_LOG_LINES, Math.floor(tail)));
  const raw = (await container.logs({ stdout: true, stderr: true, tail: lines, follow: false })) as Buffer;
  const bytes = tty ? raw : demuxBuffer(raw);
  return cleanText(bytes.toString('utf8'));
}

export function cleanText(text: string): string {
  return stripAnsi(text).replace(/\r+\n/g, '\n').replace(/\r/g, '');
}
