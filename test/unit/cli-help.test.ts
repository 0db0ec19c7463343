import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/entrypoints/cli/main.js';
import { REPO_ROOT } from '../helpers/sample-tree.js';

async function run(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: () => undefined,
    isTTY: false,
    cwd: REPO_ROOT,
    env: {},
  });
  return { code, stdout };
}

/** Command names listed by a usage text: the indented first word of each line under the usage line. */
function listed(usage: string): string[] {
  return [...usage.matchAll(/^ {2}([a-z][a-z-]*)\s{2,}\S/gm)].map((m) => m[1]!);
}

/** `aac <words>` of each row of the README's command table (the first backticked cell; `/`-separated alternatives too). */
function readmeCommands(): string[][] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Commands'), readme.indexOf('\n### ', readme.indexOf('## Commands')));
  const rows = table.split('\n').filter((l) => l.startsWith('| `aac '));
  return rows
    .map((row) => {
      const cell = row.split('|')[1]!;
      const [first, ...alternatives] = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      const words = first!.split(' ').filter((w) => /^[a-z][a-z-]*$/.test(w));
      // `aac audit person UID` / `system ID` / `report`: the alternatives replace the last word.
      return [words, ...alternatives.map((a) => [...words.slice(0, -1), a.split(' ')[0]!])].map((w) => w.join(' '));
    })
    .map((names) => names.filter((n) => n !== ''));
}

describe('every command has --help, and the README command table lists exactly the commands', () => {
  it('aac --help lists the commands, and each answers --help with its own usage', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    const commands = listed(top.stdout);
    expect(commands).toContain('validate');
    for (const name of commands) {
      const help = await run([name, '--help']);
      expect(help.code, `aac ${name} --help`).toBe(0);
      expect(help.stdout, `aac ${name} --help`).toMatch(new RegExp(`^Usage: aac ${name}\\b`));
    }
  });

  it('the README table has a row for each command and subcommand, and no row for a command that does not exist', async () => {
    const top = listed((await run(['--help'])).stdout);
    const audit = listed((await run(['audit', '--help'])).stdout).map((s) => `aac audit ${s}`);
    const expected = [...top.filter((c) => c !== 'audit').map((c) => `aac ${c}`), ...audit].sort();
    const documented = readmeCommands()
      .flat()
      .map((c) => c.trim())
      .sort();
    expect(documented).toEqual(expected);
    for (const sub of audit) {
      const help = await run([...sub.split(' ').slice(1), '--help']);
      expect(help.code, `${sub} --help`).toBe(0);
      // person, system and report share one usage text, one line each.
      expect(help.stdout, `${sub} --help`).toMatch(new RegExp(`^(Usage: | +)${sub}\\b`, 'm'));
    }
  });
});
