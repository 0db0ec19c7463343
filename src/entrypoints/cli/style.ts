import { readCliSettings } from '../../config.js';
import type { CliIO } from './cli-io.js';

/** ANSI styles for one output stream; each is the identity when colour is off. */
export interface Style {
  enabled: boolean;
  red: (text: string) => string;
  green: (text: string) => string;
  yellow: (text: string) => string;
  cyan: (text: string) => string;
  bold: (text: string) => string;
  dim: (text: string) => string;
}

/**
 * Whether to colour a stream, as Node and most CLIs decide: `FORCE_COLOR` (any value but `0` or
 * `false`, even empty) forces it on and `FORCE_COLOR=0` off; else `NO_COLOR` set to anything
 * non-empty turns it off (no-color.org); else colour only on a terminal whose TERM is not `dumb`.
 */
export function colorEnabled(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const { color } = readCliSettings(env);
  if (color.force !== undefined) return color.force;
  if (color.noColor) return false;
  return isTTY && !color.dumbTerminal;
}

const sgr =
  (open: number, close: number) =>
  (text: string): string =>
    text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`;
const identity = (text: string): string => text;

/** The styles for stdout (`stream: 'stdout'`) or stderr of this invocation. */
export function createStyle(io: CliIO, stream: 'stdout' | 'stderr' = 'stdout'): Style {
  const enabled = colorEnabled(io.env, stream === 'stdout' ? io.isTTY : (io.isStderrTTY ?? false));
  if (!enabled)
    return { enabled, red: identity, green: identity, yellow: identity, cyan: identity, bold: identity, dim: identity };
  return {
    enabled,
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
    bold: sgr(1, 22),
    dim: sgr(2, 22),
  };
}

/**
 * Colours the plain-text output of plan, apply and validate by the marks it already carries (the
 * formatters stay pure and colour-free): `+` green, `~` yellow, `!` and `-` red for plan lines;
 * `FAILED`, `done`, `skipped` for apply results; `error` and `warning` in diagnostics.
 */
export function colorizeReport(text: string, style: Style): string {
  if (!style.enabled) return text;
  return text
    .split('\n')
    .map((line) => colorizeLine(line, style))
    .join('\n');
}

function colorizeLine(line: string, style: Style): string {
  const cause = /^(.*?)( {2}\[[^\]]+\])$/.exec(line);
  const [body, tail] = cause ? [cause[1]!, style.dim(cause[2]!)] : [line, ''];
  if (/^\+ /.test(body)) return style.green(body) + tail;
  if (/^~ /.test(body)) return style.yellow(body) + tail;
  if (/^[!-] /.test(body)) return style.red(body) + tail;
  if (/^FAILED /.test(body)) return style.red(body) + tail;
  if (/^done /.test(body)) return `${style.green('done')}${body.slice(4)}${tail}`;
  if (/^(skipped|already) /.test(body)) return style.dim(body) + tail;
  const diagnostic = /^(\S+:\d+:\d+: )(error|warning)( [A-Z_]+)(:.*)$/.exec(body);
  if (diagnostic) {
    const [, where, severity, code, rest] = diagnostic as unknown as [string, string, string, string, string];
    const paint = severity === 'error' ? style.red : style.yellow;
    return `${style.bold(where)}${paint(severity + code)}${rest}${tail}`;
  }
  if (/^(Plan|Applied|No changes)\b|checked: /.test(body)) return style.bold(body) + tail;
  return line;
}
