import { auditAppendSuite } from './audit-append';
import { auditVerifySuite } from './audit-verify';
import { cryptoBrowserSuite } from './crypto-browser';
import { cryptoNodeSuite } from './crypto-node';
import type { MeasurementSuite } from './types';
import { webBundleSuite } from './web-bundle';

/** Non-HTTP measurement groups run by `npm run bench`, in order. */
export const measurementSuites: MeasurementSuite[] = [
  cryptoNodeSuite,
  cryptoBrowserSuite,
  webBundleSuite,
  auditAppendSuite,
  auditVerifySuite,
];
