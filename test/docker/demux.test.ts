import { describe, expect, it } from 'vitest';
import { DemuxStream, demuxBuffer } from '../../src/docker/demux.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('Docker stream demultiplexing', () => {
  it('joins stdout and stderr frames split at any byte', async () => {
    const bytes = Buffer.concat([frame(1, 'Name: Lobby\n'), frame(2, 'SIGNALR: x\n'), frame(1, 'Lobby>')]);
    for (let cut = 1; cut < bytes.length; cut++) {
      const demux = new DemuxStream();
      const parts: Buffer[] = [];
      demux.on('data', (b: Buffer) => parts.push(b));
      demux.write(bytes.subarray(0, cut));
      demux.end(bytes.subarray(cut));
      await new Promise((resolve) => demux.on('end', resolve));
      expect(Buffer.concat(parts).toString()).toBe('Name: Lobby\nSIGNALR: x\nLobby>');
    }
  });

  it('demultiplexes a whole logs buffer', () => {
    expect(demuxBuffer(Buffer.concat([frame(1, 'a\n'), frame(2, 'b\n')])).toString()).toBe('a\nb\n');
  });
});
