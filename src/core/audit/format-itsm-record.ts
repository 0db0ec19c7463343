/**
 * Seed 000's "IT Management System Records" shape, for an ITSM to import: exactly these
 * snake_case fields, one record per request of a person. Pure.
 */
import type { AccessRecord } from './compute-access-record.js';
import type { PersonReport } from './compute-person-report.js';

export interface ItsmRecord {
  request_id: number | null;
  employee_id: string | null;
  employee_name: string | null;
  department: string | null;
  request_date: string;
  approval_chain: Array<{ level: string; approver: string; decision: string; date: string }>;
  security_review: { risk_level: string | null; conditions: string[] };
  systems_provisioned: Array<{ system: string; access_level: string; provisioned_by: string | null }>;
  mfa_status: 'enabled' | 'not enabled' | 'unknown';
  status: string;
  completed_date: string | null;
}

/** The person's access records in the ITSM shape. */
export function formatItsmRecords(report: PersonReport): ItsmRecord[] {
  return report.accessRecords.map((r) => toRecord(report, r));
}

function toRecord(report: PersonReport, r: AccessRecord): ItsmRecord {
  return {
    request_id: r.requestId,
    employee_id: report.employeeId,
    employee_name: report.name,
    department: report.department,
    request_date: r.requestedAt,
    approval_chain: r.approvalChain.map((s) => ({
      level: s.level,
      approver: s.approver,
      decision: s.decision,
      date: s.date,
    })),
    security_review: { risk_level: r.riskReview.riskLevel, conditions: [...r.riskReview.conditions] },
    systems_provisioned: r.systemsProvisioned.map((s) => ({
      system: s.system,
      access_level: s.accessLevel,
      provisioned_by: s.provisionedBy,
    })),
    mfa_status: report.mfa === true ? 'enabled' : report.mfa === false ? 'not enabled' : 'unknown',
    status: r.status,
    completed_date: r.completedDate,
  };
}
