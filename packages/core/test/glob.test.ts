import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { globMatches } from '../src/glob.js';

const sqlite = new Database(':memory:');
const sqliteGlob = sqlite.prepare<[string, string], { matched: number }>('SELECT ? GLOB ? AS matched');
afterAll(() => sqlite.close());

/** What SQLite, which answers `--id` filters in the index, says of a pattern and a text. */
function sqliteMatches(pattern: string, text: string): boolean {
  return sqliteGlob.get(text, pattern)?.matched === 1;
}

describe('globMatches', () => {
  it('matches across the separators of ARNs, keys and field paths', () => {
    expect(
      globMatches(
        'arn:aws:sts::*:assumed-role/deploy-*',
        'arn:aws:sts::123456789012:assumed-role/deploy-ci/run-7',
      ),
    ).toBe(true);
    expect(
      globMatches('Configuration.Environment.Variables.*', 'Configuration.Environment.Variables.API_KEY'),
    ).toBe(true);
    expect(globMatches('site-?', 'site-ab')).toBe(false);
    expect(globMatches('[a-c]*.com', 'b.com')).toBe(true);
    expect(globMatches('[^a-c]*.com', 'b.com')).toBe(false);
    expect(globMatches('Deploy*', 'deploy-ci')).toBe(false);
  });

  it('treats regular expression characters as themselves', () => {
    expect(globMatches('a.b+(c)', 'a.b+(c)')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
  });

  it('agrees with SQLite GLOB on generated patterns and texts', () => {
    const char = fc.constantFrom('a', 'b', '-', '.', '/', ':', '*', '?', '[', ']', '^', '\\', 'é');
    const text = fc.array(fc.constantFrom('a', 'b', '-', '.', '/', ':', '*', '[', ']', '^', '\\', 'é'), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(fc.array(char, { maxLength: 8 }), text, (pattern, chars) => {
        const [p, t] = [pattern.join(''), chars.join('')];
        expect(globMatches(p, t), `${JSON.stringify(p)} on ${JSON.stringify(t)}`).toBe(sqliteMatches(p, t));
      }),
      { numRuns: 3000 },
    );
  });
});
