import { Writable } from 'node:stream';

/** Every log line a server writes, kept in memory (pass `destination` as its log destination). */
export function memoryLog() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}
