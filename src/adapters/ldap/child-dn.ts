import { DN } from 'ldapts';

/**
 * The DN of a child entry: `attribute=value,parentDn`, with the value escaped by ldapts' DN
 * builder (RFC 4514) even though validation already refuses identifiers with special characters.
 * @example childDn('uid', 'jsmith', 'ou=people,dc=example,dc=org') // 'uid=jsmith,ou=people,dc=example,dc=org'
 */
export function childDn(attribute: string, value: string, parentDn: string): string {
  return `${new DN({ [attribute]: value }).toString()},${parentDn}`;
}

/** The RDN of a DN split into attribute and (unescaped) value, e.g. `uid=a\,b,...` -> `['uid', 'a,b']`. */
export function parseRdn(dn: string): { attribute: string; value: string; parent: string } | undefined {
  let i = 0;
  let value = '';
  const eq = dn.indexOf('=');
  if (eq <= 0) return undefined;
  const attribute = dn.slice(0, eq).trim();
  for (i = eq + 1; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) {
      const hex = dn.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        value += String.fromCharCode(parseInt(hex, 16));
        i += 2;
      } else {
        value += dn[i + 1];
        i += 1;
      }
      continue;
    }
    if (c === ',' || c === '+') break;
    value += c;
  }
  return { attribute: attribute.toLowerCase(), value, parent: dn.slice(i + 1).trim() };
}
