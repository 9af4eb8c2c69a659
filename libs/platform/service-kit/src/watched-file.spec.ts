import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@argus/logger';
import { WatchedFile } from './watched-file';

const parseNumber = (text: string, source: string): number => {
  const value = Number(text.trim());
  if (!Number.isFinite(value)) throw new Error(`${source}:1:1: not a number`);
  return value;
};

function write(path: string, text: string, second: number) {
  writeFileSync(path, text);
  // Distinct mtimes, as two real edits would have.
  utimesSync(path, second, second);
}

describe('WatchedFile', () => {
  const logger = createLogger({ service: 'spec', level: 'silent' });

  it('takes a good change and refuses a bad one, keeping the last good version', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'watched-')), 'value.txt');
    write(path, '1', 1000);
    const file = new WatchedFile(path, parseNumber, String, logger);
    expect(file.value).toBe(1);

    write(path, '2', 2000);
    expect(file.reload()).toBe(true);
    expect(file.value).toBe(2);

    write(path, 'two', 3000);
    expect(file.reload()).toBe(false);
    expect(file.value).toBe(2);
    expect(file.rejection).toMatch(/value.txt:1:1: not a number/);

    write(path, '3', 4000);
    expect(file.reload()).toBe(true);
    expect(file.rejection).toBeUndefined();
  });

  it('refuses to start on a bad file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'watched-')), 'value.txt');
    write(path, 'x', 1000);
    expect(() => new WatchedFile(path, parseNumber, String, logger)).toThrow(/not a number/);
  });
});
