/**
 * An access request, as the wizard (`aac request`) and the request form (the issue) both give
 * it: who, which system roles, why, when, how urgent. The same value becomes the same change.
 */
export interface AccessRequest {
  /** The person's uid; one not in the files adds a new person (then `newPerson` says who). */
  uid: string;
  newPerson?: NewPerson;
  /** The department the requester names: must be the person's own when the person exists. */
  department?: string;
  /** `system/role` pairs from the catalog. */
  grants: ReadonlyArray<{ system: string; role: string }>;
  justification: string;
  /** Break-glass access: approved by the emergency level alone, and must end soon. */
  emergency: boolean;
  /** `YYYY-MM-DD`: provisioned from that day (start of day, UTC). */
  starts?: string;
  /** `YYYY-MM-DD`: the last day of access. */
  expires?: string;
}

export interface NewPerson {
  name: string;
  email: string;
  type: 'employee' | 'contractor';
  manager?: string;
}

/** The parts of a request a problem is about: the form's fields and the wizard's questions. */
export type RequestField =
  | 'uid'
  | 'name'
  | 'email'
  | 'type'
  | 'manager'
  | 'department'
  | 'access'
  | 'justification'
  | 'urgency'
  | 'start'
  | 'end';

export type RequestProblemCode =
  | 'MISSING_FIELD'
  | 'INVALID_VALUE'
  | 'INVALID_DATE'
  | 'UNKNOWN_PERSON'
  | 'PERSON_NOT_ACTIVE'
  | 'UNKNOWN_SYSTEM'
  | 'UNKNOWN_ROLE'
  | 'UNKNOWN_DEPARTMENT'
  | 'DEPARTMENT_MISMATCH'
  | 'ALREADY_GRANTED'
  | 'NOT_EDITABLE'
  | 'INVALID_CHANGE'
  | 'BLOCKED';

/** Why a request cannot become a change, and which answer to fix. */
export interface RequestProblem {
  code: RequestProblemCode;
  field: RequestField;
  message: string;
}
