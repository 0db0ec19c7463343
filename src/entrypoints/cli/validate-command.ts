import { parseArgs } from 'node:util';
import { hasErrors } from '../../core/diagnostics.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import { formatDiagnosticGithub, formatDiagnosticText, formatSummary } from '../../core/format-diagnostics.js';
import { sourceLine } from '../../core/source.js';
import type { InputFile } from '../../core/validate/validate-access-tree.js';
import { loadAccessTree } from '../../services/load-access-tree.js';
import { UsageError } from '../../errors.js';
import { resolveAccessDir } from '../../adapters/fs/find-access-dir.js';
import { EXIT } from './cli-io.js';
import { colorizeReport, createStyle } from './style.js';
import type { CliIO } from './cli-io.js';
import { readNow } from './read-now.js';
import { createProgress } from './progress.js';
import { parseFormat } from './parse-format.js';

export const VALIDATE_HELP = `Usage: aac validate [DIR] [--format text|json|github] [--no-history] [--now TIME]

Checks every file under DIR (default: access) against its JSON Schema and the cross-file rules.

  --format text     path:line:column: error CODE: message, with the source line (default)
  --format json     an array of {code, severity, message, file, line, column}
  --format github   GitHub Actions annotations
  --no-history      do not read git history for retired uids and emails
  --now TIME        judge expiry and emergency limits at TIME (ISO 8601) instead of now

Exit status: 0 valid, 1 errors found, 2 usage or I/O error.
`;

export async function runValidate(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      'no-history': { type: 'boolean', default: false },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(VALIDATE_HELP);
    return EXIT.ok;
  }
  const format = parseFormat(values.format, ['text', 'json', 'github'] as const);
  if (positionals.length > 1) throw new UsageError('validate takes one directory');
  const dir = resolveAccessDir(positionals[0], io.cwd);
  const now = readNow(values.now, io.env);

  const progress = createProgress(io, 'validating');
  const { result, files } = await loadAccessTree(dir, {
    now,
    history: !values['no-history'],
    cwd: io.cwd,
    onProgress: progress.update,
  });
  progress.done();
  const text = renderDiagnostics(result.diagnostics, format, files);
  io.stdout(format === 'text' ? colorizeReport(text, createStyle(io)) : text);
  return hasErrors(result.diagnostics) ? EXIT.failed : EXIT.ok;
}

/** Diagnostics as text (with source lines), JSON or GitHub annotations; `files` supply the source lines. */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  format: 'text' | 'json' | 'github',
  files: readonly InputFile[],
): string {
  if (format === 'json')
    return `${JSON.stringify(
      diagnostics.map(({ code, severity, message, file, line, column }) => ({
        code,
        severity,
        message,
        file,
        line,
        column,
      })),
      null,
      2,
    )}\n`;
  if (format === 'github') return diagnostics.map((d) => `${formatDiagnosticGithub(d)}\n`).join('');
  const byPath = new Map(files.map((f) => [f.path, f]));
  const lineOf = (file: string, line: number): string | undefined => {
    const input = byPath.get(file);
    if (!input || !('content' in input)) return undefined;
    const text = typeof input.content === 'string' ? input.content : new TextDecoder().decode(input.content);
    return sourceLine({ text }, line);
  };
  const body = diagnostics.map((d) => `${formatDiagnosticText(d, lineOf)}\n`).join('');
  return `${body}${formatSummary(diagnostics, files.length)}\n`;
}
