/** `external`: the id a CRM or spreadsheet knows the lead by (CSV import); a lead may have it and no email. */
export type IdentityKind = 'email' | 'user' | 'visitor' | 'linkedin' | 'external';
export interface IdentityKey {
  kind: IdentityKind;
  value: string;
}


export function identityId(key: IdentityKey): string {
  return `${key.kind}:${key.value}`;
}
