/**
 * A reader of the DNS zone-file subset CoreDNS's `file` plugin serves (RFC 1035 master files):
 * $ORIGIN and $TTL, `;` comments, parenthesised multi-line records, `@` and relative names.
 * Anything it does not understand is an error with its line, as a zone loader would refuse it.
 */

export interface ZoneRecord {
  readonly name: string;
  readonly type: string;
  readonly data: readonly string[];
  readonly line: number;
}

export function parseZone(text: string): { origin: string; ttl: number; records: ZoneRecord[] } {
  let origin = '';
  let ttl = 0;
  const records: ZoneRecord[] = [];
  const lines = text.split('\n').map((raw, i) => ({ text: raw.replace(/;.*$/, ''), line: i + 1 }));
  for (let i = 0; i < lines.length; i++) {
    let { text } = lines[i]!;
    const { line, text: first } = lines[i]!;
    while (text.includes('(') && !text.includes(')')) {
      if (++i >= lines.length) throw new Error(`line ${line}: unclosed parenthesis`);
      text += ` ${lines[i]!.text}`;
    }
    text = text.replace(/[()]/g, ' ');
    if (!text.trim()) continue;
    const fields = text.trim().split(/\s+/);
    if (fields[0] === '$ORIGIN') {
      origin = fields[1]!;
      if (!origin.endsWith('.')) throw new Error(`line ${line}: $ORIGIN must be absolute`);
      continue;
    }
    if (fields[0] === '$TTL') {
      ttl = Number(fields[1]);
      if (!Number.isInteger(ttl)) throw new Error(`line ${line}: $TTL must be a number`);
      continue;
    }
    if (/^\s/.test(first) || !origin) throw new Error(`line ${line}: a record needs a name and a preceding $ORIGIN`);
    const [owner, klass, type, ...data] = fields;
    if (klass !== 'IN' || !type || !/^(SOA|NS|A|AAAA|CNAME|TXT|SRV)$/.test(type)) throw new Error(`line ${line}: expected '<name> IN <type> <data>'`);
    const name = owner === '@' ? origin : owner!.endsWith('.') ? owner! : `${owner}.${origin}`;
    records.push({ name, type, data, line });
  }
  return { origin, ttl, records };
}
