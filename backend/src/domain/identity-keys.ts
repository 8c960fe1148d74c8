export type IdentityKind = 'email' | 'user' | 'visitor' | 'linkedin';
export interface IdentityKey {
  kind: IdentityKind;
  value: string;
}


export function identityId(key: IdentityKey): string {
  return `${key.kind}:${key.value}`;
}
