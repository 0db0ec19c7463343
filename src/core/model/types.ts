/**
 * The access model: what the YAML files say, as plain typed values.
 * Identifiers are plain strings validated by the schemas (see schemas/*.schema.json).
 */

/** A person's login and directory uid, e.g. `jsmith`. */
export type Uid = string;
/** A system id, e.g. `crm`. */
export type SystemId = string;
/** A role id within a system, e.g. `sales-rep`. */
export type RoleId = string;
/** An approval level id, e.g. `it-security`. */
export type LevelId = string;

export type Risk = 'low' | 'medium' | 'high' | 'critical';
export const RISKS: readonly Risk[] = ['low', 'medium', 'high', 'critical'];
export type TierId = 'standard' | 'elevated' | 'privileged';
export const TIERS: readonly TierId[] = ['standard', 'elevated', 'privileged'];
export type PersonType = 'employee' | 'contractor' | 'external';
export type PersonStatus = 'active' | 'disabled' | 'deleted';
export type OrgType = 'client' | 'supplier' | 'partner';
export type DirectoryFlavor = 'openldap' | 'active-directory';

export interface Grant {
  system: SystemId;
  role: RoleId;
  justification?: string;
  /** `YYYY-MM-DD` (start of that day, UTC) or an ISO date-time: not provisioned before it. */
  starts?: string;
  /** `YYYY-MM-DD` (end of that day, UTC) or an ISO date-time. */
  expires?: string;
  emergency?: boolean;
  ticket?: string;
}

export interface Person {
  kind: 'Person';
  uid: Uid;
  name: string;
  email: string;
  type: PersonType;
  /** `sn`, when not the last word of `name`. */
  surname?: string;
  /** `givenName`, when not the words of `name` before the surname. */
  givenName?: string;
  employeeId?: string;
  title?: string;
  department?: string;
  manager?: Uid;
  github?: string;
  status: PersonStatus;
  /** Why the status is what it is; carried by the deprovisioning record and the supervisor's notice. */
  statusReason?: string;
  org?: string;
  sponsor?: Uid;
  /** uids this person had before a rename: reserved for them, never given to anyone else. */
  formerUids?: Uid[];
  /** Email addresses this person had before: reserved for them, never given to anyone else. */
  formerEmails?: string[];
  grants: Grant[];
  attestations: Record<string, boolean | string>;
}

export interface Role {
  group: string;
  description?: string;
  risk?: Risk;
  privileged?: boolean;
  external?: boolean;
}

export interface System {
  kind: 'System';
  id: SystemId;
  name: string;
  description?: string;
  risk: Risk;
  owners: string[];
  roles: Record<RoleId, Role>;
}

export interface Organization {
  kind: 'Organization';
  id: string;
  legalName: string;
  externalRef?: string;
  type: OrgType;
  contact?: string;
  contractEnds?: string;
}

/** Who can satisfy an approval level. */
export type ApproverSource =
  'manager' | 'department-head' | 'codeowners' | 'sponsor' | { team: string } | { users: string[] } | { people: Uid[] };

export interface Level {
  description?: string;
  approvers: ApproverSource[];
}

export interface Tier {
  levels: LevelId[];
  attestations?: string[];
  target?: string;
}

export interface RiskLevel {
  tier: TierId;
  requirements?: string[];
}

export interface SodRule {
  id: string;
  description?: string;
  /** Two `system/role` references. */
  roles: [string, string];
}

export interface Tombstone {
  uid?: Uid;
  email?: string;
  employeeId?: string;
  retired?: string;
}

export interface Policy {
  kind: 'Policy';
  /** Owners of the policy, schemas and CODEOWNERS (GitHub `login` or `org/team`); see `aac codeowners`. */
  owners?: string[];
  directory: {
    baseDN: string;
    peopleOU: string;
    groupsOU: string;
    /** OpenLDAP: the ppolicy default entry relative to baseDN (default `cn=default,ou=policies`). */
    passwordPolicy?: string;
    flavor: DirectoryFlavor;
  };
  departments: Record<string, { name?: string; head: Uid }>;
  levels: Record<LevelId, Level>;
  tiers: Record<TierId, Tier>;
  risk: Record<Risk, RiskLevel>;
  separationOfDuties: SodRule[];
  external?: { level: LevelId; maxDays?: number };
  emergency?: { maxDuration: string; level: LevelId };
  guards: { maxDeletions?: number; maxDisables?: number; maxRemovals?: number; maxPercent?: number };
  /** How the reconciler treats what it applies and what it finds; see `aac apply`. */
  reconcile: {
    /** DNs relative to baseDN, or LDAP filters in parentheses, the reconciler never touches. */
    unmanaged: string[];
    /** Hold back grants and accounts that reached the branch without an approval on the audit log. Default false. */
    requireApproval?: boolean;
  };
  forbiddenTerms: string[];
  tombstones: Tombstone[];
  /** Paths the gate governs beyond its built-in list (CODEOWNERS patterns); it can only add. */
  governance?: { paths?: string[] };
}
