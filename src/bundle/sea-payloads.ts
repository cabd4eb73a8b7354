/** The payloads the executable carries as assets, `<name>.cjs` (scripts/package.mjs, scripts/payloads.mjs). */
export const SEA_PAYLOADS: readonly string[] = [
  'main',
  'worker',
  '@aws-sdk/client-cloudwatch-logs',
  'prom-client',
];
