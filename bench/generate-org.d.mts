export interface OrgOptions {
  people?: number;
  systems?: number;
  grantsPerPerson?: number;
  rolesPerSystem?: number;
}
export interface OrgCounts {
  people: number;
  systems: number;
  grants: number;
}
/** Writes the organisation under `dir/access`. */
export function generateOrg(dir: string, options?: OrgOptions): OrgCounts & { root: string };
/** The same organisation in memory: `access/...` path -> text. */
export function generateOrgFiles(options?: OrgOptions): OrgCounts & { files: Map<string, string> };
