/**
 * Crypto measurements in Node (run by `npm run bench`, or alone:
 * `npx tsx tools/bench/crypto-node.ts`). Budgets from issue 3: record encryption ≥ 100 MB/s,
 * grants sealed and opened ≥ 1,000/s. Key derivation is reported here for comparison; its
 * budget applies in Chromium (crypto-browser.ts).
 */
/* eslint-disable @nx/enforce-module-boundaries -- tsx runs bench files without the workspace's path
   mapping, so the library is imported by its relative path (as tools/db/migrate.ts does). */
import {
  decryptRecord,
  deriveLoginKeys,
  encryptRecord,
  generateCaseKey,
  initCrypto,
  KDF_FLOOR,
  KDF_RECOMMENDED,
  openCaseKeyGrant,
  sealCaseKeyGrant,
  sodiumVersion,
} from '../../libs/crypto/src/index';
import { createTestOrg, createTestUser } from '../../libs/crypto/src/testing';
import { withinBudget, type Measurement, type MeasurementSuite } from './types';

const MiB = 1024 * 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function kdfMs(params: unknown, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    deriveLoginKeys({
      password: `bench password ${i}`,
      username: 'bench',
      serverSeed: new Uint8Array(32),
      params,
    });
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Encrypts (then decrypts) `count` records of `size` bytes; returns MB/s (10^6 bytes) for each. */
function recordThroughput(size: number, count: number): { encrypt: number; decrypt: number } {
  const caseKey = generateCaseKey('bench-case');
  const plaintext = new Uint8Array(size).fill(0x61);
  const ref = { kind: 'note', recordId: 'bench-record' };
  encryptRecord(caseKey, ref, plaintext); // warm-up
  const envelopes: Uint8Array[] = [];
  let start = performance.now();
  for (let i = 0; i < count; i++) envelopes.push(encryptRecord(caseKey, ref, plaintext));
  const encryptS = (performance.now() - start) / 1000;
  start = performance.now();
  for (const envelope of envelopes) decryptRecord(caseKey, ref, envelope);
  const decryptS = (performance.now() - start) / 1000;
  const mb = (size * count) / 1e6;
  return { encrypt: mb / encryptS, decrypt: mb / decryptS };
}

/** Grants sealed by a coordinator and opened by a caseworker (signature check included), per second. */
function grantRate(count: number): number {
  const org = createTestOrg();
  const cora = createTestUser(org, 'cora', 'coordinator');
  const anna = createTestUser(org, 'anna', 'caseworker');
  const keys = Array.from({ length: count }, (_, i) => generateCaseKey(`case-${i}`));
  const start = performance.now();
  for (const caseKey of keys) {
    const grant = sealCaseKeyGrant(caseKey, anna.certified, cora.keys);
    openCaseKeyGrant(grant, {
      caseId: caseKey.caseId,
      version: 1,
      grantee: anna.keys,
      granter: cora.certified,
    });
  }
  return count / ((performance.now() - start) / 1000);
}

async function run(): Promise<Measurement[]> {
  await initCrypto();
  const mib = (bytes: number) => `${bytes / MiB} MiB`;
  const records = recordThroughput(MiB, 128);
  const small = recordThroughput(1024, 20_000);
  return [
    {
      name: `KDF Argon2id t=${KDF_RECOMMENDED.opsLimit} m=${mib(KDF_RECOMMENDED.memLimitBytes)} (recommended, Node, median of 3)`,
      value: kdfMs(KDF_RECOMMENDED, 3),
      unit: 'ms',
    },
    {
      name: `KDF Argon2id t=${KDF_FLOOR.opsLimit} m=${mib(KDF_FLOOR.memLimitBytes)} (floor, Node, median of 3)`,
      value: kdfMs({ algorithm: 'argon2id13', ...KDF_FLOOR }, 3),
      unit: 'ms',
    },
    {
      name: 'record encryption, 1 MiB records (Node)',
      value: records.encrypt,
      unit: 'MB/s',
      budget: { op: '>=', value: 100 },
    },
    { name: 'record decryption, 1 MiB records (Node)', value: records.decrypt, unit: 'MB/s' },
    {
      name: 'record encryption, 1 KiB records (Node)',
      value: (small.encrypt * 1e6) / 1024,
      unit: 'records/s',
    },
    {
      name: 'grants sealed + opened, with signature (Node)',
      value: grantRate(2000),
      unit: 'grants/s',
      budget: { op: '>=', value: 1000 },
    },
  ];
}

export const cryptoNodeSuite: MeasurementSuite = { title: 'Crypto in Node (libs/crypto)', run };

/** Prints a suite's rows; used when a bench file is run on its own. */
export async function printSuite(suite: MeasurementSuite): Promise<void> {
  const rows = await suite.run();
  console.log(suite.title);
  for (const m of rows) {
    const ok = withinBudget(m);
    const budget = m.budget
      ? `  (budget ${m.budget.op} ${m.budget.value} ${m.unit}: ${ok ? 'ok' : 'MISSED'})`
      : '';
    console.log(`  ${m.name}: ${m.value.toFixed(m.value >= 100 ? 0 : 2)} ${m.unit}${budget}`);
  }
}

if (process.argv[1]?.endsWith('crypto-node.ts')) {
  initCrypto()
    .then(() => console.log(`libsodium ${sodiumVersion()}, Node ${process.version}`))
    .then(() => printSuite(cryptoNodeSuite))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
