// Keys compared with case and separators removed: `private_key`, `privateKey` and `Private-Key` are one.
const SECRET_KEYS = new Set([
  'password',
  'passwd',
  'pwd',
  'userpassword',
  'unicodepwd',
  'secret',
  'token',
  'privatekey',
  'apikey',
  'credential',
  'credentials',
  'passphrase',
  'authorization',
  'cookie',
]);
const SECRET_SUFFIXES = ['password', 'secret', 'token', 'privatekey', 'apikey', 'passphrase'];
// Values that are secrets whatever their key: PEM private keys, GitHub and Slack tokens, JWTs, bearer headers.
const SECRET_VALUES = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/,
  /\bgithub_pat_[A-Za-z0-9_]{30,}/,
  /\bxox[abpr]-[A-Za-z0-9-]{10,}/,
  /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./,
  /\bBearer\s+[A-Za-z0-9._~+/-]{20,}/,
];

/** Whether a key names a secret: `password`, `apiToken`, `client_secret`, `privateKey`; not `tokenCount`. */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_KEYS.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s));
}

/**
 * Paths (like `events[1].details.bindPassword`) of every secret-looking key or value in the
 * events; [] when there is none. Only paths are returned, never the values.
 */
export function findSecrets(events: readonly unknown[]): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (SECRET_VALUES.some((re) => re.test(value))) found.push(path);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
      return;
    }
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const child = `${path}.${key}`;
      if (isSecretKey(key) && v !== undefined && v !== null && v !== false) found.push(child);
      else visit(v, child);
    }
  };
  events.forEach((event, i) => visit(event, `events[${i}]`));
  return found;
}
