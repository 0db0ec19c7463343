import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.js';
import { AUDIT_SUBCOMMANDS } from './audit-command.js';
import { EXIT } from './cli-io.js';
import type { CliIO } from './cli-io.js';
import { commandSummaries, helpOf } from './main.js';
import { flagsOf } from './suggest.js';

export const COMPLETION_HELP = `Usage: aac completion bash|zsh|fish

Prints a script that completes aac's commands, subcommands and flags (and file names) in that
shell. Install it with one of:

  bash   aac completion bash > ~/.local/share/bash-completion/completions/aac
  zsh    aac completion zsh > "\${fpath[1]}/_aac"     (or: source <(aac completion zsh))
  fish   aac completion fish > ~/.config/fish/completions/aac.fish

Exit status: 0 printed, 2 usage error.
`;

/** What completion knows: each command, its flags, and the audit subcommands with theirs. */
interface CommandSpec {
  name: string;
  summary: string;
  flags: string[];
  subcommands: CommandSpec[];
}

export async function runCompletion(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(COMPLETION_HELP);
    return EXIT.ok;
  }
  const shell = positionals[0];
  if (positionals.length !== 1 || (shell !== 'bash' && shell !== 'zsh' && shell !== 'fish'))
    throw new UsageError('name one shell: bash, zsh or fish');
  const specs = await readSpecs();
  io.stdout(shell === 'bash' ? bashScript(specs) : shell === 'zsh' ? zshScript(specs) : fishScript(specs));
  return EXIT.ok;
}

async function readSpecs(): Promise<CommandSpec[]> {
  return Promise.all(
    commandSummaries().map(async ({ name, summary }) => ({
      name,
      summary,
      flags: withHelp(flagsOf(await helpOf([name]))),
      subcommands:
        name === 'audit'
          ? await Promise.all(
              AUDIT_SUBCOMMANDS.map(async (sub) => ({
                ...sub,
                flags: withHelp(flagsOf(await helpOf(['audit', sub.name]))),
                subcommands: [],
              })),
            )
          : [],
    })),
  );
}

const withHelp = (flags: string[]): string[] => [...new Set([...flags, '--help'])].sort();
const words = (xs: readonly string[]): string => xs.join(' ');

function bashScript(specs: CommandSpec[]): string {
  const cases = specs
    .map((c) => {
      if (c.subcommands.length === 0) return `    ${c.name}) opts="${words(c.flags)}" ;;`;
      const subs = c.subcommands.map((s) => `        ${s.name}) opts="${words(s.flags)}" ;;`).join('\n');
      return `    ${c.name})
      if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "${words(c.subcommands.map((s) => s.name))}" -- "$cur")); return; fi
      case "\${COMP_WORDS[2]}" in
${subs}
      esac ;;`;
    })
    .join('\n');
  return `# bash completion for aac (aac completion bash)
_aac() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${words(specs.map((c) => c.name))} --help --version" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _aac aac
`;
}

function zshScript(specs: CommandSpec[]): string {
  const quote = (text: string): string => `'${text.replace(/'/g, "'\\''").replace(/:/g, '\\:')}'`;
  const described = (xs: CommandSpec[]): string => xs.map((c) => quote(`${c.name}:${c.summary}`)).join(' ');
  const cases = specs
    .map((c) => {
      if (c.subcommands.length === 0) return `    ${c.name}) flags=(${words(c.flags)}) ;;`;
      const subs = c.subcommands.map((s) => `        ${s.name}) flags=(${words(s.flags)}) ;;`).join('\n');
      return `    ${c.name})
      if (( CURRENT == 3 )); then
        local -a subs; subs=(${described(c.subcommands)})
        _describe 'audit subcommand' subs; return
      fi
      case $words[3] in
${subs}
      esac ;;`;
    })
    .join('\n');
  return `#compdef aac
# zsh completion for aac (aac completion zsh)
_aac() {
  local -a commands flags
  if (( CURRENT == 2 )); then
    commands=(${described(specs)})
    _describe 'aac command' commands; return
  fi
  case $words[2] in
${cases}
  esac
  if [[ $PREFIX == -* ]]; then compadd -- $flags; else _files; fi
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _aac "$@"; else compdef _aac aac; fi
`;
}

function fishScript(specs: CommandSpec[]): string {
  const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = ['# fish completion for aac (aac completion fish)', 'complete -c aac -f'];
  const top = specs.map((c) => c.name).join(' ');
  for (const c of specs) {
    lines.push(`complete -c aac -n 'not __fish_seen_subcommand_from ${top}' -a ${c.name} -d ${quote(c.summary)}`);
    if (c.subcommands.length === 0) {
      for (const flag of c.flags)
        lines.push(`complete -c aac -n '__fish_seen_subcommand_from ${c.name}' -l ${flag.slice(2)}`);
      lines.push(`complete -c aac -n '__fish_seen_subcommand_from ${c.name}' -F`);
      continue;
    }
    const subs = c.subcommands.map((s) => s.name).join(' ');
    for (const s of c.subcommands) {
      lines.push(
        `complete -c aac -n '__fish_seen_subcommand_from ${c.name}; and not __fish_seen_subcommand_from ${subs}' -a ${s.name} -d ${quote(s.summary)}`,
      );
      for (const flag of s.flags)
        lines.push(
          `complete -c aac -n '__fish_seen_subcommand_from ${c.name}; and __fish_seen_subcommand_from ${s.name}' -l ${flag.slice(2)}`,
        );
    }
  }
  lines.push("complete -c aac -n '__fish_use_subcommand' -l help -l version");
  return `${lines.join('\n')}\n`;
}
