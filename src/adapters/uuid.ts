// Name-based UUIDs (RFC 9562 version 5): the same name always gives the same id, so exports repeat their run ids.
import { createHash } from 'node:crypto';

/** lineage-gate's own namespace: UUIDv5 of the URL https://lineage-gate.dev/openlineage in the RFC's URL namespace. */
export const LINEAGE_GATE_NAMESPACE = '2755cccd-f549-543d-b758-3bcdd5d13245';

export function uuidV5(name: string, namespace: string = LINEAGE_GATE_NAMESPACE): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(namespace)) throw new Error(`not a UUID: ${namespace}`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC variant
  const x = hash.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
