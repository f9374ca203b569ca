// A throwaway PKI for the simulator's HTTPS port: a self-signed CA and a server certificate for
// 127.0.0.1/localhost signed by it, generated at start-up. Node can sign but has no X.509
// builder, so the certificates are assembled here with a minimal DER encoder (ECDSA P-256).
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

// ---- DER ----

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, inner: Buffer) => tlv(0xa0 + n, inner);
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));

function int(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), utf8(cn))));
const ext = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function keyId(pub: KeyObject): Buffer {
  // SubjectPublicKeyInfo's BIT STRING content is the last part of the SPKI DER.
  const spki = pub.export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

interface CertSpec {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  issuerKeyId: Buffer;
  ca: boolean;
  sans?: { dns: string[]; ips: string[] };
}

function certificate(s: CertSpec): string {
  const now = Date.now();
  const extensions = [
    ext('2.5.29.19', true, s.ca ? seq(bool(true)) : seq()),
    // keyUsage: CA keyCertSign|cRLSign|digitalSignature; server digitalSignature.
    ext('2.5.29.15', true, s.ca ? bits(Buffer.from([0x86]), 1) : bits(Buffer.from([0x80]), 7)),
    ext('2.5.29.14', false, octets(keyId(s.publicKey))),
    ext('2.5.29.35', false, seq(tlv(0x80, s.issuerKeyId))),
  ];
  if (!s.ca) {
    extensions.push(ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))));
    const alt = [...(s.sans?.dns ?? []).map((d) => tlv(0x82, Buffer.from(d, 'ascii'))), ...(s.sans?.ips ?? []).map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number))))];
    extensions.push(ext('2.5.29.17', false, seq(...alt)));
  }
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const tbs = seq(
    explicit(0, int(Buffer.from([2]))),
    int(serial),
    ECDSA_SHA256,
    name(s.issuer),
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 365 * 86400_000))),
    name(s.subject),
    s.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions)),
  );
  const sig = sign('sha256', tbs, s.signingKey);
  const der = seq(tbs, ECDSA_SHA256, bits(sig));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
}

export interface Pki {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A fresh CA and a server certificate for 127.0.0.1 and localhost. */
export function generatePki(): Pki {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caKeyId = keyId(ca.publicKey);
  const caPem = certificate({ subject: 'csi-top-sim-ca', issuer: 'csi-top-sim-ca', publicKey: ca.publicKey, signingKey: ca.privateKey, issuerKeyId: caKeyId, ca: true });
  const certPem = certificate({
    subject: 'kube-apiserver', issuer: 'csi-top-sim-ca', publicKey: createPublicKey(server.privateKey), signingKey: ca.privateKey, issuerKeyId: caKeyId, ca: false,
    sans: { dns: ['localhost', 'kubernetes', 'kubernetes.default'], ips: ['127.0.0.1'] },
  });
  return { caPem, certPem, keyPem: server.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}
