import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readGitHistory } from '../../adapters/git/read-git-history.js';
import type { AnyReport } from '../../core/audit/compute-report-view.js';
import type { TierTargets } from '../../core/audit/compute-period-report.js';
import { InternalError, UsageError } from '../../errors.js';
import type { AccessTree } from '../../core/model/access-tree.js';
import { AUDIT_OPTIONS, AUDIT_OPTIONS_HELP, auditContext, auditLogName, auditSettings } from './audit-options.js';
import { EXIT } from './cli-io.js';
import type { CliIO } from './cli-io.js';
import { readNow } from './read-now.js';
import { parseFormat } from './parse-format.js';

// Only what starting git needs is imported up front: the report modules load while git log runs.
export type ReportKind = 'person' | 'system' | 'report';
const FORMATS = ['json', 'markdown', 'csv', 'html', 'record'] as const;
type Format = (typeof FORMATS)[number];

export const AUDIT_REPORT_HELP = `Usage: aac audit person UID [options]
       aac audit system ID [options]
       aac audit report [--since DATE] [--until DATE] [options]

Joins the git history of the branch (who changed what, in which commit, signed or not) with the
audit log (approvals, applies, expiries, locks) into timelines.

  person UID         the person's access records: request id, requester, approval chain
                     (approver, level, decision, date), security review, merge commit and its
                     signature, systems provisioned and revoked with access level and date, status
  system ID          who was given or lost which role of the system, approved by whom, when
  report             every request in the period, other events, time to provision per tier
                     against the policy's targets (tiers.*.target)
  --since DATE       (report) only requests merged on or after DATE (ISO 8601)
  --until DATE       (report) only requests merged on or before DATE
  --format FORMAT    json (default; indented on a terminal, one line when piped or written with
                     --out, as a year of requests is megabytes: \`jq .\` indents it), markdown,
                     csv (the main table), html (one self-contained page), or (person) record:
                     the ITSM record of each request, exactly request_id, employee_id,
                     employee_name, department, request_date, approval_chain, security_review
                     {risk_level, conditions}, systems_provisioned {system, access_level,
                     provisioned_by}, mfa_status, status, completed_date
  --out FILE         write there instead of standard output
  --access DIR       the access folder in the repository (default: access)
  --now TIME         the time shown as "generated" (ISO 8601; AAC_NOW does the same)
${AUDIT_OPTIONS_HELP}
Exit status: 0 done, 2 usage or I/O error.
`;

export async function runAuditReport(kind: ReportKind, args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...AUDIT_OPTIONS,
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      access: { type: 'string', default: 'access' },
      now: { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout(AUDIT_REPORT_HELP);
    return EXIT.ok;
  }
  const format: Format = parseFormat(values.format, FORMATS);
  const id = positionals[0];
  if (kind !== 'report' && (id === undefined || positionals.length !== 1))
    throw new UsageError(`audit ${kind} takes one ${kind === 'person' ? 'uid' : 'system id'}`);
  if (kind === 'report' && positionals.length > 0)
    throw new UsageError('audit report takes no arguments; use --since and --until');
  if (format === 'record' && kind !== 'person') throw new UsageError('--format record is for `aac audit person`');
  if (kind !== 'report' && (values.since || values.until))
    throw new UsageError('--since and --until are for `aac audit report`');
  for (const d of [values.since, values.until])
    if (d !== undefined && Number.isNaN(Date.parse(d)))
      throw new UsageError(`dates must be ISO 8601 such as 2026-11-01, not "${d}"`);

  const now = readNow(values.now, io.env);
  const settings = auditSettings(values, io);
  // git log is the long pole: it starts before anything else, even finding the repository's root.
  const history = readGitHistory({ ...settings, repoDir: settings.start, range: settings.branch });
  history.catch(() => undefined); // awaited below, after the audit log; a failure is reported once, there
  const modules = loadReportModules();
  const ctx = await auditContext(values, io, `audit ${kind}`);
  const accessRoot = values.access.replace(/\/+$/, '');
  const { readAuditLog, readPersonChanges } = await import('./audit-data.js');
  // Only the HTML page states that the log's chain is intact, so only it pays for recomputing every hash.
  const log = await readAuditLog(ctx, {
    accessRoot,
    now,
    hashes: format === 'html',
    tree: kind === 'report' ? 'tiers' : 'validated',
  });
  const m = await modules;
  const requestRecords = m.indexRequestRecords(log.records); // while git log may still run
  const data = { ...log, commits: await history };
  const validatedTree = (): AccessTree => {
    if (!data.validation) throw new InternalError('readAuditData did not validate the tree it was asked to');
    return data.validation.tree;
  };
  const timelines = m.joinRequestTimelines(data.commits, requestRecords, { accessRoot });
  const landing = () => m.groupRequests(data.commits).map((c) => c.landing);

  let report: AnyReport;
  if (kind === 'person') {
    const tree = validatedTree();
    const changes = await readPersonChanges(ctx.repoDir, landing(), { accessRoot, uid: id! });
    const mine = new Map([...changes].map(([sha, byUid]) => [sha, byUid.get(id!) ?? []]));
    report = m.computePersonReport(id!, { tree, timelines, changes: mine, records: data.records });
    if (report.accessRecords.length === 0 && !tree.people.has(id!))
      throw new UsageError(`no person "${id}" in ${accessRoot}/people on ${ctx.branch} or in its history`);
  } else if (kind === 'system') {
    const tree = validatedTree();
    const changes = await readPersonChanges(ctx.repoDir, landing(), { accessRoot, mentioning: id! });
    report = m.computeSystemReport(id!, { tree, timelines, changes, accessRoot });
    if (report.name === null && report.accessChanges.length === 0)
      throw new UsageError(`no system "${id}" in ${accessRoot}/systems on ${ctx.branch} or in its history`);
  } else {
    report = m.computePeriodReport({
      timelines,
      records: data.records,
      tiers: data.tiers,
      ...(values.since ? { since: values.since } : {}),
      ...(values.until ? { until: values.until } : {}),
    });
  }

  const indent = io.isTTY && !values.out ? 2 : undefined;
  const text =
    format === 'record' && report.kind === 'person'
      ? `${JSON.stringify((await import('../../core/audit/format-itsm-record.js')).formatItsmRecords(report), null, indent)}\n`
      : format === 'json' || format === 'record'
        ? `${JSON.stringify(report, null, indent)}\n`
        : await renderView(format, report, data.tiers, {
            now,
            branch: ctx.branch,
            auditBranch: auditLogName(ctx),
            records: data.records.length,
            verified: data.chainIntact,
          });
  if (!data.chainIntact)
    io.stderr(`aac audit ${kind}: the audit log on ${auditLogName(ctx)} is not intact; run \`aac audit verify\`\n`);
  if (values.out) writeFileSync(resolve(io.cwd, values.out), text);
  else io.stdout(text);
  return EXIT.ok;
}

async function loadReportModules() {
  const [timelines, groups, period, person, system] = await Promise.all([
    import('../../core/audit/compute-request-timelines.js'),
    import('../../core/audit/group-requests.js'),
    import('../../core/audit/compute-period-report.js'),
    import('../../core/audit/compute-person-report.js'),
    import('../../core/audit/compute-system-report.js'),
  ]);
  return { ...timelines, ...groups, ...period, ...person, ...system };
}

async function renderView(
  format: Exclude<Format, 'json'>,
  report: AnyReport,
  policy: TierTargets | undefined,
  meta: { now: number; branch: string; auditBranch: string; records: number; verified: boolean },
): Promise<string> {
  const [{ computeReportView }, { formatReportCsv, formatReportMarkdown }] = await Promise.all([
    import('../../core/audit/compute-report-view.js'),
    import('../../core/audit/format-report-view.js'),
  ]);
  const view = computeReportView(report, policy);
  if (format === 'markdown') return formatReportMarkdown(view);
  if (format === 'csv') return formatReportCsv(view);
  // Handlebars is loaded only for HTML: the other formats start faster without it.
  const { renderAuditHtml } = await import('../../adapters/render/render-audit-html.js');
  return renderAuditHtml({
    view,
    generatedAt: new Date(meta.now).toISOString(),
    branch: meta.branch,
    auditBranch: meta.auditBranch,
    records: meta.records,
    verified: meta.verified,
  });
}
